import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { publicAccess } from '../../../../shared/http/auth';
import type { EndpointDescription } from '../../../../shared/http/endpoint';
import { buildOpenApiDocument } from '../../../../shared/http/openapi';
import { pageSchema, paginationQuery } from '../../../../shared/http/pagination';
import { queryList } from '../../../../shared/http/query';

const Expert = z.object({ id: z.uuid(), name: z.string(), languages: z.array(z.string()).default([]) }).meta({ id: 'Expert' });
const NewExpert = z.object({ name: z.string().min(1).describe('Display name'), email: z.email() });

const endpoints: EndpointDescription[] = [
  {
    name: 'listExperts',
    method: 'GET',
    route: 'v1/experts',
    summary: 'List experts',
    tags: ['experts'],
    auth: publicAccess,
    query: paginationQuery.extend({ skill: queryList(z.string()).optional().describe('Filter by skill; repeat for several') }),
    responses: { 200: { description: 'A page of experts', schema: pageSchema(Expert) } },
  },
  {
    name: 'updateExpert',
    method: 'PATCH',
    route: 'v1/experts/{id:guid}',
    summary: 'Update an expert',
    tags: ['experts', 'admin'],
    auth: publicAccess,
    params: z.object({ id: z.uuid() }),
    headers: z.object({ 'if-match': z.string(), 'content-type': z.string().optional() }),
    body: NewExpert,
    responses: {
      200: { description: 'The updated expert', schema: Expert },
      404: { description: 'No such expert' },
      412: { description: 'Stale If-Match' },
    },
  },
  {
    name: 'expertCv',
    method: 'GET',
    route: 'v1/experts/{id}/cv',
    summary: 'CV as text',
    tags: ['experts'],
    auth: publicAccess,
    responses: { 200: { description: 'The CV', contentType: 'text/plain' } },
  },
  { name: 'hidden', method: 'GET', route: 'docs/{file}', summary: 'asset', tags: ['meta'], auth: publicAccess, documented: false, responses: { 200: { description: 'ok' } } },
];

const document = buildOpenApiDocument('https://api.example.com/api', endpoints);
const paths = document.paths as Record<string, Record<string, any>>;

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'https://api.example.com/api' }]);
  });

  it('uses function names as operationIds, route templates as paths, and lists tags', () => {
    expect(Object.keys(paths).sort()).toEqual(['/v1/experts', '/v1/experts/{id}', '/v1/experts/{id}/cv']);
    expect(paths['/v1/experts']!.get.operationId).toBe('listExperts');
    expect(paths['/v1/experts/{id}']!.patch.operationId).toBe('updateExpert');
    expect(document.tags).toEqual([{ name: 'admin' }, { name: 'experts' }]);
  });

  it('describes path, query and header parameters from their schemas', () => {
    const list = paths['/v1/experts']!.get.parameters;
    expect(list).toEqual([
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      { name: 'cursor', in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 2048 } },
      {
        name: 'skill',
        in: 'query',
        required: false,
        description: 'Filter by skill; repeat for several',
        schema: expect.objectContaining({ type: 'array', items: { type: 'string' } }),
      },
    ]);
    const update = paths['/v1/experts/{id}']!.patch.parameters;
    expect(update).toEqual([
      { name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'string', format: 'uuid' }) },
      { name: 'if-match', in: 'header', required: true, schema: { type: 'string' } },
    ]);
    expect(paths['/v1/experts/{id}/cv']!.get.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  it('describes the request body', () => {
    const body = paths['/v1/experts/{id}']!.patch.requestBody;
    expect(body.required).toBe(true);
    expect(body.content['application/json'].schema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, description: 'Display name' }, email: { type: 'string', format: 'email' } },
      required: ['name', 'email'],
    });
  });

  it('describes responses, with named schemas as components and every error as a Problem', () => {
    const responses = paths['/v1/experts/{id}']!.patch.responses;
    expect(responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Expert' });
    expect(document.components.schemas.Expert).toMatchObject({ type: 'object', required: ['id', 'name', 'languages'] });
    for (const status of ['400', '404', '412', '413', '415', '500']) {
      expect(responses[status].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    }
    expect(document.components.schemas.Problem).toMatchObject({ required: expect.arrayContaining(['type', 'title', 'status', 'detail']) });
    const page = paths['/v1/experts']!.get.responses['200'].content['application/json'].schema;
    expect(page.properties.items.items).toEqual({ $ref: '#/components/schemas/Expert' });
    expect(page.properties.nextCursor).toEqual({ type: ['string', 'null'] });
    expect(paths['/v1/experts/{id}/cv']!.get.responses['200'].content).toEqual({ 'text/plain': { schema: { type: 'string' } } });
  });

  it('documents an error response with its own schema as that schema, in JSON', () => {
    const doc = buildOpenApiDocument('http://localhost/api', [{ ...endpoints[2]!, responses: { 503: { description: 'Not ready', schema: z.object({ status: z.literal('not_ready') }) } } }]);
    const responses = (doc.paths as Record<string, Record<string, any>>)['/v1/experts/{id}/cv']!.get.responses;
    expect(responses['503'].content).toEqual({ 'application/json': { schema: expect.objectContaining({ type: 'object' }) } });
  });

  it('names the input shape of a schema apart when it differs from the output', () => {
    const doc = buildOpenApiDocument('http://localhost/api', [{ ...endpoints[1]!, name: 'putExpert', method: 'PUT', body: Expert, responses: { 200: { description: 'ok', schema: Expert } } }]);
    const put = (doc.paths as Record<string, Record<string, any>>)['/v1/experts/{id}']!.put;
    expect(put.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ExpertInput' });
    expect(put.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Expert' });
    expect(doc.components.schemas.ExpertInput!.required).toEqual(['id', 'name']);
  });
});
