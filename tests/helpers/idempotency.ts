import { idempotencyKeys } from '../../shared/http/containers';
import type { IdempotencyRecord } from '../../shared/http/idempotency';
import { openHostStore } from './expert-profiles';
import type { RunningHost } from './host-process';

/**
 * Puts back the claim whose remembered answer mentions `text` as a crash after the request's
 * effect would have left it: still running, its owner gone and its lease run out, so the next
 * retry with the key takes it over and runs the request again.
 */
export async function abandonClaim(host: RunningHost, text: string): Promise<void> {
  const store = openHostStore(host);
  try {
    const claims = await store.container<IdempotencyRecord>(idempotencyKeys);
    const found = (await claims.query({ limit: 1000 })).items.filter((claim) => claim.response?.body?.includes(text));
    if (found.length !== 1) throw new Error(`expected one remembered answer with ${text}, found ${found.length}`);
    const { response: _response, _etag, _ts, ...claim } = found[0]!;
    await claims.replace({ ...claim, state: 'in_progress', owner: 'crashed-instance', leaseUntil: Date.now() - 1 }, { ifMatch: _etag });
  } finally {
    await store.close();
  }
}
