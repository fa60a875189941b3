import { AppError } from '../../errors';
import { StoreError } from '../../data/errors';
import type { Container, Stored } from '../../data/document-store';
import type { OneTimeTokenRecord, TokenPurpose } from './records';
import { hashSecret, randomToken } from './secrets';

/**
 * Single-use, expiring tokens (email verification, password reset, the 2FA step of a login).
 * Stored under the hash of the value; using one deletes it with If-Match, so of two concurrent
 * uses exactly one succeeds.
 */
export class OneTimeTokens {
  constructor(private readonly container: Container<OneTimeTokenRecord>) {}

  /** The token, and `id`, its record's id (a hash, not a secret: what names the email that carries it). */
  async issue(purpose: TokenPurpose, userId: string, ttlSeconds: number): Promise<{ token: string; id: string; expiresAt: string }> {
    const token = randomToken();
    const id = hashSecret(token);
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString();
    await this.container.create({ id, purpose, userId, expiresAt, ttl: ttlSeconds });
    return { token, id, expiresAt };
  }

  /** The token's record if it is valid for `purpose`; a 400 naming `field` otherwise. Does not use it up. */
  async peek(purpose: TokenPurpose, token: string, field: string): Promise<Stored<OneTimeTokenRecord>> {
    const id = hashSecret(token);
    const record = await this.container.read(id, id);
    if (!record || record.purpose !== purpose) throw invalid(field, 'is not valid or was already used');
    if (Date.parse(record.expiresAt) <= Date.now()) throw invalid(field, 'has expired; ask for a new one');
    return record;
  }

  /** Uses the token up; fails as invalid if someone else used it first. */
  async consume(record: Stored<OneTimeTokenRecord>, field: string): Promise<void> {
    try {
      await this.container.delete(record.id, record.id, { ifMatch: record._etag });
    } catch (error) {
      if (error instanceof StoreError && (error.kind === 'not_found' || error.kind === 'precondition_failed')) throw invalid(field, 'is not valid or was already used');
      throw error;
    }
  }

  /** Counts a wrong code against a challenge; returns the attempts so far. */
  async countAttempt(record: Stored<OneTimeTokenRecord>): Promise<number> {
    const updated = await this.container.patch(record.id, record.id, [{ op: 'increment', path: 'attempts', value: 1 }]).catch(() => null);
    return updated?.attempts ?? Number.POSITIVE_INFINITY;
  }

  async discard(record: Stored<OneTimeTokenRecord>): Promise<void> {
    await this.container.delete(record.id, record.id).catch(() => undefined);
  }
}

function invalid(field: string, message: string): AppError {
  const what = field.split('.').at(-1);
  return new AppError('validation', `The ${what} ${message}.`, { issues: [{ field, message }] });
}
