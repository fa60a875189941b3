import { StoreError } from '../../data/errors';
import type { Container, Document, Stored } from '../../data/document-store';
import type { AppLogger } from '../../observability/app-logger';
import type { RealtimeGateway } from './gateway';
import { expertGroup } from './permissions';

export const PRESENCE_STATUSES = ['online', 'busy', 'away', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/**
 * One live WebSocket connection, kept in the store (not in memory) so every app instance sees
 * the same set. `expiresAt` is a lease: a connection counts as live only until then, and the
 * sweep renews it only while the service still has the connection. So a `disconnected` event
 * that never arrived (an instance crashed mid-event, the service restarted) costs at most one
 * lease of wrong presence, never a permanent ghost.
 */
export interface ConnectionRecord extends Document {
  /** The Web PubSub connection id. */
  id: string;
  userId: string;
  connectedAt: string;
  /** Last time the service confirmed the connection (connect or sweep). */
  confirmedAt: string;
  expiresAt: string;
}

/** An expert's presence; the document exists for experts only (created when they first connect or set a status). */
export interface PresenceRecord extends Document {
  /** The expert's user id. */
  id: string;
  /** What the expert chose (PUT experts/status); shown while they are connected. */
  chosen: PresenceStatus;
  /** The status last pushed to watchers. */
  published: PresenceStatus;
  /** Last time the expert was known to be connected; null before the first connection. */
  lastSeenAt: string | null;
  updatedAt: string;
}

export interface PresenceView {
  expertId: string;
  status: PresenceStatus;
  /** What the expert chose for while they are connected. */
  chosen: PresenceStatus;
  lastSeenAt: string | null;
}

const MAX_WRITE_ATTEMPTS = 5;
const SWEEP_PAGE = 100;
const SWEEP_MAX_PAGES = 20;

/**
 * Experts' presence: `offline` without a live connection, else the status they chose (a
 * connected expert may still choose to appear offline). Every change of the shown status is
 * pushed to the expert's watch group. Works across instances: connections and presence live
 * in the store, writes are optimistic (ETag) and retried, and only the writer that changed the
 * published status pushes it.
 */
export class Presence {
  constructor(
    private readonly connections: Container<ConnectionRecord>,
    private readonly presence: Container<PresenceRecord>,
    private readonly gateway: RealtimeGateway,
    private readonly leaseSeconds: number,
    private readonly logger: AppLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Makes `expertId` an expert with a presence (idempotent). */
  async enrol(expertId: string): Promise<void> {
    try {
      await this.presence.create({ id: expertId, chosen: 'online', published: 'offline', lastSeenAt: null, updatedAt: this.iso() });
    } catch (error) {
      if (!(error instanceof StoreError && error.kind === 'conflict')) throw error;
    }
  }

  async connected(connectionId: string, userId: string): Promise<void> {
    const at = this.iso();
    await this.connections.upsert({ id: connectionId, userId, connectedAt: at, confirmedAt: at, expiresAt: this.iso(this.leaseSeconds * 1000) });
    await this.refresh(userId);
  }

  async disconnected(connectionId: string, userId: string): Promise<void> {
    const record = await this.connections.read(userId, connectionId);
    if (record) await this.deleteConnection(record);
    await this.refresh(userId, this.iso());
  }

  /** An expert's choice; returns the presence as now shown. */
  async choose(expertId: string, status: PresenceStatus): Promise<PresenceView> {
    await this.enrol(expertId);
    await this.write(expertId, (record) => ({ ...record, chosen: status }));
    await this.refresh(expertId);
    return (await this.get(expertId))!;
  }

  /** Null when the user has no presence (not an expert, or never connected nor set a status). */
  async get(expertId: string): Promise<PresenceView | null> {
    const record = await this.presence.read(expertId, expertId);
    if (!record) return null;
    // Computed from live leases, not from `published`: right even when no sweep has run.
    const live = await this.liveConnections(expertId);
    return { expertId, status: live ? record.chosen : 'offline', chosen: record.chosen, lastSeenAt: live ? this.iso() : record.lastSeenAt };
  }

  /**
   * Confirms connections whose lease ends before the next sweep: the service still has them →
   * renewed; gone → dropped, and their users' presence recomputed (and pushed). Returns what
   * it did. When the service cannot be asked, nothing is renewed and leases run out.
   */
  async sweep(): Promise<{ renewed: number; dropped: number }> {
    const dueBy = this.iso((this.leaseSeconds * 1000) / 2);
    const affected = new Map<string, string>();
    let renewed = 0;
    let dropped = 0;
    let continuation: string | undefined;
    for (let pages = 0; pages < SWEEP_MAX_PAGES; pages++) {
      const page = await this.connections.query({ where: { field: 'expiresAt', op: 'lte', value: dueBy }, orderBy: [{ field: 'expiresAt' }], limit: SWEEP_PAGE, continuation });
      for (const record of page.items) {
        if (await this.gateway.connectionExists(record.id)) {
          const at = this.iso();
          await this.connections
            .patch(record.userId, record.id, [
              { op: 'set', path: 'confirmedAt', value: at },
              { op: 'set', path: 'expiresAt', value: this.iso(this.leaseSeconds * 1000) },
            ])
            .catch(ignoreNotFound);
          renewed++;
        } else {
          await this.deleteConnection(record);
          dropped++;
          const seen = affected.get(record.userId);
          if (!seen || seen < record.confirmedAt) affected.set(record.userId, record.confirmedAt);
        }
      }
      if (!page.continuation) break;
      continuation = page.continuation;
    }
    for (const [userId, lastConfirmed] of affected) await this.refresh(userId, lastConfirmed);
    return { renewed, dropped };
  }

  /** Live connections and users now (for operators). */
  async counts(): Promise<{ connections: number; users: number }> {
    const live = { field: 'expiresAt', op: 'gt', value: this.iso() } as const;
    const rows = await this.connections.aggregate({ where: live, groupBy: ['userId'], aggregates: { n: { fn: 'count' } } });
    return { connections: rows.reduce((sum, row) => sum + Number(row.n), 0), users: rows.length };
  }

  /** Experts shown as something other than offline at the last push, up to `limit`. */
  async publishedOnline(limit: number): Promise<Stored<PresenceRecord>[]> {
    return (await this.presence.query({ where: { field: 'published', op: 'ne', value: 'offline' }, orderBy: [{ field: 'updatedAt', direction: 'desc' }], limit })).items;
  }

  /**
   * Recomputes the shown status of `userId` (if an expert) and pushes it when it changed.
   * `wentAway` is when the user was last seen, for a drop of their last connection.
   */
  private async refresh(userId: string, wentAway?: string): Promise<void> {
    const live = await this.liveConnections(userId);
    const changed = await this.write(userId, (record) => ({
      ...record,
      published: live ? record.chosen : 'offline',
      lastSeenAt: live ? this.iso() : record.published !== 'offline' && wentAway ? wentAway : record.lastSeenAt,
    }));
    if (!changed) return;
    const message = { type: 'presence', expertId: userId, status: changed.published, lastSeenAt: changed.lastSeenAt };
    try {
      await this.gateway.sendToGroup(expertGroup(userId), message);
    } catch (error) {
      // The store is right; watchers read it on their next GET or the next change.
      this.logger.warn('Presence push failed', { expertId: userId, error: String(error) });
    }
  }

  /**
   * Applies `change` to the presence record with optimistic concurrency; returns the record when
   * the published status changed by this write, else undefined (also when there is no record).
   */
  private async write(expertId: string, change: (record: PresenceRecord) => PresenceRecord): Promise<PresenceRecord | undefined> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.presence.read(expertId, expertId);
      if (!current) return undefined;
      const { _etag, _ts: _ignored, ...record } = current;
      const next = { ...change(record), updatedAt: this.iso() };
      try {
        await this.presence.replace(next, { ifMatch: _etag });
        return next.published !== record.published ? next : undefined;
      } catch (error) {
        if (!(error instanceof StoreError && error.kind === 'precondition_failed')) throw error;
      }
    }
    throw new StoreError('throttled', 'Presence is changing too fast; retry shortly.');
  }

  private async liveConnections(userId: string): Promise<number> {
    return this.connections.count({ partitionKey: userId, where: { field: 'expiresAt', op: 'gt', value: this.iso() } });
  }

  private async deleteConnection(record: ConnectionRecord): Promise<void> {
    await this.connections.delete(record.userId, record.id).catch(ignoreNotFound);
  }

  private iso(offsetMs = 0): string {
    return new Date(this.now() + offsetMs).toISOString();
  }
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof StoreError && error.kind === 'not_found')) throw error;
}
