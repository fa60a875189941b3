import { z } from 'zod';
import { AppError } from '../shared/errors';
import { publicAccess } from '../shared/http/auth';
import { docsAsset, docsPageHtml } from '../shared/http/docs-page';
import { buildAsyncApiDocument } from '../shared/http/asyncapi';
import { buildOpenApiDocument } from '../shared/http/openapi';
import { SELF_HOSTED_PAGE_CSP } from '../shared/http/security-headers';
import { defineEndpoint } from '../shared/composition';

/** host.json `extensions.http.routePrefix`: the document's server is the origin plus this. */
const ROUTE_PREFIX = '/api';
/** Assets change only with a deployment. */
const ASSET_CACHE_CONTROL = 'public, max-age=3600';

export const openApiDocument = defineEndpoint({
  name: 'openApiDocument',
  method: 'GET',
  route: 'openapi.json',
  summary: 'The OpenAPI 3.1 document of this API',
  tags: ['meta'],
  auth: publicAccess,
  responses: { 200: { description: 'The OpenAPI document', contentType: 'application/json' } },
  handler: ({ request }) => ({ body: buildOpenApiDocument(new URL(request.url).origin + ROUTE_PREFIX) }),
});

export const docsPage = defineEndpoint({
  name: 'docsPage',
  method: 'GET',
  route: 'docs',
  summary: 'Interactive API documentation (Swagger UI)',
  tags: ['meta'],
  auth: publicAccess,
  contentSecurityPolicy: SELF_HOSTED_PAGE_CSP,
  responses: { 200: { description: 'The docs page', contentType: 'text/html' } },
  handler: ({ request }) => ({ raw: docsPageHtml(new URL(request.url).pathname), contentType: 'text/html; charset=utf-8' }),
});

export const docsAssetFile = defineEndpoint({
  name: 'docsAsset',
  method: 'GET',
  route: 'docs/{file}',
  summary: 'A script, stylesheet or image of the docs page',
  tags: ['meta'],
  auth: publicAccess,
  documented: false,
  contentSecurityPolicy: SELF_HOSTED_PAGE_CSP,
  params: z.object({ file: z.string().regex(/^[\w.-]+$/, 'must be a file name') }),
  responses: { 200: { description: 'The file' }, 404: { description: 'No such file' } },
  handler: ({ params }) => {
    const asset = docsAsset(params.file);
    if (!asset) throw new AppError('not_found', `No docs file named ${params.file}.`);
    return { raw: asset.content, contentType: asset.contentType, headers: { 'Cache-Control': ASSET_CACHE_CONTROL } };
  },
});

export const asyncApiDocument = defineEndpoint({
  name: 'asyncApiDocument',
  method: 'GET',
  route: 'asyncapi.json',
  summary: 'The AsyncAPI 3.0 document of the Service Bus channels (RFQ events in, marketplace events out)',
  tags: ['meta'],
  auth: publicAccess,
  responses: { 200: { description: 'The AsyncAPI document', contentType: 'application/json' } },
  handler: () => ({ body: buildAsyncApiDocument() }),
});
