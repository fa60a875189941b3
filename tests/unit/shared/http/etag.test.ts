import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { publicAccess } from '../../../../shared/http/auth';
import { testEndpointKit } from '../../../helpers/endpoint-kit';
import { etagHeaders, notModified, requireIfMatch, strongEtag } from '../../../../shared/http/etag';
import { call } from '../../../helpers/http-client';

const { createHandler } = testEndpointKit();

const current = '"v2"';
const request = (headers: Record<string, string>) => new HttpRequest({ method: 'PATCH', url: 'http://localhost/api/v1/x', headers });

function kindOf(action: () => void): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.kind;
    throw error;
  }
}

describe('strongEtag', () => {
  it('is a quoted, strong tag that changes with the value', () => {
    expect(strongEtag({ a: 1 })).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(strongEtag({ a: 1 })).toBe(strongEtag({ a: 1 }));
    expect(strongEtag({ a: 1 })).not.toBe(strongEtag({ a: 2 }));
  });

  it('comes with revalidate-always caching instead of no-store', () => {
    expect(etagHeaders('"x"')).toEqual({ ETag: '"x"', 'Cache-Control': 'private, no-cache' });
  });
});

describe('requireIfMatch', () => {
  it('requires the header on updates (428)', () => {
    expect(kindOf(() => requireIfMatch(request({}), current))).toBe('precondition_required');
  });

  it.each([
    ['the current tag', '"v2"'],
    ['a list holding it', '"v1", "v2"'],
    ['*', '*'],
  ])('passes with %s', (_label, header) => {
    expect(kindOf(() => requireIfMatch(request({ 'if-match': header }), current))).toBeUndefined();
  });

  it.each([
    ['a stale tag', '"v1"'],
    ['a weak tag (If-Match compares strongly)', 'W/"v2"'],
    ['a malformed list', 'v2'],
    ['a tag that only differs by case', '"V2"'],
  ])('fails with 412 for %s, telling the current ETag', (_label, header) => {
    try {
      requireIfMatch(request({ 'if-match': header }), current);
      throw new Error('expected 412');
    } catch (error) {
      expect((error as AppError).kind).toBe('precondition_failed');
      expect((error as AppError).headers).toEqual({ ETag: current });
    }
  });
});

describe('notModified', () => {
  const get = (headers: Record<string, string>) => new HttpRequest({ method: 'GET', url: 'http://localhost/api/v1/x', headers });

  it.each([
    ['the current tag', '"v2"', true],
    ['its weak form (weak comparison)', 'W/"v2"', true],
    ['a list holding it', '"a,b", W/"v2"', true],
    ['*', '*', true],
    ['another tag', '"v1"', false],
    ['a tag with a comma inside', '"v2,"', false],
  ])('with %s → %s', (_label, header, expected) => {
    expect(notModified(get({ 'if-none-match': header }), current)).toBe(expected);
  });

  it('is false without the header', () => {
    expect(notModified(get({}), current)).toBe(false);
  });
});

describe('through an endpoint', () => {
  const etag = strongEtag({ id: 'e1', version: 2 });
  const common = { summary: 's', tags: ['t'], auth: publicAccess, route: 'v1/x/{id}', params: z.object({ id: z.string() }) } as const;
  const read = createHandler({
    ...common,
    name: 'readX',
    method: 'GET',
    responses: { 200: { description: 'ok' }, 304: { description: 'unchanged' } },
    handler: ({ request }) => (notModified(request, etag) ? { status: 304, headers: etagHeaders(etag) } : { body: { id: 'e1' }, headers: etagHeaders(etag) }),
  });
  const update = createHandler({
    ...common,
    name: 'updateX',
    method: 'PUT',
    responses: { 200: { description: 'ok' } },
    handler: ({ request }) => {
      requireIfMatch(request, etag);
      return { body: { updated: true } };
    },
  });
  const url = 'http://localhost/api/v1/x/e1';

  it('answers a GET with the ETag, and a revalidation with an empty 304', async () => {
    const first = (await call(read, { url, params: { id: 'e1' } })).response;
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe(etag);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = (await call(read, { url, params: { id: 'e1' }, headers: { 'if-none-match': first.headers.get('etag')! } })).response;
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('answers updates with 428 without If-Match, 412 when stale and 200 when current', async () => {
    const statusWith = async (headers: Record<string, string>) => (await call(update, { method: 'PUT', url, params: { id: 'e1' }, headers })).response;
    const missing = await statusWith({});
    expect(missing.status).toBe(428);
    expect(missing.json().type).toBe('https://foodxchange.dev/problems/precondition-required');
    const stale = await statusWith({ 'if-match': '"old"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe(etag);
    expect((await statusWith({ 'if-match': etag })).status).toBe(200);
  });
});
