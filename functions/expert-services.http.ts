import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import type { Stored } from '../shared/data/document-store';
import { type ExpertService, serviceInputSchema } from '../shared/domain/experts/services';
import { publicAccess, requireRoles } from '../shared/http/auth';
import { etagHeaders, requireIfMatch, strongEtag } from '../shared/http/etag';
import { continuationOf, nextCursor, pageSchema, paginationQuery } from '../shared/http/pagination';
import { defineEndpoint, experts } from '../shared/composition';

const tags = ['experts'];
// Ownership is checked per service by the domain (404 none, 403 another expert's): the kit's
// ownerOnly policy cannot also require the expert role, and both must hold here.
const expertOnly = requireRoles('expert');

const serviceSchema = serviceInputSchema.safeExtend({ id: z.string(), expertId: z.string(), createdAt: z.string(), updatedAt: z.string() });
const idParams = z.object({ id: z.uuid('must be a service id') });
const expertParams = z.object({ expertId: z.uuid('must be an expert id') });

const pageOf = (query: { limit: number; cursor?: string }) => ({ limit: query.limit, continuation: continuationOf(query.cursor) });
/** The If-Match check of a change, against the service's current ETag. */
const ifMatchOf = (request: HttpRequest) => (etag: string) => requireIfMatch(request, strongEtag(etag));

const view = ({ _etag: _e, _ts: _t, ...service }: Stored<ExpertService>) => service;
const withEtag = (service: Stored<ExpertService>, status = 200) => ({ status, headers: etagHeaders(strongEtag(service._etag)), body: view(service) });

export const createService = defineEndpoint({
  name: 'createExpertService',
  method: 'POST',
  route: 'v1/experts/services',
  summary: 'Offer a service: fixed price, hourly rate with estimated hours, or packaged tiers',
  description: `At most 50 services per expert (409 beyond). With Idempotency-Key, a retried request returns the first answer instead of creating a second service. Unpublished unless published: true.`,
  tags,
  auth: expertOnly,
  idempotent: true,
  body: serviceInputSchema,
  responses: { 201: { description: 'Created, with its ETag', schema: serviceSchema }, 409: { description: 'The expert already has 50 services' } },
  handler: async ({ principal, body, effectId }) => withEtag(await (await experts()).services.create(principal.userId, body, effectId), 201),
});

export const listOwnServices = defineEndpoint({
  name: 'listOwnExpertServices',
  method: 'GET',
  route: 'v1/experts/services',
  summary: 'Your services, published or not, newest first',
  tags,
  auth: expertOnly,
  query: paginationQuery,
  responses: { 200: { description: 'A page of services', schema: pageSchema(serviceSchema) } },
  handler: async ({ principal, query }) => {
    const page = await (await experts()).services.listOwn(principal.userId, pageOf(query));
    return { body: { items: page.items.map(view), nextCursor: nextCursor(page.continuation) } };
  },
});

export const getOwnService = defineEndpoint({
  name: 'getExpertService',
  method: 'GET',
  route: 'v1/experts/services/{id}',
  summary: 'One of your services, with its ETag',
  tags,
  auth: expertOnly,
  params: idParams,
  responses: { 200: { description: 'The service', schema: serviceSchema }, 403: { description: "Another expert's service" }, 404: { description: 'No such service' } },
  handler: async ({ principal, params }) => withEtag(await (await experts()).services.own(principal.userId, params.id)),
});

export const replaceService = defineEndpoint({
  name: 'replaceExpertService',
  method: 'PUT',
  route: 'v1/experts/services/{id}',
  summary: 'Replace one of your services (If-Match with the ETag you read)',
  tags,
  auth: expertOnly,
  params: idParams,
  body: serviceInputSchema,
  responses: {
    200: { description: 'Replaced, with its new ETag', schema: serviceSchema },
    403: { description: "Another expert's service" },
    404: { description: 'No such service' },
    412: { description: 'The service changed since you read it' },
    428: { description: 'Replacing needs If-Match' },
  },
  handler: async ({ principal, params, body, request }) => withEtag(await (await experts()).services.replace(principal.userId, params.id, body, ifMatchOf(request))),
});

export const deleteService = defineEndpoint({
  name: 'deleteExpertService',
  method: 'DELETE',
  route: 'v1/experts/services/{id}',
  summary: 'Withdraw one of your services (If-Match with the ETag you read)',
  tags,
  auth: expertOnly,
  params: idParams,
  responses: {
    204: { description: 'Deleted' },
    403: { description: "Another expert's service" },
    404: { description: 'No such service' },
    412: { description: 'The service changed since you read it' },
    428: { description: 'Deleting needs If-Match' },
  },
  handler: async ({ principal, params, request }) => {
    await (await experts()).services.delete(principal.userId, params.id, ifMatchOf(request));
    return { status: 204 };
  },
});

export const listPublishedServices = defineEndpoint({
  name: 'listPublishedExpertServices',
  method: 'GET',
  route: 'v1/experts/{expertId}/services',
  summary: "An expert's published services, newest first",
  description:
    'Anyone may call it. Only published services of an expert whose profile is public (published and verified) are listed; for any other expert the list is empty, as the profile itself is not found.',
  tags,
  auth: publicAccess,
  params: expertParams,
  query: paginationQuery,
  responses: { 200: { description: 'A page of published services', schema: pageSchema(serviceSchema) } },
  handler: async ({ params, query }) => {
    const page = await (await experts()).services.listPublished(params.expertId, pageOf(query));
    return { body: { items: page.items.map(view), nextCursor: nextCursor(page.continuation) } };
  },
});
