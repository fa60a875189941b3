import { validate } from '@readme/openapi-parser';
import { describe, expect, it, vi } from 'vitest';
import * as docs from '../../../functions/docs.http';
import { call } from '../../helpers/http-client';

vi.hoisted(() => {
  // Outside the Functions runtime app.http only warns that it skips registration.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

const asset = (file: string) => call(docs.docsAssetFile, { url: `https://api.example.com/api/docs/${encodeURIComponent(file)}`, params: { file } });

describe('GET /api/openapi.json', () => {
  it('serves a valid document whose server is the request origin', async () => {
    const { response } = await call(docs.openApiDocument, { url: 'https://api.example.com/api/openapi.json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const document = response.json();
    expect(document.servers).toEqual([{ url: 'https://api.example.com/api' }]);
    expect(document.paths['/openapi.json'].get.operationId).toBe('openApiDocument');
    expect(document.paths['/docs/{file}']).toBeUndefined();
    expect((await validate(document)).valid).toBe(true);
  });
});

describe('GET /api/docs', () => {
  it('serves a page whose scripts and styles all come from this app, allowed by its CSP', async () => {
    const { response } = await call(docs.docsPage, { url: 'https://api.example.com/api/docs' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const scripts = [...response.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/src="\/api\/docs\/[\w.-]+\.js"/);
      expect(content!.trim()).toBe('');
    }
    expect(response.text).not.toMatch(/<style|style=|https?:\/\//);
    for (const [, href] of response.text.matchAll(/(?:src|href)="\/api\/docs\/([\w.-]+)"/g)) {
      const { response: file } = await asset(href!);
      expect(file.status, href).toBe(200);
    }
  });

  it('serves its own initializer that loads this API, not the demo', async () => {
    const { response } = await asset('swagger-initializer.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.text).toContain('../openapi.json');
    expect(response.text).not.toContain('petstore');
  });

  it('serves swagger-ui-dist files with their types and a cache lifetime', async () => {
    const { response } = await asset('swagger-ui.css');
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(response.text).toContain('.swagger-ui');
  });

  it.each(['../package.json', '..', 'package.json', 'index.html', 'nope.js', '%2e%2e%2fpackage.json', '/etc/passwd'])('does not serve %s', async (file) => {
    const { response } = await asset(file);
    expect([400, 404]).toContain(response.status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
