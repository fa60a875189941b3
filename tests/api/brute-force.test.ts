import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type RunningHost } from '../helpers/host-process';
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

/**
 * Runs a burst, and once more if it straddled two of the limiter's fixed one-minute windows (the
 * host's clock is this machine's): a second burst, far shorter than a minute, cannot. Each burst
 * must use callers of its own.
 */
async function inOneWindow<T>(burst: (run: number) => Promise<T>): Promise<T> {
  for (let run = 0; ; run++) {
    const window = Math.floor(Date.now() / 60_000);
    const result = await burst(run);
    if (Math.floor(Date.now() / 60_000) === window || run === 1) return result;
  }
}

let probes = 0;
/** Tries the sign-in again, from a new IP each time (the per-IP limit stays out of it), until the slow-down lets it through. */
const onceSlowdownPasses = (email: string, password: string) =>
  waitFor(
    async () => {
      const response = await attempt(email, password, `127.18.0.${++probes}`);
      return response.status === 429 && /wait before trying again/.test(response.body.detail) ? undefined : response;
    },
    10_000,
    'the slow-down to pass',
  );

describe('brute force', () => {
  it('answers 429 with Retry-After and RateLimit headers once an IP exceeds the credentials tier', { timeout: 30_000 }, async () => {
    const { statuses, last } = await inOneWindow(async (run) => {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof attempt>> | undefined;
      for (let i = 0; i < 10; i++) {
        last = await attempt(`nobody${i}@example.com`, 'Wrong-Password-123', `127.0.113.${7 + run}`);
        statuses.push(last.status);
      }
      return { statuses, last };
    });
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-policy')).toBe('"credentials";q=8;w=60');
    expect(last!.headers.get('ratelimit')).toMatch(/^"credentials";r=0;t=\d+$/);
    // Another IP is not affected.
    expect((await attempt('nobody@example.com', 'Wrong-Password-123', '127.0.113.9')).status).toBe(401);
  });

  it('limits a signed-in account across IPs, not just per IP', { timeout: 30_000 }, async () => {
    const statuses = await inOneWindow(async (run) => {
      const user = await registerUser(client, 'client', `reader${run}@example.com`);
      const statuses = [];
      for (const ip of ['127.51.100.1', '127.51.100.2', '127.51.100.3', '127.51.100.4']) {
        statuses.push((await api(host, ip).call('GET', 'v1/auth/me', { token: user.accessToken })).status);
      }
      return statuses;
    });
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
    expect((await onceSlowdownPasses(user.email, 'Not-My-Password-99')).status).toBe(401);
    // Three failures: a longer wait, then the fourth failure locks.
    expect((await wrong('127.0.2.4')).status).toBe(429);
    expect((await onceSlowdownPasses(user.email, 'Not-My-Password-99')).status).toBe(401);
    const locked = await attempt(user.email, user.password, '127.0.2.6');
    expect(locked.status).toBe(429);
    expect(locked.body.detail).toMatch(/locked/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(200);
    expect(mailsTo(host, user.email).map((mail) => mail.subject)).toContain('Your account was locked');
  });
});
