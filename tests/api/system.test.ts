import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, startHost, type RunningHost } from '../helpers/host-process';

// The project's own app through the local host, with the embedded defaults (Azurite included).
let host: RunningHost;

beforeAll(async () => {
  host = await startHost({ app: projectRoot, env: { CORS_ALLOWED_ORIGINS: 'https://buyer.example.com' } });
});
afterAll(async () => {
  await host?.stop();
});

const get = (route: string, init?: RequestInit) => fetch(`${host.baseUrl}${route}`, init);

describe('system endpoints of the app, through the local host', () => {
  it('answers liveness with security headers, a request id and a traceparent', async () => {
    const response = await get('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('reports readiness per dependency: the store, and the blob data container (created at start-up) on the Azurite the host started', async () => {
    const response = await get('/api/health/ready');
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.dependencies).toEqual([
      expect.objectContaining({ name: 'document-store', status: 'up', latencyMs: expect.any(Number) }),
      expect.objectContaining({ name: 'blob-storage', status: 'up', latencyMs: expect.any(Number) }),
    ]);
  });

  it('serves a valid OpenAPI 3.1 document describing the endpoints', async () => {
    const response = await get('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.servers[0].url).toBe(`${host.baseUrl}/api`);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/health/ready', '/metrics', '/openapi.json']));
    // Search and matching (issue 7) are documented too.
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/search/experts', '/v1/search/services', '/v1/search/autocomplete', '/v1/search/trending', '/v1/search/suggest-experts', '/v1/experts/{expertId}/reviews']),
    );
    expect(document.paths['/health/ready'].get.responses).toHaveProperty('503');
    const result = await validate(structuredClone(document));
    expect(result.valid, JSON.stringify(result.valid ? [] : result.errors)).toBe(true);
  });

  it('serves the docs page and its assets from the installed package, not a CDN', async () => {
    const page = await get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const asset = await get(new URL(src, `${host.baseUrl}/api/docs`).pathname);
      expect(asset.status, src).toBe(200);
    }
  });

  it('exposes Prometheus metrics with request counts by function and status', async () => {
    await get('/api/health');
    const response = await get('/api/metrics');
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/http_requests_total\{[^}]*function="health"[^}]*status="200"[^}]*\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_bucket/);
  });

  it('answers CORS preflight for an allowed origin and refuses another', async () => {
    const allowed = await get('/api/health', { method: 'OPTIONS', headers: { origin: 'https://buyer.example.com', 'access-control-request-method': 'GET' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://buyer.example.com');
    const refused = await get('/api/health', { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('answers an unknown API route with 404', async () => {
    expect((await get('/api/v1/no-such-thing')).status).toBe(404);
  });
});

describe('specialization taxonomy endpoint', () => {
  it('serves the taxonomy publicly with paths and certifications, and 304 when unchanged', async () => {
    const response = await get('/api/v1/specializations');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const body = await response.json();
    const fsvp = body.specializations.find((entry: { id: string }) => entry.id === 'fsvp');
    expect(fsvp).toMatchObject({ name: 'Foreign Supplier Verification Program', parentId: 'fsma', path: ['us-regulatory', 'fsma', 'fsvp'], jurisdictions: ['US'] });
    expect(body.certifications.find((entry: { id: string }) => entry.id === 'fsvp-qi')).toMatchObject({ issuer: 'FSPCA' });

    const again = await get('/api/v1/specializations', { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });
});
