import { describe, expect, it } from 'vitest';
import { AttemptPolicy, retryDelayMs } from '../../../../../shared/domain/delivery/attempts';

// The attempt bookkeeping both outboxes share: the backoff's bounds, the lease, the limit, and an admin's restart.

describe('retryDelayMs', () => {
  it('bounds the jitter: between half and all of an exponential step, which stops growing at 6 hours', () => {
    for (let attempts = 1; attempts <= 12; attempts++) {
      const step = Math.min(6 * 3_600_000, 60_000 * 2 ** (attempts - 1));
      expect(retryDelayMs(attempts, () => 0)).toBe(step / 2);
      expect(retryDelayMs(attempts, () => 0.999999)).toBeLessThanOrEqual(step);
      // Below the cap the shortest next wait is no shorter than the longest one before it.
      if (step * 2 <= 6 * 3_600_000) expect(retryDelayMs(attempts + 1, () => 0)).toBeGreaterThanOrEqual(retryDelayMs(attempts, () => 0.999999));
    }
  });
});

describe('AttemptPolicy', () => {
  const at = Date.parse('2026-12-01T10:00:00Z');
  const policy = new AttemptPolicy({ maxAttempts: 3, leaseMs: 120_000, now: () => new Date(at), random: () => 0 });

  it('leases from now, and counts a record as running only inside its lease', () => {
    const lease = policy.lease();
    expect(lease).toEqual({ claimedUntil: '2026-12-01T10:02:00.000Z', nextAttemptAt: '2026-12-01T10:02:00.000Z' });
    expect(policy.running({ attempts: 1, ...lease })).toBe(true);
    expect(policy.running({ attempts: 1, nextAttemptAt: lease.nextAttemptAt, claimedUntil: '2026-12-01T10:00:00.000Z' })).toBe(false);
    expect(policy.running({ attempts: 0, nextAttemptAt: lease.nextAttemptAt })).toBe(false);
  });

  it('backs off from now or from a given time, and is exhausted at the limit', () => {
    expect(policy.retryAt(1)).toBe('2026-12-01T10:00:30.000Z');
    expect(policy.retryAt(2, new Date(at + 120_000))).toBe('2026-12-01T10:03:00.000Z');
    expect([1, 2, 3, 4].map((attempts) => policy.exhausted(attempts))).toEqual([false, false, true, true]);
  });

  it('restarts a dead record for an admin: pending, attempts from zero, due now, its last error kept', () => {
    const dead = { status: 'dead', attempts: 3, nextAttemptAt: '2026-11-30T00:00:00.000Z', deadAt: '2026-11-30T00:00:00.000Z', lastError: '550', claimedUntil: '2026-11-30T00:00:00.000Z', cause: 'c' };
    expect(policy.restarted(dead)).toEqual({ status: 'pending', attempts: 0, nextAttemptAt: '2026-12-01T10:00:00.000Z', lastError: '550', cause: 'c' });
  });
});
