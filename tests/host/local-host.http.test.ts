import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, startHost, type RunningHost } from '../helpers/host-process';

const app = path.join(projectRoot, 'tests/fixtures/sample-app');
let host: RunningHost;

beforeAll(async () => {
  host = await startHost({ app, args: ['--no-azurite'] });
});
afterAll(async () => {
  await host?.stop();
});

const get = (route: string, init?: RequestInit) => fetch(`${host.baseUrl}${route}`, init);
const json = async (route: string, init?: RequestInit) => {
  const response = await get(route, init);
  return { status: response.status, body: await response.json(), headers: response.headers };
};

describe('the local host serving HTTP triggers', () => {
  it('reports Running on the admin status endpoint, like the real host', async () => {
    const { status, body } = await json('/admin/host/status');
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: 'Running', version: expect.stringMatching(/^4\./) });
  });

  it.each([
    ['/api/items/42', 'itemById', { id: '42' }],
    ['/api/items/abc', 'itemBySlug', { slug: 'abc' }],
    ['/api/files/reports/2026/q1.pdf', 'files', { path: 'reports/2026/q1.pdf' }],
    ['/api/users/alice', 'userTab', { name: 'alice' }],
    ['/api/users/alice/orders', 'userTab', { name: 'alice', tab: 'orders' }],
    ['/api/things/3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'byGuid', { id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' }],
    ['/api/pages', 'withDefault', { page: '1' }],
    ['/api/pages/3', 'withDefault', { page: '3' }],
    ['/api/ranged/10', 'ranged', { n: '10' }],
    ['/api/download/report.pdf', 'fileWithExt', { name: 'report', ext: 'pdf' }],
    ['/API/Items/7', 'itemById', { id: '7' }],
  ])('routes %s with the runtime template rules', async (route, _fn, params) => {
    const { status, body } = await json(route);
    expect(status).toBe(200);
    expect(body.params).toEqual(params);
  });

  it('takes the first registered route that matches, as the Functions host does (no ASP.NET precedence)', async () => {
    // items/{slug} is registered before items/featured, so in Azure the literal route is shadowed too.
    expect((await json('/api/items/featured')).body).toEqual({ params: { slug: 'featured' } });
  });

  it.each(['/api/users/al1ce', '/api/things/not-a-guid', '/api/ranged/11', '/api/nowhere', '/items/42'])('answers %s, which no template accepts, with an empty 404', async (route) => {
    const response = await get(route);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('uses <prefix>/<function name> when a function has no route', async () => {
    const response = await get('/api/DefaultRoute');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('default route');
  });

  it('honours each function’s methods', async () => {
    expect((await get('/api/items/1', { method: 'DELETE' })).status).toBe(204);
    expect((await get('/api/items/1', { method: 'POST' })).status).toBe(404);
    expect((await json('/api/both', { method: 'PUT' })).body).toEqual({ method: 'PUT' });
    expect((await get('/api/both', { method: 'PATCH' })).status).toBe(404);
  });

  it('hands the handler a genuine HttpRequest: method, url, query, headers, JSON body, settings, trace context', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await get('/api/echo?tag=a&tag=b&q=hello%20world', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custom': 'custom value', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ name: 'Ada', unicode: 'שלום 👋' }),
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toMatchObject({
      method: 'POST',
      url: expect.stringMatching(/\/api\/echo\?tag=a&tag=b&q=hello%20world$/),
      query: { q: 'hello world' },
      tags: ['a', 'b'],
      header: 'custom value',
      body: { name: 'Ada', unicode: 'שלום 👋' },
      functionName: 'echo',
      greeting: 'hello from local.settings.json',
    });
    expect(response.headers.get('x-invocation-id')).toMatch(/^[0-9a-f-]{36}$/);
    const traceParent = response.headers.get('x-trace-parent')!;
    expect(traceParent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(traceParent).not.toContain('00f067aa0ba902b7');
  });

  it('appends the peer address to X-Forwarded-For as the platform front end does, after any hops the client sent', async () => {
    const forwardedFor = async (headers: Record<string, string>) => (await json('/api/echo', { method: 'POST', headers, body: 'x' })).body.forwardedFor;
    expect(await forwardedFor({})).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await forwardedFor({ 'x-forwarded-for': '203.0.113.7, 198.51.100.2' })).toMatch(/^203\.0\.113\.7, 198\.51\.100\.2, 127\.0\.0\.1:\d+$/);
  });

  it('passes raw bytes through both ways', async () => {
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    const response = await get('/api/raw', { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('parses form bodies through the genuine Request', async () => {
    const response = await json('/api/form', { method: 'POST', body: new URLSearchParams({ name: 'Grace' }) });
    expect(response.body).toEqual({ name: 'Grace' });
  });

  it('reads request cookies and writes response cookies', async () => {
    const response = await get('/api/cookies', { headers: { cookie: 'seen=1' } });
    expect(await response.json()).toEqual({ received: 'seen=1' });
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(/^session=abc%20123;/);
    expect(cookies[0]).toMatch(/max-age=3600/);
    expect(cookies[0]).toMatch(/httponly/);
    expect(cookies[0]).toMatch(/samesite=strict/);
    expect(cookies[1]).toBe('theme=dark');
  });

  it('answers a throwing handler with an empty 500 and logs the error with the invocation id', async () => {
    const response = await get('/api/boom');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toBe('');
    expect(host.output()).toMatch(/Executed 'Functions\.boom' \(Failed, Id=[0-9a-f-]{36}[^)]*\)\s+Error: secret internals/);
  });

  it('streams a ReadableStream body', async () => {
    expect(await (await get('/api/stream')).text()).toBe('chunk-1;chunk-2;chunk-3');
  });

  it('writes an HttpResponse instance with its status, headers and cookies', async () => {
    const response = await get('/api/response-object');
    expect(response.status).toBe(202);
    expect(response.headers.get('x-built')).toBe('yes');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.getSetCookie()).toEqual(['a=b']);
    expect(await response.json()).toEqual({ built: 'HttpResponse' });
  });

  it('answers 204 when a handler returns nothing', async () => {
    const response = await get('/api/empty');
    expect(response.status).toBe(204);
  });

  it('runs preInvocation and postInvocation hooks around the handler', async () => {
    expect((await json('/api/hook-data')).body).toEqual({ fromHook: 'set by preInvocation' });
    const replaced = await get('/api/nothing');
    expect(replaced.status).toBe(299);
    expect(await replaced.text()).toBe('replaced by postInvocation');
  });

  it("passes user logs through the app's log hooks, which may rewrite them", async () => {
    expect((await get('/api/logs?order=77')).status).toBe(204);
    expect(host.output()).toMatch(/\[logs [0-9a-f-]{36}\] charging card=\*\*\*\* for order 77/);
    expect(host.output()).not.toContain('4111111111111111');
  });

  it('fails an invocation that exceeds host.json functionTimeout', async () => {
    // The function would take a minute: only the host's timeout can answer within the test's 15 s.
    const started = Date.now();
    const response = await get('/api/slow/60000');
    expect(response.status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(host.output()).toMatch(/Timeout value of 00:00:05 exceeded by function 'slow'/);
  }, 15_000);
});
