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

/**
 * Fixed-window counters in the store (one document per tier, caller and window, incremented in
 * place), so a limit holds across every instance. A window's counter expires by TTL.
 */
export class RateLimiter {
  constructor(private readonly container: Container<WindowCounter>, private readonly rules: Record<RateLimitTier, RateLimitRule>) {}

  /** Counts one request of `key` in `tier`; throws a 429 (with Retry-After and RateLimit headers) past the limit. */
  async take(tier: RateLimitTier, key: string, now = Date.now()): Promise<RateDecision> {
    const rule = this.rules[tier];
    const windowMs = rule.windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const id = hashSecret(`${tier}\n${key}\n${window}`);
    const count = await this.increment(id, rule.windowSeconds);
    const decision: RateDecision = { tier, rule, remaining: Math.max(0, rule.limit - count), resetSeconds: Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000)) };
    if (count > rule.limit) {
      throw new AppError('rate_limited', `Too many requests (${tier} limit: ${rule.limit} per ${rule.windowSeconds} s). Retry after ${decision.resetSeconds} s.`, {
        headers: { 'Retry-After': String(decision.resetSeconds), ...rateLimitHeaders(decision) },
      });
    }
    return decision;
  }

  private async increment(id: string, windowSeconds: number): Promise<number> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return (await this.container.patch(id, id, [{ op: 'increment', path: 'count', value: 1 }])).count;
      } catch (error) {
        if (!(error instanceof StoreError) || error.kind !== 'not_found') throw error;
      }
      try {
        return (await this.container.create({ id, count: 1, ttl: windowSeconds + 60 })).count;
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
  const hops = (request.headers.get('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim()).filter(Boolean);
  const last = hops.at(-1);
  if (!last) return 'unknown';
  // Strip a port: `1.2.3.4:5678` or `[::1]:5678`.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(last);
  if (bracketed) return bracketed[1]!;
  return /^[\d.]+:\d+$/.test(last) ? last.slice(0, last.lastIndexOf(':')) : last;
}
