import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { publicAccess } from '../../../../shared/http/auth';
import type { EndpointSpec } from '../../../../shared/http/endpoint';
import { testEndpointKit } from '../../../helpers/endpoint-kit';
import { queryBoolean, queryList, queryNumber } from '../../../../shared/http/query';
import { call } from '../../../helpers/http-client';

const { createHandler } = testEndpointKit({ CORS_ALLOWED_ORIGINS: 'https://app.example.com', HTTP_MAX_BODY_BYTES: '1024' });

const base = { name: 'things', method: 'GET', route: 'v1/things', summary: 'Things', tags: ['things'], auth: publicAccess, responses: { 200: { description: 'ok' } } } as const;

const createThing = createHandler({
  ...base,
  name: 'createThing',
  method: 'POST',
  params: z.object({ id: z.string().regex(/^t-\d+$/) }),
  query: z.object({ dryRun: queryBoolean(z.boolean().default(false)), tag: queryList(z.string()).optional(), n: queryNumber().optional() }),
  headers: z.object({ 'x-tenant': z.string().min(2) }),
  body: z.object({ email: z.email(), name: z.string().min(1), address: z.object({ city: z.string() }) }).strict(),
  handler: ({ params, query, body, headers }) => ({ status: 201, body: { params, query, body, headers } }),
});

const validPost = {
  method: 'POST',
  url: 'http://localhost/api/v1/things/t-1?dryRun=true&tag=a&tag=b&n=3',
  params: { id: 't-1' },
  headers: { 'content-type': 'application/json', 'x-tenant': 'acme' },
  body: { string: JSON.stringify({ email: 'a@b.example', name: 'A', address: { city: 'Haifa' } }) },
};

function throwing(error: unknown) {
  return createHandler({
    ...base,
    handler: () => {
      throw error;
    },
  });
}

describe('handler input', () => {
  it('gives the handler parsed params, query (repeated keys as arrays, coerced values), headers and body', async () => {
    const { response } = await call(createThing, validPost);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json()).toEqual({
      params: { id: 't-1' },
      query: { dryRun: true, tag: ['a', 'b'], n: 3 },
      body: { email: 'a@b.example', name: 'A', address: { city: 'Haifa' } },
      headers: { 'x-tenant': 'acme' },
    });
  });

  it('lists every failing field of every part in one 400 problem', async () => {
    const { response } = await call(createThing, {
      ...validPost,
      url: 'http://localhost/api/v1/things/x?dryRun=maybe&n=',
      params: { id: 'x' },
      headers: { 'content-type': 'application/json' },
      body: { string: JSON.stringify({ email: 'nope', address: {}, extra: 1 }) },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = response.json();
    expect(problem).toMatchObject({ type: 'https://foodxchange.dev/problems/validation', status: 400, title: 'Invalid request' });
    expect(problem.errors.map((issue: { field: string }) => issue.field).sort()).toEqual(
      ['body.address.city', 'body.email', 'body.extra', 'body.name', 'headers.x-tenant', 'params.id', 'query.dryRun', 'query.n'].sort(),
    );
    for (const issue of problem.errors) expect(issue.message).toEqual(expect.any(String));
  });

  it('answers malformed JSON with a 400 naming the body', async () => {
    const { response } = await call(createThing, { ...validPost, body: { string: '{"email": ' } });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ type: 'https://foodxchange.dev/problems/validation', errors: [{ field: 'body' }] });
  });

  it('answers a missing body with a 400 naming the body', async () => {
    const { response } = await call(createThing, { ...validPost, body: undefined });
    expect(response.status).toBe(400);
    expect(response.json().errors).toEqual([{ field: 'body', message: expect.any(String) }]);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { response } = await call(createThing, { ...validPost, headers: { ...validPost.headers, 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
    expect(response.json()).toMatchObject({ type: 'https://foodxchange.dev/problems/unsupported-media-type', status: 415 });
  });

  it('accepts JSON media types with parameters and +json suffixes', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      const { response } = await call(createThing, { ...validPost, headers: { ...validPost.headers, 'content-type': type } });
      expect(response.status).toBe(201);
    }
  });

  it('refuses a body over the configured limit with 413, by declared length or by actual bytes', async () => {
    const big = JSON.stringify({ email: 'a@b.example', name: 'x'.repeat(2000), address: { city: 'c' } });
    const declared = await call(createThing, { ...validPost, headers: { ...validPost.headers, 'content-length': '5000' } });
    const actual = await call(createThing, { ...validPost, body: { string: big } });
    for (const { response } of [declared, actual]) {
      expect(response.status).toBe(413);
      expect(response.json()).toMatchObject({ type: 'https://foodxchange.dev/problems/payload-too-large', detail: expect.stringContaining('1024') });
    }
  });
});

describe('error mapping', () => {
  const cases: [AppError, number, string][] = [
    [new AppError('validation', 'bad'), 400, 'validation'],
    [new AppError('unauthenticated', 'sign in'), 401, 'unauthenticated'],
    [new AppError('forbidden', 'no'), 403, 'forbidden'],
    [new AppError('not_found', 'gone'), 404, 'not-found'],
    [new AppError('method_not_allowed', 'nope', { headers: { Allow: 'GET, POST' } }), 405, 'method-not-allowed'],
    [new AppError('conflict', 'taken'), 409, 'conflict'],
    [new AppError('precondition_failed', 'stale'), 412, 'precondition-failed'],
    [new AppError('payload_too_large', 'big'), 413, 'payload-too-large'],
    [new AppError('unsupported_media_type', 'xml'), 415, 'unsupported-media-type'],
    [new AppError('unprocessable', 'cannot'), 422, 'unprocessable'],
    [new AppError('precondition_required', 'if-match'), 428, 'precondition-required'],
    [new AppError('rate_limited', 'slow down', { headers: { 'Retry-After': '30' } }), 429, 'rate-limited'],
    [new AppError('throttled', 'busy'), 503, 'throttled'],
    [new AppError('unavailable', 'down'), 503, 'unavailable'],
  ];

  it.each(cases)('%s → %i problem', async (error, status, type) => {
    const { response, logged } = await call(throwing(error), { headers: { 'x-request-id': 'req-42' } });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.json()).toEqual({
      type: `https://foodxchange.dev/problems/${type}`,
      title: expect.any(String),
      status,
      detail: error.message,
      instance: '/api/v1/things',
      requestId: 'req-42',
    });
    expect(logged).toEqual([]);
  });

  it('sends the headers each status needs', async () => {
    const get = async (error: AppError, header: string) => (await call(throwing(error))).response.headers.get(header);
    expect(await get(new AppError('unauthenticated', 'x'), 'www-authenticate')).toBe('Bearer');
    expect(await get(new AppError('method_not_allowed', 'x', { headers: { Allow: 'GET, POST' } }), 'allow')).toBe('GET, POST');
    expect(await get(new AppError('rate_limited', 'x', { headers: { 'Retry-After': '30' } }), 'retry-after')).toBe('30');
    expect(await get(new AppError('rate_limited', 'x'), 'retry-after')).toMatch(/^\d+$/);
  });

  it('maps a zod error thrown by a handler to a 400 with its fields', async () => {
    const parsed = z.object({ email: z.email() }).safeParse({ email: 'x' });
    const { response } = await call(throwing(parsed.error));
    expect(response.status).toBe(400);
    expect(response.json().errors).toEqual([{ field: 'email', message: expect.any(String) }]);
  });

  it('hides an unexpected error behind a generic 500 and logs it with the invocation and request ids', async () => {
    const secret = new Error('connection string AccountKey=s3cr3t refused');
    const { response, logged } = await call(throwing(secret), { headers: { 'x-request-id': 'req-500' } });
    expect(response.status).toBe(500);
    expect(response.text).not.toContain('s3cr3t');
    expect(response.text).not.toContain('refused');
    expect(response.json()).toMatchObject({ type: 'https://foodxchange.dev/problems/internal', status: 500, requestId: 'req-500' });
    expect(response.headers.get('x-request-id')).toBe('req-500');
    expect(logged).toHaveLength(1);
    expect(String(logged[0]![0])).toContain('inv-1');
    expect(String(logged[0]![0])).toContain('req-500');
    expect(logged[0]).toContain(secret);
  });
});

describe('response headers', () => {
  const ok = createHandler({ ...base, handler: () => ({ body: { ok: true } }) });

  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    expect((await call(ok, { headers: { 'x-request-id': 'abc-123' } })).response.headers.get('x-request-id')).toBe('abc-123');
    const replaced = (await call(ok, { headers: { 'x-request-id': 'bad id\twith spaces' } })).response.headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call(ok)).response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('continues an incoming trace with a new span', async () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const traceparent = (await call(ok, { headers: { traceparent: incoming } })).response.headers.get('traceparent')!;
    expect(traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(traceparent).not.toBe(incoming);
  });

  it("answers with the invocation's span when the host continued the same trace", async () => {
    const hostSpan = '00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01';
    const { response } = await call(ok, { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, traceParent: hostSpan });
    expect(response.headers.get('traceparent')).toBe(hostSpan);
  });

  it('prefers the incoming trace when the invocation belongs to another one', async () => {
    const { response } = await call(ok, {
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' },
      traceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(response.headers.get('traceparent')).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[0-9a-f]{16}-00$/);
  });

  it("uses the invocation's trace context without an incoming header, and starts a trace without either", async () => {
    const hostSpan = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect((await call(ok, { traceParent: hostSpan })).response.headers.get('traceparent')).toBe(hostSpan);
    const fresh = (await call(ok, { headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' } })).response.headers.get('traceparent');
    expect(fresh).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(fresh).not.toContain('0000000000000000000000000000000');
  });

  it('puts correlation and security headers on successes and errors alike', async () => {
    for (const handler of [ok, throwing(new AppError('not_found', 'x')), throwing(new Error('boom'))]) {
      const { headers } = (await call(handler)).response;
      expect(headers.get('x-request-id')).toBeTruthy();
      expect(headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers.get('cache-control')).toBe('no-store');
      expect(headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('adds HSTS on https and keeps a Cache-Control the handler chose', async () => {
    const cached = createHandler({ ...base, handler: () => ({ body: 1, headers: { 'Cache-Control': 'public, max-age=60' } }) });
    const { headers } = (await call(cached, { url: 'https://api.example.com/api/v1/things' })).response;
    expect(headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('lets an endpoint loosen the CSP for its own page, and sends raw bodies with their type', async () => {
    const page = createHandler({
      ...base,
      contentSecurityPolicy: "default-src 'none'; script-src 'self'",
      handler: () => ({ raw: '<!DOCTYPE html><p>hi</p>', contentType: 'text/html; charset=utf-8' }),
    });
    const { response } = await call(page);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'self'");
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.text).toBe('<!DOCTYPE html><p>hi</p>');
  });

  it('answers 204 without a body when the handler returns none', async () => {
    const empty = createHandler({ ...base, handler: () => ({}) });
    const { response } = await call(empty);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
  });
});

describe('declaration', () => {
  it('refuses an endpoint without an auth policy', () => {
    const spec = { ...base, auth: undefined, handler: () => ({}) } as unknown as EndpointSpec;
    expect(() => createHandler(spec)).toThrow(/auth policy/);
  });
});
