import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { publicAccess } from '../../../../shared/http/auth';
import { testEndpointKit } from '../../../helpers/endpoint-kit';
import { call } from '../../../helpers/http-client';

const allowed = 'https://app.example.com';
const common = { summary: 's', tags: ['t'], auth: publicAccess, responses: { 200: { description: 'ok' } } } as const;
const kit = testEndpointKit();
const { defineEndpoint } = kit;
let getExpert: ReturnType<typeof defineEndpoint>;

beforeAll(() => {
  // Outside the Functions runtime app.http only warns that it skips registration.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  getExpert = defineEndpoint({ ...common, name: 'getExpert', method: 'GET', route: 'v1/experts/{id}', handler: () => ({ body: { id: 1 } }) });
  defineEndpoint({
    ...common,
    name: 'updateExpert',
    method: 'PATCH',
    route: 'v1/experts/{expertId}',
    body: z.object({ name: z.string() }),
    handler: () => ({ body: {} }),
  });
  defineEndpoint({ ...common, name: 'listExperts', method: 'GET', route: 'v1/experts', handler: () => ({ body: [] }) });
});

beforeEach(() => {
  kit.settings.corsAllowedOrigins = [allowed, 'http://localhost:5173'];
});

const url = 'http://localhost/api/v1/experts/e1';

describe('CORS', () => {
  it('answers an allowed preflight with 204 and the methods of every endpoint on the route', async () => {
    const { response } = await call(getExpert, {
      method: 'OPTIONS',
      url,
      headers: { origin: allowed, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type, if-match' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-methods')!.split(', ').sort()).toEqual(['GET', 'OPTIONS', 'PATCH']);
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, if-match');
    expect(response.headers.get('access-control-max-age')).toMatch(/^\d+$/);
    expect(response.headers.get('vary')).toContain('Origin');
    expect(response.text).toBe('');
  });

  it('refuses a preflight from another origin with a 403 problem and no grant', async () => {
    const { response } = await call(getExpert, {
      method: 'OPTIONS',
      url,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.json()).toMatchObject({ type: 'https://foodxchange.dev/problems/forbidden', status: 403 });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('answers a plain OPTIONS with Allow', async () => {
    const { response } = await call(getExpert, { method: 'OPTIONS', url });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')!.split(', ').sort()).toEqual(['GET', 'OPTIONS', 'PATCH']);
  });

  it('grants an allowed origin on actual requests, with Vary and readable headers', async () => {
    const { response } = await call(getExpert, { url, headers: { origin: 'http://localhost:5173' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(response.headers.get('access-control-expose-headers')).toContain('ETag');
  });

  it('grants nothing to other origins, but still varies on Origin', async () => {
    const { response } = await call(getExpert, { url, headers: { origin: 'https://evil.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('grants any origin when configured with *', async () => {
    kit.settings.corsAllowedOrigins = ['*'];
    const { response } = await call(getExpert, { url, headers: { origin: 'https://anyone.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://anyone.example');
  });

  it('refuses to declare the same function name twice', () => {
    expect(() => defineEndpoint({ ...common, name: 'getExpert', method: 'GET', route: 'v1/other', handler: () => ({}) })).toThrow(/twice/);
  });
});
