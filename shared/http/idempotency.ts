import { createHash } from 'node:crypto';
import { AppError } from '../errors';
import { stableJson } from '../stable-json';
import { StoreError } from '../data/errors';
import type { Container, Document, Stored } from '../data/document-store';

/** A response as it is replayed: status, headers and the body text exactly as first sent. */
export interface RememberedResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

interface IdempotencyRecord extends Document {
  state: 'in_progress' | 'completed';
  /** What the first request was: a retry must be the same request. */
  fingerprint: string;
  /** An in-progress claim older than this (ms since epoch) belongs to a crashed instance and may be taken over. */
  claimedUntil: number;
  response?: RememberedResponse;
}

export interface IdempotentCall {
  /** Who is asking and where (function and caller), so two callers' keys never collide. */
  scope: string;
  /** The client's `Idempotency-Key`. */
  key: string;
  /** The request as the server understood it (method, route, params, query, body). */
  request: unknown;
  /** How long a claim protects a running request (the function timeout). */
  claimMs: number;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** Validates an `Idempotency-Key` header value: 1–255 visible ASCII characters. */
export function parseIdempotencyKey(value: string | null): string | undefined {
  if (value === null) return undefined;
  if (!KEY.test(value)) {
    throw new AppError('validation', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.', {
      issues: [{ field: 'headers.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  return value;
}

/**
 * Runs `execute` at most once per key (24 hours, by the container's TTL): the first request
 * claims the key atomically (a create), a retry with the same request replays the remembered
 * response, the same key with a different request is a 422, and a retry while the first is still
 * running is a 409. Only successful (2xx) responses are remembered; after an error the claim is
 * released so the client can retry. Concurrency is the store's: one create wins.
 */
export async function runIdempotent(
  container: Container<IdempotencyRecord>,
  call: IdempotentCall,
  execute: () => Promise<RememberedResponse>,
): Promise<{ response: RememberedResponse; replayed: boolean }> {
  const now = Date.now;
  const id = createHash('sha256').update(`${call.scope}\n${call.key}`).digest('hex');
  const fingerprint = createHash('sha256').update(stableJson(call.request)).digest('hex');
  const claim: IdempotencyRecord = { id, state: 'in_progress', fingerprint, claimedUntil: now() + call.claimMs };

  let record: Stored<IdempotencyRecord>;
  try {
    record = await container.create(claim);
  } catch (error) {
    if (!(error instanceof StoreError) || error.kind !== 'conflict') throw error;
    const existing = await container.read(id, id);
    if (!existing) return runIdempotent(container, call, execute); // expired in between: claim again
    if (existing.fingerprint !== fingerprint) {
      throw new AppError('unprocessable', 'This Idempotency-Key was already used with a different request. Use a new key for a new request.');
    }
    if (existing.state === 'completed' && existing.response) return { response: existing.response, replayed: true };
    if (existing.claimedUntil > now()) {
      throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed. Retry shortly.', { headers: { 'Retry-After': '1' } });
    }
    // The instance that claimed it is gone: take the claim over, unless another retry just did.
    record = await container.replace(claim, { ifMatch: existing._etag }).catch((takeOverError: unknown) => {
      if (takeOverError instanceof StoreError && takeOverError.kind === 'precondition_failed') {
        throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed. Retry shortly.', { headers: { 'Retry-After': '1' } });
      }
      throw takeOverError;
    });
  }

  let response: RememberedResponse;
  try {
    response = await execute();
  } catch (error) {
    await container.delete(id, id, { ifMatch: record._etag }).catch(() => undefined);
    throw error;
  }
  if (response.status >= 200 && response.status < 300) {
    await container.replace({ ...claim, state: 'completed', response }, { ifMatch: record._etag });
  } else {
    await container.delete(id, id, { ifMatch: record._etag }).catch(() => undefined);
  }
  return { response, replayed: false };
}

export type { IdempotencyRecord };
