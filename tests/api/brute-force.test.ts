import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../helpers/host-process';
import { api, mailsTo, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// Real limits, small enough to reach: 8 credential calls a minute per IP, slow-down after 2
// failed sign-ins, lock after 4. Each case calls from its own loopback addresses (the host puts
// the peer address in X-Forwarded-For, as Azure's front end does; a forged header does not count).
let host: RunningHost;
let client: Api;

beforeAll(async () => {
  host = await startIdentityHost({ RATE_LIMIT_CREDENTIALS: '8/60', RATE_LIMIT_READ: '3/60', LOGIN_SLOWDOWN_AFTER: '2', LOGIN_LOCK_AFTER: '4', LOGIN_LOCK_MINUTES: '5' });
  client = api(host);
});
afterAll(async () => {
  await host?.stop();
});

const attempt = (email: string, password: string, ip: string) => api(host, ip).call('POST', 'v1/auth/login', { body: { email, password } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Limits count in fixed one-minute windows: start a burst well inside one, so it is not split across two. */
async function withinOneWindow(): Promise<void> {
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 45_000) await sleep(60_000 - intoWindow + 200);
}

describe('brute force', () => {
  it('answers 429 with Retry-After and RateLimit headers once an IP exceeds the credentials tier', { timeout: 30_000 }, async () => {
    const statuses: number[] = [];
    let last;
    await withinOneWindow();
    for (let i = 0; i < 10; i++) {
      last = await attempt(`nobody${i}@example.com`, 'Wrong-Password-123', '127.0.113.7');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-policy')).toBe('"credentials";q=8;w=60');
    expect(last!.headers.get('ratelimit')).toMatch(/^"credentials";r=0;t=\d+$/);
    // Another IP is not affected.
    expect((await attempt('nobody@example.com', 'Wrong-Password-123', '127.0.113.8')).status).toBe(401);
  });

  it('limits a signed-in account across IPs, not just per IP', { timeout: 30_000 }, async () => {
    const user = await registerUser(client, 'client', 'reader@example.com');
    const statuses = [];
    await withinOneWindow();
    for (const ip of ['127.51.100.1', '127.51.100.2', '127.51.100.3', '127.51.100.4']) {
      statuses.push((await api(host, ip).call('GET', 'v1/auth/me', { token: user.accessToken })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('slows repeated failures down, then locks the account and emails the owner; the right password waits too', async () => {
    const user = await registerUser(client, 'client', 'target@example.com');
    const wrong = (ip: string) => attempt(user.email, 'Not-My-Password-99', ip);
    expect((await wrong('127.0.2.1')).status).toBe(401);
    expect((await wrong('127.0.2.2')).status).toBe(401);
    // Two failures: the next try must wait, whatever the IP.
    const slowed = await wrong('127.0.2.3');
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await sleep(1100);
    expect((await wrong('127.0.2.4')).status).toBe(401);
    await sleep(2100);
    expect((await wrong('127.0.2.5')).status).toBe(401); // the fourth failure locks
    const locked = await attempt(user.email, user.password, '127.0.2.6');
    expect(locked.status).toBe(429);
    expect(locked.body.detail).toMatch(/locked/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(200);
    expect(mailsTo(host, user.email).map((mail) => mail.subject)).toContain('Your account was locked');
  });
});
