import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../shared/adapters/sqlite/sqlite-document-store';
import { rateLimits } from '../../../shared/data/containers';
import { AppError } from '../../../shared/errors';
import { clientIp, RateLimiter } from '../../../shared/http/rate-limit';
import { passwordIssues } from '../../../shared/domain/identity/passwords';
import { maskEmail } from '../../../shared/domain/identity/secrets';

const rules = { credentials: { limit: 3, windowSeconds: 60 }, publicRead: { limit: 1, windowSeconds: 1 }, read: { limit: 1, windowSeconds: 1 }, write: { limit: 1, windowSeconds: 1 }, expensive: { limit: 1, windowSeconds: 1 } };

describe('rate limiter', () => {
  it('counts per tier and key in fixed windows, then refuses with Retry-After until the window ends', async () => {
    const limiter = new RateLimiter(await SqliteDocumentStore.open(':memory:').container(rateLimits), rules);
    const start = 1_800_000_000_000; // a window boundary
    expect((await limiter.take('credentials', 'ip:a', start)).remaining).toBe(2);
    await limiter.take('credentials', 'ip:a', start + 1000);
    await limiter.take('credentials', 'ip:a', start + 2000);
    const refused = await limiter.take('credentials', 'ip:a', start + 15_000).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).kind).toBe('rate_limited');
    expect((refused as AppError).headers).toMatchObject({ 'Retry-After': '45', RateLimit: '"credentials";r=0;t=45' });
    expect((await limiter.take('credentials', 'ip:b', start + 15_000)).remaining).toBe(2);
    expect((await limiter.take('credentials', 'ip:a', start + 60_000)).remaining).toBe(2);
  });

  it('counts concurrent first requests of a window exactly', async () => {
    const limiter = new RateLimiter(await SqliteDocumentStore.open(':memory:').container(rateLimits), { ...rules, credentials: { limit: 5, windowSeconds: 60 } });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => limiter.take('credentials', 'ip:c', 1_800_000_000_000)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
  });
});

describe('client IP', () => {
  const ip = (forwarded?: string) => clientIp(new HttpRequest({ url: 'http://localhost/api', method: 'GET', headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }));
  it('takes the hop the platform appended, without its port', () => {
    expect(ip('10.0.0.1, 203.0.113.9:50123')).toBe('203.0.113.9');
    expect(ip('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(ip()).toBe('unknown');
  });
});

describe('password policy and masking', () => {
  it('refuses short, common and personal passwords with a reason, and accepts a passphrase', () => {
    expect(passwordIssues('Ab1!', [], 'p')[0]!.message).toMatch(/at least 10/);
    expect(passwordIssues('qwertyuiop', [], 'p')[0]!.message).toMatch(/too weak/);
    expect(passwordIssues('margaretfoodx', ['margaret@foodx.example'], 'p')[0]!.message).toMatch(/too weak/);
    expect(passwordIssues('Quiet-Harbour-Lantern-42', [], 'p')).toEqual([]);
  });
  it('masks emails for logs', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@e***.com');
  });
});
