import { StoreError } from '../../data/errors';
import { AppError } from '../../errors';
import type { Container, Document, Page, Stored } from '../../data/document-store';
import type { AppLogger } from '../../observability/app-logger';
import type { RealtimeGateway } from '../realtime/gateway';
import { causeId } from './cause-id';
import { notificationDataSchema } from './schemas';

/** What a feature sends: `type` is a dotted name clients switch on (`verification.approved`, `rfq.matched`). */
export interface NotificationInput {
  type: string;
  title: string;
  body: string;
  /** Where the item leads in the web app, a path such as `/rfqs/123`. */
  link?: string;
  /** A few machine-readable facts for the client, e.g. `{ rfqId }` on `rfq.invitation` (small: at most 10 keys, short values). */
  data?: NotificationData;
}

export type NotificationData = Record<string, string | number | boolean>;

export interface NotificationRecord extends Document, NotificationInput {
  userId: string;
  createdAt: string;
  read: boolean;
  readAt: string | null;
}

/** What the user reads: the stored item without its partition key (listed, as Omit over the store's open index signature would lose every field). */
export type Notification = NotificationInput & { id: string; createdAt: string; read: boolean; readAt: string | null };

const BATCH = 100;

/**
 * Each user's inbox, in the store (partitioned by user, so a user's reads never cross
 * partitions). `notify` stores first and pushes second: a failed push is logged and the item
 * waits in the inbox, so a user who was offline, or whose push was lost, reads it later.
 *
 * An item's id is derived from its cause and it is created only if absent, so a re-run step
 * stores one item. Pushes are at least once: notifying the same cause again pushes the stored
 * item again while it is unread (the first push may have been lost in a crash after the write),
 * and clients drop an id they already show.
 */
export class Inbox {
  constructor(
    private readonly container: Container<NotificationRecord>,
    private readonly gateway: RealtimeGateway | null,
    private readonly logger: AppLogger,
  ) {}

  /**
   * Stores the item in `userId`'s inbox once per `cause` and pushes it to their connections
   * (`{type: 'notification', notification}`); returns the stored item (the first one, for a repeated cause).
   */
  async notify(userId: string, input: NotificationInput, cause: string): Promise<Notification> {
    const id = causeId(cause);
    if (input.data !== undefined) notificationDataSchema.parse(input.data);
    let stored: Stored<NotificationRecord>;
    try {
      stored = await this.container.create({ id, userId, ...input, createdAt: new Date().toISOString(), read: false, readAt: null });
    } catch (error) {
      if (!(error instanceof StoreError && error.kind === 'conflict')) throw error;
      const existing = await this.container.read(userId, id);
      if (!existing) throw error; // expired between the two calls: the caller retries
      if (existing.read) return toNotification(existing);
      stored = existing;
    }
    const notification = toNotification(stored);
    try {
      if (!this.gateway) throw new Error('no Web PubSub is configured');
      await this.gateway.sendToUser(userId, { type: 'notification', notification });
    } catch (error) {
      this.logger.warn('Notification push failed; it waits in the inbox', { notificationId: stored.id, type: input.type, error: String(error) });
    }
    return notification;
  }

  /** Newest first; `unreadOnly` leaves out what was read. */
  async list(userId: string, options: { unreadOnly: boolean; limit: number; continuation?: string }): Promise<Page<Notification>> {
    const page = await this.container.query({
      partitionKey: userId,
      ...(options.unreadOnly ? { where: { field: 'read', op: 'eq', value: false } } : {}),
      orderBy: [{ field: 'createdAt', direction: 'desc' }],
      limit: options.limit,
      continuation: options.continuation,
    });
    return { items: page.items.map(toNotification), continuation: page.continuation };
  }

  async unreadCount(userId: string): Promise<number> {
    return this.container.count({ partitionKey: userId, where: { field: 'read', op: 'eq', value: false } });
  }

  /** 404 when the user has no such notification (another user's is as absent as a missing one). */
  async markRead(userId: string, id: string): Promise<Notification> {
    const record = await this.container.read(userId, id);
    if (!record) throw new AppError('not_found', 'No such notification in your inbox.');
    if (record.read) return toNotification(record);
    return toNotification(await this.container.patch(userId, id, readPatch(new Date().toISOString())));
  }

  /** Marks every unread item read, a transactional batch per page; returns how many. */
  async markAllRead(userId: string): Promise<number> {
    const at = new Date().toISOString();
    let marked = 0;
    for (;;) {
      const page = await this.container.query({ partitionKey: userId, where: { field: 'read', op: 'eq', value: false }, limit: BATCH });
      if (!page.items.length) return marked;
      await this.container.batch(
        userId,
        // No If-Match: marking read is idempotent, so a concurrent single mark must not fail the batch.
        page.items.map((item) => ({ op: 'patch' as const, id: item.id, operations: readPatch(at) })),
      );
      marked += page.items.length;
    }
  }
}

function readPatch(at: string) {
  return [
    { op: 'set' as const, path: 'read', value: true },
    { op: 'set' as const, path: 'readAt', value: at },
  ];
}

function toNotification({ _etag: _e, _ts: _t, userId: _u, ttl: _ttl, ...item }: Stored<NotificationRecord>): Notification {
  return item;
}
