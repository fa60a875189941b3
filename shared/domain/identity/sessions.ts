import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import { StoreError } from '../../data/errors';
import type { Container, Document, Stored } from '../../data/document-store';
import type { Role } from './principal';
import type { SessionRecord } from './records';
import { hashSecret, randomToken, sameSecret } from './secrets';

/** Used refresh-token hashes kept per session, to recognise a replayed one. */
const USED_HASHES_KEPT = 50;

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

const invalidRefresh = () => new AppError('unauthenticated', 'The refresh token is not valid; sign in again.');

/**
 * Sessions and their refresh tokens. A refresh token is `<session id>.<secret>`; only the
 * secret's hash is stored. Each use rotates it; presenting a used one means it was copied, so
 * the whole session (the token family) is revoked.
 */
export class Sessions {
  constructor(
    private readonly container: Container<SessionRecord>,
    private readonly ttlDays: number,
  ) {}

  async create(userId: string, roles: Role[], client: ClientInfo): Promise<{ session: Stored<SessionRecord>; refreshToken: string }> {
    const secret = randomToken();
    const now = new Date();
    const ttl = this.ttlDays * 24 * 60 * 60;
    const session = await this.container.create({
      id: randomUUID(),
      userId,
      roles,
      currentHash: hashSecret(secret),
      usedHashes: [],
      createdAt: now.toISOString(),
      lastUsedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
      ip: client.ip,
      userAgent: client.userAgent.slice(0, 300),
      ttl,
    });
    return { session, refreshToken: `${session.id}.${secret}` };
  }

  /** A live session (not revoked, not expired), or null. */
  async live(id: string): Promise<Stored<SessionRecord> | null> {
    const session = await this.container.read(id, id);
    return session && !session.revokedAt && Date.parse(session.expiresAt) > Date.now() ? session : null;
  }

  async rotate(refreshToken: string, client: ClientInfo): Promise<{ session: Stored<SessionRecord>; refreshToken: string; reuse: boolean }> {
    const [id, secret, extra] = refreshToken.split('.');
    if (!id || !secret || extra !== undefined || id.length > 64) throw invalidRefresh();
    const presented = hashSecret(secret);
    for (let attempt = 0; attempt < 3; attempt++) {
      // An id the store cannot even hold is simply not a session.
      const session = await this.container.read(id, id).catch((error: unknown) => {
        if (error instanceof StoreError && error.kind === 'validation') return null;
        throw error;
      });
      if (!session || session.revokedAt || Date.parse(session.expiresAt) <= Date.now()) throw invalidRefresh();
      if (session.usedHashes.some((used) => sameSecret(used, presented))) {
        await this.revoke(id, 'refresh token reused');
        return { session, refreshToken: '', reuse: true };
      }
      if (!sameSecret(session.currentHash, presented)) throw invalidRefresh();
      const next = randomToken();
      try {
        const updated = await this.container.replace(
          {
            ...unstored(session),
            currentHash: hashSecret(next),
            usedHashes: [...session.usedHashes, presented].slice(-USED_HASHES_KEPT),
            lastUsedAt: new Date().toISOString(),
            ip: client.ip,
            userAgent: client.userAgent.slice(0, 300),
          },
          { ifMatch: session._etag },
        );
        return { session: updated, refreshToken: `${id}.${next}`, reuse: false };
      } catch (error) {
        // A concurrent refresh with the same token won: on re-read this token is a used one.
        if (!(error instanceof StoreError) || error.kind !== 'precondition_failed') throw error;
      }
    }
    throw new AppError('conflict', 'The session is being refreshed concurrently; retry.', { headers: { 'Retry-After': '1' } });
  }

  async revoke(id: string, reason: string): Promise<void> {
    await this.container
      .patch(id, id, [
        { op: 'set', path: 'revokedAt', value: new Date().toISOString() },
        { op: 'set', path: 'revokedReason', value: reason },
      ])
      .catch((error: unknown) => {
        if (!(error instanceof StoreError) || error.kind !== 'not_found') throw error;
      });
  }

  /** Live sessions of a user, newest first. */
  async listLive(userId: string): Promise<Stored<SessionRecord>[]> {
    const items: Stored<SessionRecord>[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.container.query({
        where: {
          and: [
            { field: 'userId', op: 'eq', value: userId },
            { field: 'revokedAt', op: 'defined', value: false },
            { field: 'expiresAt', op: 'gt', value: new Date().toISOString() },
          ],
        },
        orderBy: [{ field: 'createdAt', direction: 'desc' }],
        limit: 1000,
        continuation,
      });
      items.push(...page.items);
      continuation = page.continuation ?? undefined;
    } while (continuation);
    return items;
  }

  async revokeAll(userId: string, reason: string, exceptId?: string): Promise<number> {
    const live = (await this.listLive(userId)).filter((session) => session.id !== exceptId);
    for (const session of live) await this.revoke(session.id, reason);
    return live.length;
  }

  /** Role changes take effect on the next request: access checks read roles from the session. */
  async setRoles(userId: string, roles: Role[]): Promise<void> {
    for (const session of await this.listLive(userId)) await this.container.patch(session.id, session.id, [{ op: 'set', path: 'roles', value: roles }]);
  }

  async read(id: string): Promise<Stored<SessionRecord> | null> {
    return this.container.read(id, id);
  }
}

/** The document without the store's own fields, to write back. */
function unstored<T extends Document>(stored: Stored<T>): T {
  const { _etag: _e, _ts: _t, ...rest } = stored;
  return rest as unknown as T;
}
