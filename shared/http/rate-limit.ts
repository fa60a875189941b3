import type { HttpRequest } from '@azure/functions';
import { AppError } from '../errors';
import { StoreError } from '../data/errors';
import type { Container, Document } from '../data/document-store';
import { hashSecret } from '../domain/identity/secrets';
import type { RateLimitRule, RateLimitTier } from '../identity-config';

interface WindowCounter extends Document {
  count: number;
}

export interface RateDecision {
  tier: RateLimitTier;
  rule: RateLimitRule;
  remaining: number;
  resetSeconds: number;
}

/** Read tiers are counted in memory and written in batches; the others on every request. */
const BATCHED_TIERS: ReadonlySet<RateLimitTier> = new Set(['publicRead', 'read']);
/** A batch is written once it holds this share of the limit, or is this old. */
const BATCH_SHARE = 0.05;
const BATCH_MAX_AGE_MS = 1000;

/** What this instance knows of one window's counter. */
interface LocalCount {
  window: number;
  /** The store's count at the last write (every instance's requests). */
  stored: number;
  /** Requests counted here since then. */
  pending: number;
  writtenAt: number;
  writing?: Promise<void>;
}

/**
 * Fixed-window counters in the store (one document per tier, caller and window, incremented in
 * place), so a limit holds across every instance. A window's counter expires by TTL.
 *
 * Credential and write limits are counted in the store on every request: exact, as brute-force
 * protection needs. Read limits guard against scraping, where a store write per GET would cost
 * more than the read itself: each instance counts them in memory and adds its batch to the store
 * once it reaches 5% of the limit or a second has passed, and always before refusing. One
 * instance is exact; with several, each may let through up to 5% of the limit (plus a second's
 * worth) before it learns the others' counts.
 */
export class RateLimiter {
  private readonly local = new Map<string, LocalCount>();

  constructor(
    private readonly container: Container<WindowCounter>,
    private readonly rules: Record<RateLimitTier, RateLimitRule>,
  ) {}

  /** Counts one request of `key` in `tier`; throws a 429 (with Retry-After and RateLimit headers) past the limit. */
  async take(tier: RateLimitTier, key: string, now = Date.now()): Promise<RateDecision> {
    const rule = this.rules[tier];
    const windowMs = rule.windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const id = hashSecret(`${tier}\n${key}\n${window}`);
    const count = BATCHED_TIERS.has(tier) ? await this.countBatched(id, window, rule, now) : await this.increment(id, rule.windowSeconds, 1);
    const decision: RateDecision = { tier, rule, remaining: Math.max(0, rule.limit - count), resetSeconds: Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000)) };
    if (count > rule.limit) {
      throw new AppError('rate_limited', `Too many requests (${tier} limit: ${rule.limit} per ${rule.windowSeconds} s). Retry after ${decision.resetSeconds} s.`, {
        headers: { 'Retry-After': String(decision.resetSeconds), ...rateLimitHeaders(decision) },
      });
    }
    return decision;
  }

  /** This request's place in the window: from memory, writing the batch when it is due. */
  private async countBatched(id: string, window: number, rule: RateLimitRule, now: number): Promise<number> {
    let local = this.local.get(id);
    if (!local) {
      this.forgetEndedWindows(window);
      local = { window, stored: 0, pending: 0, writtenAt: now };
      this.local.set(id, local);
    }
    local.pending += 1;
    const estimate = local.stored + local.pending;
    const due = estimate > rule.limit || local.pending >= Math.max(1, rule.limit * BATCH_SHARE) || now - local.writtenAt >= BATCH_MAX_AGE_MS;
    if (!due) return estimate;
    // The count the store returns covers this request: the batch holding it is written before returning.
    while (local.pending > 0) {
      local.writing ??= this.writeBatch(id, local, rule.windowSeconds, now).finally(() => (local.writing = undefined));
      await local.writing;
    }
    return local.stored;
  }

  private async writeBatch(id: string, local: LocalCount, windowSeconds: number, now: number): Promise<void> {
    const batch = local.pending;
    local.pending = 0;
    try {
      local.stored = await this.increment(id, windowSeconds, batch);
      local.writtenAt = now;
    } catch (error) {
      local.pending += batch;
      throw error;
    }
  }

  private forgetEndedWindows(window: number): void {
    if (this.local.size < 1000) return;
    for (const [id, local] of this.local) if (local.window < window && !local.writing) this.local.delete(id);
  }

  private async increment(id: string, windowSeconds: number, by: number): Promise<number> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return (await this.container.patch(id, id, [{ op: 'increment', path: 'count', value: by }])).count;
      } catch (error) {
        if (!(error instanceof StoreError) || error.kind !== 'not_found') throw error;
      }
      try {
        return (await this.container.create({ id, count: by, ttl: windowSeconds + 60 })).count;
      } catch (error) {
        // Another request created the window first: increment theirs.
        if (!(error instanceof StoreError) || error.kind !== 'conflict') throw error;
      }
    }
    throw new AppError('throttled', 'The rate limiter is busy; retry shortly.', { headers: { 'Retry-After': '1' } });
  }
}

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers): policy and what is left. */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"${decision.tier}";q=${decision.rule.limit};w=${decision.rule.windowSeconds}`,
    RateLimit: `"${decision.tier}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}

/**
 * The caller's IP: the last `X-Forwarded-For` hop, the one the platform's front end appended
 * (earlier entries are whatever the client sent). Requests with none share one key.
 */
export function clientIp(request: HttpRequest): string {
  const hops = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  const last = hops.at(-1);
  if (!last) return 'unknown';
  // Strip a port: `1.2.3.4:5678` or `[::1]:5678`.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(last);
  if (bracketed) return bracketed[1]!;
  return /^[\d.]+:\d+$/.test(last) ? last.slice(0, last.lastIndexOf(':')) : last;
}
