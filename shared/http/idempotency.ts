import { createHash, randomUUID } from 'node:crypto';
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
  /** The process running the request (its INSTANCE_ID): a crashed process's claims can be told apart. */
  owner: string;
  /** The claim holds until then (ms since epoch); its owner renews it while it runs, so a past time means the owner is gone. */
  leaseUntil: number;
  /** Given to every run of this request, including a takeover's, so its effect can have one id. */
  effectId: string;
  response?: RememberedResponse;
}

export interface IdempotentCall {
  /** Who is asking and where (function and caller), so two callers' keys never collide. */
  scope: string;
  /** The client's `Idempotency-Key`. */
  key: string;
  /** The request as the server understood it (method, route, params, query, body). */
  request: unknown;
  /** How long a claim holds without renewal; its owner renews it every third of that. */
  leaseMs: number;
}

/** Time as runIdempotent sees it; tests pass a fake one. */
export interface LeaseClock {
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

const systemClock: LeaseClock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms).unref();
    return () => clearTimeout(timer);
  },
};

/** This process, as the owner of the claims it holds. */
export const INSTANCE_ID = randomUUID();

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
 * running is a 409 whose Retry-After is what is left of the claim's lease. Only successful (2xx)
 * responses are remembered; after an error the claim is released so the client can retry.
 *
 * The claim is a lease that its owner renews (If-Match on its ETag) while `execute` runs, so the
 * claim of an owner that crashed runs out within `leaseMs` and the next retry takes it over.
 * A takeover can also meet an owner that is alive but stopped renewing for a whole lease (its
 * event loop blocked, or the store unreachable from it alone): both runs may then complete. So
 * every run gets the claim's `effectId`, the same for the original and any takeover: an effect
 * created under that id exists once however many runs there are. The stale owner's final write
 * fails on the ETag and the remembered response stays the takeover's.
 */
export async function runIdempotent(
  container: Container<IdempotencyRecord>,
  call: IdempotentCall,
  execute: (claim: { effectId: string }) => Promise<RememberedResponse>,
  clock: LeaseClock = systemClock,
  owner: string = INSTANCE_ID,
): Promise<{ response: RememberedResponse; replayed: boolean }> {
  const id = createHash('sha256').update(`${call.scope}\n${call.key}`).digest('hex');
  const fingerprint = createHash('sha256').update(stableJson(call.request)).digest('hex');
  const claimed = await claim(container, { id, fingerprint, owner, leaseMs: call.leaseMs }, clock);
  if ('replay' in claimed) return { response: claimed.replay, replayed: true };

  const { _etag: _e, _ts: _t, ...record } = claimed.record;
  const lease = renewLease(container, claimed.record, call.leaseMs, clock);
  let response: RememberedResponse;
  try {
    response = await execute({ effectId: record.effectId });
  } catch (error) {
    await container.delete(id, id, { ifMatch: await lease.stop() }).catch(() => undefined);
    throw error;
  }
  const etag = await lease.stop();
  if (response.status >= 200 && response.status < 300) {
    await container.replace({ ...record, state: 'completed', response }, { ifMatch: etag }).catch((error: unknown) => {
      // The lease was lost to a takeover: the claim is the takeover's to complete.
      if (!isLost(error)) throw error;
    });
  } else {
    await container.delete(id, id, { ifMatch: etag }).catch(() => undefined);
  }
  return { response, replayed: false };
}

/** Claims the key, takes over a claim whose lease ran out, or finds the remembered response. */
async function claim(
  container: Container<IdempotencyRecord>,
  { id, fingerprint, owner, leaseMs }: { id: string; fingerprint: string; owner: string; leaseMs: number },
  clock: LeaseClock,
): Promise<{ record: Stored<IdempotencyRecord> } | { replay: RememberedResponse }> {
  for (;;) {
    const fresh: IdempotencyRecord = { id, state: 'in_progress', fingerprint, owner, leaseUntil: clock.now() + leaseMs, effectId: randomUUID() };
    try {
      return { record: await container.create(fresh) };
    } catch (error) {
      if (!(error instanceof StoreError) || error.kind !== 'conflict') throw error;
    }
    const existing = await container.read(id, id);
    if (!existing) continue; // expired or released in between: claim again
    if (existing.fingerprint !== fingerprint) {
      throw new AppError('unprocessable', 'This Idempotency-Key was already used with a different request. Use a new key for a new request.');
    }
    if (existing.state === 'completed' && existing.response) return { replay: existing.response };
    const remainingMs = existing.leaseUntil - clock.now();
    if (remainingMs > 0) {
      throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed. Retry shortly.', {
        headers: { 'Retry-After': String(Math.ceil(remainingMs / 1000)) },
      });
    }
    // Its owner stopped renewing (crashed): take the claim over with the same effect id, unless another retry just did.
    try {
      return { record: await container.replace({ ...fresh, effectId: existing.effectId }, { ifMatch: existing._etag }) };
    } catch (error) {
      if (!isLost(error)) throw error;
    }
  }
}

/** Renews the lease every third of its length until stopped; stop() resolves with the claim's latest ETag. */
function renewLease(container: Container<IdempotencyRecord>, record: Stored<IdempotencyRecord>, leaseMs: number, clock: LeaseClock) {
  let etag = record._etag;
  let stopped = false;
  let renewing = Promise.resolve();
  let cancel = () => {};
  const schedule = () => {
    cancel = clock.after(leaseMs / 3, () => (renewing = renew()));
  };
  const renew = async () => {
    try {
      etag = (await container.patch(record.id, record.id, [{ op: 'set', path: 'leaseUntil', value: clock.now() + leaseMs }], { ifMatch: etag }))._etag;
    } catch (error) {
      // Taken over or gone: stop renewing (the final write fails on the ETag too). Any other
      // failure (the store did not answer) is tried again next time, while the lease still holds.
      if (isLost(error)) return;
    }
    if (!stopped) schedule();
  };
  schedule();
  return {
    async stop(): Promise<string> {
      stopped = true;
      cancel();
      await renewing;
      return etag;
    },
  };
}

const isLost = (error: unknown) => error instanceof StoreError && (error.kind === 'precondition_failed' || error.kind === 'not_found');

export type { IdempotencyRecord };
