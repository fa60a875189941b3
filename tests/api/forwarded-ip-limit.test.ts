import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../helpers/host-process';
import { api, startIdentityHost } from '../helpers/identity';

// The per-IP credentials limit keys on the hop the front end appended to X-Forwarded-For (the
// local host appends the socket's peer, as Azure does), so a caller cannot reset it by forging
// the header.
const LIMIT = 5;
let host: RunningHost;

beforeAll(async () => {
  host = await startIdentityHost({ RATE_LIMIT_CREDENTIALS: `${LIMIT}/60` });
});
afterAll(async () => {
  await host?.stop();
});

let attempts = 0;
// A new unknown email each time, so only the per-IP limit (not the per-account slow-down) applies.
const login = (sourceAddress: string, forgedIp?: string) =>
  api(host, sourceAddress).call('POST', 'v1/auth/login', {
    body: { email: `nobody${attempts++}@example.com`, password: 'Wrong-Password-123' },
    headers: forgedIp ? { 'x-forwarded-for': forgedIp } : {},
  });

describe('per-IP limits behind X-Forwarded-For', () => {
  it('still refuses a caller who sends a new forged X-Forwarded-For with every attempt; another peer is unaffected', async () => {
    const statuses: number[] = [];
    // Limits count in fixed windows: 2 × LIMIT + 1 attempts exceed the limit even when a window boundary splits them.
    for (let i = 0; i < 2 * LIMIT + 1; i++) statuses.push((await login('127.0.9.1', `198.51.100.${i + 1}`)).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(2 * LIMIT);
    // A genuinely different peer forging the refused caller's address has its own count.
    expect((await login('127.0.9.2', '127.0.9.1')).status).toBe(401);
  });
});
