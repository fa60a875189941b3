import { z } from 'zod';
import type { Stored } from '../shared/data/document-store';
import type { ExpertReview } from '../shared/domain/experts/reviews';
import { publicAccess } from '../shared/http/auth';
import { continuationOf, nextCursor, pageSchema, paginationQuery } from '../shared/http/pagination';
import { defineEndpoint, experts } from '../shared/composition';

const reviewSchema = z.object({
  id: z.string(),
  expertId: z.string(),
  clientName: z.string(),
  rating: z.number().int().min(1).max(5),
  title: z.string(),
  text: z.string(),
  serviceId: z.string().optional(),
  createdAt: z.string(),
});

const view = ({ _etag: _e, _ts: _t, ...review }: Stored<ExpertReview>) => review;

export const listExpertReviews = defineEndpoint({
  name: 'listExpertReviews',
  method: 'GET',
  route: 'v1/experts/{expertId}/reviews',
  summary: 'What clients said about an expert, newest first',
  description:
    "Anyone may call it. 404 unless the expert's profile is public (published and verified). The profile's rating (average and count) summarises these reviews. Writing a review (after a completed booking) is not offered yet.",
  tags: ['experts'],
  auth: publicAccess,
  params: z.object({ expertId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an expert id') }),
  query: paginationQuery,
  responses: { 200: { description: 'A page of reviews', schema: pageSchema(reviewSchema) }, 404: { description: 'No public expert with this id' } },
  handler: async ({ params, query }) => {
    const page = await (await experts()).reviews.list(params.expertId, { limit: query.limit, continuation: continuationOf(query.cursor) });
    return { body: { items: page.items.map(view), nextCursor: nextCursor(page.continuation) } };
  },
});
