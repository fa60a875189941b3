import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { rateLimits } from '../../../../shared/http/containers';
import { AppError } from '../../../../shared/errors';
import { clientIp, type RateDecision, RateLimiter } from '../../../../shared/http/rate-limit';
import { passwordIssues } from '../../../../shared/domain/identity/passwords';
import { maskEmail } from '../../../../shared/domain/identity/secrets';

const rules = {
  credentials: { limit: 3, windowSeconds: 60 },
  publicRead: { limit: 1, windowSeconds: 1 },
  read: { limit: 1, windowSeconds: 1 },
  write: { limit: 1, windowSeconds: 1 },
  expensive: { limit: 1, windowSeconds: 1 },
};

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

describe('read limits, counted in batches', () => {
  const start = 1_800_000_000_000;
  const counting = async () => {
    const container = await SqliteDocumentStore.open(':memory:').container<{ id: string; count: number }>(rateLimits);
    const writes = { count: 0 };
    const patch = container.patch.bind(container);
    container.patch = (...args) => {
      writes.count += 1;
      return patch(...args);
    };
    return { container, writes };
  };
  const reads = { ...rules, publicRead: { limit: 1000, windowSeconds: 60 } };

  it('writes the store once per 5% of the limit, not once per request, with exact remaining counts', async () => {
    const { container, writes } = await counting();
    const limiter = new RateLimiter(container, reads);
    let last: RateDecision | undefined;
    for (let at = 0; at < 200; at++) last = await limiter.take('publicRead', 'ip:a', start + at);
    expect(last!.remaining).toBe(800);
    expect(writes.count).toBeLessThanOrEqual(4);
    // A second later the batch is written whatever its size.
    const before = writes.count;
    expect((await limiter.take('publicRead', 'ip:a', start + 1500)).remaining).toBe(799);
    expect(writes.count).toBe(before + 1);
  });

  it('refuses exactly past the limit on one instance', async () => {
    const { container } = await counting();
    const limiter = new RateLimiter(container, { ...rules, publicRead: { limit: 100, windowSeconds: 60 } });
    for (let at = 0; at < 100; at++) await limiter.take('publicRead', 'ip:b', start);
    await expect(limiter.take('publicRead', 'ip:b', start)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect((await limiter.take('publicRead', 'ip:other', start)).remaining).toBe(99);
  });

  it('lets several instances sharing the store through at most 5% each over the limit', async () => {
    const { container } = await counting();
    const instances = [
      new RateLimiter(container, { ...rules, publicRead: { limit: 200, windowSeconds: 60 } }),
      new RateLimiter(container, { ...rules, publicRead: { limit: 200, windowSeconds: 60 } }),
    ];
    let allowed = 0;
    for (let at = 0; at < 400; at++) {
      const passed = await instances[at % 2]!.take('publicRead', 'ip:c', start).then(
        () => true,
        () => false,
      );
      if (passed) allowed += 1;
    }
    expect(allowed).toBeGreaterThanOrEqual(200);
    expect(allowed).toBeLessThanOrEqual(220);
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
  it('refuses short, common and personal passwords with a reason, and accepts a passphrase', async () => {
    expect((await passwordIssues('Ab1!', [], 'p'))[0]!.message).toMatch(/at least 10/);
    expect((await passwordIssues('qwertyuiop', [], 'p'))[0]!.message).toMatch(/too weak/);
    expect((await passwordIssues('margaretfoodx', ['margaret@foodx.example'], 'p'))[0]!.message).toMatch(/too weak/);
    expect(await passwordIssues('Quiet-Harbour-Lantern-42', [], 'p')).toEqual([]);
  });
  it('masks emails for logs', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@e***.com');
  });
});
