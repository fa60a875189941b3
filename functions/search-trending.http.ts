import { z } from 'zod';
import { publicAccess } from '../shared/http/auth';
import { queryNumber } from '../shared/http/query';
import { TREND_KINDS, TREND_RULES, type TrendKind } from '../shared/domain/search/search-trends';
import { defineEndpoint, search } from '../shared/composition';

const KINDS: Record<'specializations' | 'searches' | 'services' | 'all', readonly TrendKind[]> = {
  specializations: ['specialization'],
  searches: ['search'],
  services: ['service'],
  all: TREND_KINDS,
};

export const searchTrending = defineEndpoint({
  name: 'searchTrending',
  method: 'GET',
  route: 'v1/search/trending',
  summary: 'What buyers look for more and more: specializations, search texts and services, week over week',
  description: `Counts from searches (their words and specialization filters) and from services shown on expert pages, over the last ${TREND_RULES.windowDays} days (today included, UTC) against the ${TREND_RULES.windowDays} before. Growth is (last + ${TREND_RULES.smoothing}) / (previous + ${TREND_RULES.smoothing}); ranked by growth, then by last week's count. A subject appears only when counted at least ${TREND_RULES.minCount} times on at least ${TREND_RULES.minDays} different days in the last week, so no one's rare searches are shown. Counts reach the store in batches, up to ANALYTICS_FLUSH_SECONDS late.`,
  tags: ['search'],
  auth: publicAccess,
  query: z.object({
    kind: z.enum(['specializations', 'searches', 'services', 'all']).default('all'),
    limit: queryNumber(z.number().int().min(1).max(50).default(10)),
  }),
  responses: {
    200: {
      description: 'Rising subjects, fastest first',
      schema: z.object({
        window: z.object({ from: z.string(), to: z.string(), previousFrom: z.string(), previousTo: z.string() }),
        items: z.array(
          z.object({
            kind: z.enum(TREND_KINDS),
            id: z.string(),
            label: z.string(),
            expertId: z.string().optional(),
            count: z.number(),
            previousCount: z.number(),
            growth: z.number(),
          }),
        ),
      }),
    },
  },
  handler: async ({ query }) => ({ headers: { 'Cache-Control': 'public, max-age=300' }, body: await (await search()).trends.trending(KINDS[query.kind], query.limit) }),
});
