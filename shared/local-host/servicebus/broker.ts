/**
 * A durable local stand-in for Azure Service Bus: queues, topics and subscriptions in one SQLite file, with
 * peek-lock receive, delivery counting, dead-lettering, duplicate detection, TTL and scheduled messages, all
 * following Service Bus semantics. The local host's dispatcher receives from it and settles the messages.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { EntityConflictError, EntityNotFoundError, MessageLockLostError } from './errors';
import { normalizeMessage, toBrokerMessage, type NormalizedMessage } from './messages';
import { assertQueueOrTopicName, assertSubscriptionName, entityKey, subscriptionPath } from './paths';
import { openDatabase } from './schema';
import { prepareStatements, type EntityRow, type MessageRow, type Statements } from './statements';
import type {
  BrokerMessage,
  BrokerOptions,
  DeadLetteredMessage,
  DeadLetterOptions,
  EntityInfo,
  EntityKind,
  EntityStats,
  MessageAvailableListener,
  OutgoingMessage,
  PeekOptions,
  QueueSettings,
  ReceivedMessage,
  SendResult,
  SubscriptionSettings,
  TopicSettings,
} from './types';

export * from './errors';
export * from './types';
export { parseEntityPath, subscriptionPath, type ParsedEntityPath } from './paths';

/** Service Bus defaults for a new entity. */
export const SERVICE_BUS_DEFAULTS: Readonly<QueueSettings> = Object.freeze({
  maxDeliveryCount: 10,
  lockDurationMs: 60_000,
  duplicateDetectionWindowMs: 600_000,
  defaultMessageTimeToLiveMs: null,
  deadLetteringOnMessageExpiration: false,
});

/** The `DeadLetterReason` values Service Bus itself sets. */
export const DeadLetterReasons = Object.freeze({
  maxDeliveryCountExceeded: 'MaxDeliveryCountExceeded',
  ttlExpired: 'TTLExpiredException',
});

const DEFAULT_PEEK_LIMIT = 100;

export class LocalServiceBusBroker {
  private readonly db: Database.Database;
  private readonly sql: Statements;
  private readonly now: () => number;
  private readonly onListenerError: (error: unknown) => void;
  private readonly listeners = new Set<MessageAvailableListener>();

  private constructor(db: Database.Database, options: BrokerOptions) {
    this.db = db;
    this.sql = prepareStatements(db);
    this.now = options.now ?? Date.now;
    this.onListenerError = options.onListenerError ?? ((error) => console.error('[servicebus] onMessageAvailable listener failed:', error));
  }

  /** Opens (creating if needed) the store at `filename`; `':memory:'` gives a throwaway broker for tests. */
  static open(filename: string, options: BrokerOptions = {}): LocalServiceBusBroker {
    const broker = new LocalServiceBusBroker(openDatabase(filename, options.busyTimeoutMs ?? 5_000), options);
    // The process that held these locks is gone: its messages become visible again, and as after a lock expiry
    // the next delivery counts as a new attempt.
    if (options.releaseLocksOnOpen !== false) broker.sql.releaseAllLocks.run();
    return broker;
  }

  close(): void {
    this.listeners.clear();
    if (this.db.open) this.db.close();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Entities

  /** Creates the queue if it does not exist; settings given here overwrite the stored ones field by field. */
  ensureQueue(name: string, settings: Partial<QueueSettings> = {}): EntityInfo {
    assertQueueOrTopicName(name);
    return this.write(() => this.upsertEntity({ kind: 'queue', key: entityKey(name), displayPath: name, name }, settings));
  }

  ensureTopic(name: string, settings: Partial<TopicSettings> = {}): EntityInfo {
    assertQueueOrTopicName(name);
    // A topic only takes sender settings; delivery settings belong to its subscriptions.
    const senderSettings = { duplicateDetectionWindowMs: settings.duplicateDetectionWindowMs };
    return this.write(() => this.upsertEntity({ kind: 'topic', key: entityKey(name), displayPath: name, name }, senderSettings));
  }

  /** Creates the subscription, and its topic if that does not exist yet. */
  ensureSubscription(topicName: string, subscriptionName: string, settings: Partial<SubscriptionSettings> = {}): EntityInfo {
    assertQueueOrTopicName(topicName);
    assertSubscriptionName(subscriptionName);
    return this.write(() => {
      this.upsertEntity({ kind: 'topic', key: entityKey(topicName), displayPath: topicName, name: topicName }, {});
      const topic = this.sql.selectEntity.get(entityKey(topicName))!;
      const displayPath = subscriptionPath(topic.display_path, subscriptionName);
      // A subscription only takes receiver settings; duplicate detection happens on its topic.
      const { duplicateDetectionWindowMs: _ignored, ...receiverSettings } = settings as Partial<QueueSettings>;
      return this.upsertEntity({ kind: 'subscription', key: entityKey(displayPath), displayPath, name: subscriptionName, topicPath: topic.path }, receiverSettings);
    });
  }

  getEntity(path: string): EntityInfo | undefined {
    const row = this.sql.selectEntity.get(entityKey(path));
    return row && toEntityInfo(row, this.sql);
  }

  listEntities(): EntityInfo[] {
    return this.sql.selectAllEntities.all().map((row) => toEntityInfo(row, this.sql));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Sending

  /**
   * Sends to a queue, or to a topic (one copy per subscription). All messages of one call are stored in one
   * transaction. Duplicates (a messageId the entity accepted within its detection window) are dropped silently.
   */
  send(entityName: string, messages: OutgoingMessage | readonly OutgoingMessage[]): SendResult {
    const batch = Array.isArray(messages) ? messages : [messages as OutgoingMessage];
    const { result, notify } = this.write(() => this.sendInTransaction(entityName, batch));
    this.notify(notify);
    return result;
  }

  private sendInTransaction(entityName: string, batch: readonly OutgoingMessage[]) {
    const now = this.now();
    const entity = this.requireEntity(entityName, ['queue', 'topic'], 'messages can only be sent to a queue or topic');
    // A topic keeps nothing itself: it hands a copy to each subscription, and with none the message is dropped.
    const destinations = entity.kind === 'topic' ? this.sql.selectSubscriptions.all(entity.path) : [entity];
    const windowMs = entity.duplicate_detection_window_ms;
    if (windowMs > 0) this.sql.forgetDuplicateIdsBefore.run(entity.path, now - windowMs);

    const result: SendResult = { accepted: 0, duplicates: 0, sequenceNumbers: [] };
    for (const input of batch) {
      // Validated inside the transaction: a bad message anywhere in the batch rolls back the whole send.
      const message = normalizeMessage(input);
      if (windowMs > 0) {
        if (this.sql.isDuplicateId.get(entity.path, message.messageId, now - windowMs) !== undefined) {
          result.duplicates++;
          continue;
        }
        this.sql.rememberDuplicateId.run(entity.path, message.messageId, now);
      }
      // The sending entity numbers the message; every subscription's copy carries that number.
      const sequenceNumber = this.sql.nextSequenceNumber.get(entity.path)!;
      for (const destination of destinations) this.insertMessage(destination, sequenceNumber, message, now);
      result.accepted++;
      result.sequenceNumbers.push(sequenceNumber);
    }
    const notify = result.accepted > 0 ? destinations.map((destination) => destination.display_path) : [];
    return { result, notify };
  }

  private insertMessage(destination: EntityRow, sequenceNumber: number, message: NormalizedMessage, now: number): void {
    // A scheduled message is enqueued (and starts to live) at its scheduled time.
    const scheduledAt = message.scheduledAt !== null && message.scheduledAt > now ? message.scheduledAt : null;
    const enqueuedAt = scheduledAt ?? now;
    // As in Service Bus, the shorter of the message's own TTL and the entity's default applies.
    const ttlMs = minDefined(message.timeToLiveMs, destination.default_message_ttl_ms);
    this.sql.insertMessage.run({
      entity_path: destination.path,
      sequence_number: sequenceNumber,
      message_id: message.messageId,
      body: message.body,
      correlation_id: message.correlationId,
      session_id: message.sessionId,
      content_type: message.contentType,
      subject: message.subject,
      application_properties: JSON.stringify(message.applicationProperties),
      enqueued_at: enqueuedAt,
      scheduled_at: scheduledAt,
      expires_at: ttlMs === null ? null : enqueuedAt + ttlMs,
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Receiving and settling (peek-lock)

  /**
   * Locks and returns up to `maxMessages` visible messages in sequence order. On the way it removes (or
   * dead-letters) expired messages and dead-letters messages that have used up their delivery attempts.
   */
  receive(path: string, maxMessages = 1): ReceivedMessage[] {
    if (!Number.isInteger(maxMessages) || maxMessages < 1) throw new RangeError('maxMessages must be a positive integer.');
    return this.write(() => {
      const now = this.now();
      const entity = this.requireReceiver(path);
      const received: ReceivedMessage[] = [];
      let after = 0;
      while (received.length < maxMessages) {
        const limit = maxMessages - received.length;
        const batch = this.sql.selectVisible.all({ path: entity.path, after, now, limit });
        if (batch.length === 0) break;
        for (const row of batch) {
          after = row.sequence_number;
          const delivered = this.deliver(entity, row, now);
          if (delivered) received.push(delivered);
        }
      }
      return received;
    });
  }

  /** Locks one visible message for delivery, or disposes of it when it must not be delivered. */
  private deliver(entity: EntityRow, row: MessageRow, now: number): ReceivedMessage | undefined {
    if (row.expires_at !== null && row.expires_at <= now) {
      this.expire(entity, row, now);
      return undefined;
    }
    if (row.delivery_count >= entity.max_delivery_count) {
      this.deadLetterExhausted(entity, row, now);
      return undefined;
    }
    const lockToken = randomUUID();
    const lockedUntil = now + entity.lock_duration_ms;
    this.sql.lockMessage.run({ path: entity.path, seq: row.sequence_number, lockToken, lockedUntil });
    return {
      ...toBrokerMessage(row),
      deliveryCount: row.delivery_count + 1,
      lockToken,
      lockedUntilUtc: new Date(lockedUntil),
    };
  }

  private expire(entity: EntityRow, row: MessageRow, now: number): void {
    if (entity.dead_lettering_on_expiration) {
      this.sql.deadLetterMessage.run({
        path: entity.path,
        seq: row.sequence_number,
        now,
        reason: DeadLetterReasons.ttlExpired,
        description: 'The message expired and was dead lettered.',
      });
    } else {
      this.sql.deleteMessage.run(entity.path, row.sequence_number);
    }
  }

  private deadLetterExhausted(entity: EntityRow, row: MessageRow, now: number): void {
    this.sql.deadLetterMessage.run({
      path: entity.path,
      seq: row.sequence_number,
      now,
      reason: DeadLetterReasons.maxDeliveryCountExceeded,
      description: `Message could not be consumed after ${row.delivery_count} delivery attempts.`,
    });
  }

  /**
   * ReceiveAndDelete mode: the first visible message, removed as it is handed out (at most once:
   * a receiver that dies with it loses it, as in Service Bus).
   */
  receiveAndDelete(path: string): BrokerMessage | undefined {
    return this.write(() => {
      const [message] = this.receive(path, 1);
      if (!message) return undefined;
      this.complete(path, message.lockToken);
      const { lockToken: _token, lockedUntilUtc: _until, ...received } = message;
      return received;
    });
  }

  /** Settles the message successfully: it is removed. */
  complete(path: string, lockToken: string): void {
    this.write(() => {
      const { entity, row } = this.lockedMessage(path, lockToken);
      this.sql.deleteMessage.run(entity.path, row.sequence_number);
    });
  }

  /**
   * Releases the lock so the message is visible again at once. A message that has used its last delivery
   * attempt goes straight to the dead-letter sub-queue, as Service Bus does on abandon.
   */
  abandon(path: string, lockToken: string): void {
    const redeliverable = this.write(() => {
      const { entity, row } = this.lockedMessage(path, lockToken);
      if (row.delivery_count >= entity.max_delivery_count) {
        this.deadLetterExhausted(entity, row, this.now());
        return undefined;
      }
      this.sql.releaseLock.run(entity.path, row.sequence_number);
      return entity.display_path;
    });
    if (redeliverable) this.notify([redeliverable]);
  }

  deadLetter(path: string, lockToken: string, options: DeadLetterOptions = {}): void {
    this.write(() => {
      const { entity, row } = this.lockedMessage(path, lockToken);
      this.sql.deadLetterMessage.run({
        path: entity.path,
        seq: row.sequence_number,
        now: this.now(),
        reason: options.reason ?? null,
        description: options.description ?? null,
      });
    });
  }

  /** Extends the lock by the entity's lock duration from now; returns the new expiry. */
  renewLock(path: string, lockToken: string): Date {
    return this.write(() => {
      const { entity, row } = this.lockedMessage(path, lockToken);
      const lockedUntil = this.now() + entity.lock_duration_ms;
      this.sql.renewLock.run(lockedUntil, entity.path, row.sequence_number);
      return new Date(lockedUntil);
    });
  }

  /** The message held under `lockToken`, or MessageLockLostError when that lock no longer holds. */
  private lockedMessage(path: string, lockToken: string): { entity: EntityRow; row: MessageRow } {
    const entity = this.requireReceiver(path);
    const row = typeof lockToken === 'string' ? this.sql.selectByLockToken.get(lockToken, entity.path) : undefined;
    if (!row || row.locked_until === null || row.locked_until <= this.now()) {
      throw new MessageLockLostError(entity.display_path, lockToken);
    }
    return { entity, row };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Dead-letter sub-queue

  peekDeadLetters(path: string, options: PeekOptions = {}): DeadLetteredMessage[] {
    const entity = this.requireReceiver(path);
    const limit = options.limit ?? DEFAULT_PEEK_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer.');
    return this.sql.selectDeadLetters.all(entity.path, options.fromSequenceNumber ?? 0, limit).map((row) => toDeadLetteredMessage(row));
  }

  /** Deletes every dead-lettered message of the entity; returns how many there were. */
  purgeDeadLetters(path: string): number {
    const entity = this.requireReceiver(path);
    return this.sql.purgeDeadLetters.run(entity.path).changes;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Observation and wake-ups

  /** Message counts of a queue or subscription (a topic holds none itself). */
  stats(path: string): EntityStats {
    const entity = this.requireEntity(path, ['queue', 'topic', 'subscription']);
    return this.sql.counts.get({ path: entity.path, now: this.now() })!;
  }

  /**
   * When something in the entity becomes receivable: now if something already is, else the earliest scheduled
   * time or lock expiry; null when nothing is pending (wait for `onMessageAvailable`).
   */
  nextVisibleAt(path: string): Date | null {
    const entity = this.requireReceiver(path);
    const now = this.now();
    const times = this.sql.visibilityTimes.get({ path: entity.path, now })!;
    if (times.visible_now) return new Date(now);
    const next = minDefined(times.next_scheduled, times.next_unlock);
    return next === null ? null : new Date(next);
  }

  /**
   * Calls `listener` with the display path of each queue or subscription that got messages, after the send or
   * abandon committed. Scheduled messages count too (the listener should consult `nextVisibleAt`).
   * Returns the unsubscribe function.
   */
  onMessageAvailable(listener: MessageAvailableListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private notify(paths: readonly string[]): void {
    for (const path of paths) {
      for (const listener of [...this.listeners]) {
        try {
          listener(path);
        } catch (error) {
          this.onListenerError(error);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers

  /** Runs `fn` in a write transaction taken up front, so concurrent writers queue on the busy timeout. */
  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private requireEntity(path: string, kinds: readonly EntityKind[], detail?: string): EntityRow {
    const row = typeof path === 'string' ? this.sql.selectEntity.get(entityKey(path)) : undefined;
    if (!row) throw new EntityNotFoundError(String(path));
    if (!kinds.includes(row.kind)) throw new EntityNotFoundError(row.display_path, detail ?? `it is a ${row.kind}`);
    return row;
  }

  /** A queue or subscription: the entities that hold messages for receivers. */
  private requireReceiver(path: string): EntityRow {
    return this.requireEntity(path, ['queue', 'subscription'], 'messages are received from a queue or subscription');
  }

  private upsertEntity(target: { kind: EntityKind; key: string; displayPath: string; name: string; topicPath?: string }, settings: Partial<QueueSettings>): EntityInfo {
    const existing = this.sql.selectEntity.get(target.key);
    if (existing && existing.kind !== target.kind) {
      throw new EntityConflictError(existing.display_path, existing.kind, target.kind);
    }
    const merged = mergeSettings(existing ? settingsOf(existing) : SERVICE_BUS_DEFAULTS, settings);
    const columns = {
      path: target.key,
      max_delivery_count: merged.maxDeliveryCount,
      lock_duration_ms: merged.lockDurationMs,
      duplicate_detection_window_ms: merged.duplicateDetectionWindowMs,
      default_message_ttl_ms: merged.defaultMessageTimeToLiveMs,
      dead_lettering_on_expiration: merged.deadLetteringOnMessageExpiration ? 1 : 0,
    };
    if (existing) {
      this.sql.updateEntitySettings.run(columns);
    } else {
      this.sql.insertEntity.run({
        ...columns,
        display_path: target.displayPath,
        name: target.name,
        kind: target.kind,
        topic_path: target.topicPath ?? null,
      });
    }
    return toEntityInfo(this.sql.selectEntity.get(target.key)!, this.sql);
  }
}

// -----------------------------------------------------------------------------------------------------------
// Settings and row mapping

function settingsOf(row: EntityRow): QueueSettings {
  return {
    maxDeliveryCount: row.max_delivery_count,
    lockDurationMs: row.lock_duration_ms,
    duplicateDetectionWindowMs: row.duplicate_detection_window_ms,
    defaultMessageTimeToLiveMs: row.default_message_ttl_ms,
    deadLetteringOnMessageExpiration: row.dead_lettering_on_expiration === 1,
  };
}

/** Applies the fields that are set in `update`, validating each. */
function mergeSettings(base: Readonly<QueueSettings>, update: Partial<QueueSettings>): QueueSettings {
  const merged = { ...base };
  if (update.maxDeliveryCount !== undefined) {
    merged.maxDeliveryCount = checkNumber('maxDeliveryCount', update.maxDeliveryCount, 1, true);
  }
  if (update.lockDurationMs !== undefined) {
    merged.lockDurationMs = checkNumber('lockDurationMs', update.lockDurationMs, 1, false);
  }
  if (update.duplicateDetectionWindowMs !== undefined) {
    merged.duplicateDetectionWindowMs = checkNumber('duplicateDetectionWindowMs', update.duplicateDetectionWindowMs, 0, false);
  }
  if (update.defaultMessageTimeToLiveMs !== undefined) {
    const ttl = update.defaultMessageTimeToLiveMs;
    // Infinity (a TimeSpan of -1 or TimeSpan.MaxValue) means "never expires", like null.
    merged.defaultMessageTimeToLiveMs = ttl === null || ttl === Number.POSITIVE_INFINITY ? null : checkNumber('defaultMessageTimeToLiveMs', ttl, 1, false);
  }
  if (update.deadLetteringOnMessageExpiration !== undefined) {
    if (typeof update.deadLetteringOnMessageExpiration !== 'boolean') {
      throw new TypeError('deadLetteringOnMessageExpiration must be a boolean.');
    }
    merged.deadLetteringOnMessageExpiration = update.deadLetteringOnMessageExpiration;
  }
  return merged;
}

function checkNumber(name: string, value: unknown, min: number, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}.`);
  }
  return value;
}

function toEntityInfo(row: EntityRow, sql: Statements): EntityInfo {
  const settings = settingsOf(row);
  const receiverSettings = {
    maxDeliveryCount: settings.maxDeliveryCount,
    lockDurationMs: settings.lockDurationMs,
    defaultMessageTimeToLiveMs: settings.defaultMessageTimeToLiveMs,
    deadLetteringOnMessageExpiration: settings.deadLetteringOnMessageExpiration,
  };
  switch (row.kind) {
    case 'queue':
      return { kind: 'queue', path: row.display_path, name: row.name, settings };
    case 'topic':
      return {
        kind: 'topic',
        path: row.display_path,
        name: row.name,
        settings: { duplicateDetectionWindowMs: settings.duplicateDetectionWindowMs },
      };
    case 'subscription':
      return {
        kind: 'subscription',
        path: row.display_path,
        name: row.name,
        topicName: sql.selectEntity.get(row.topic_path!)!.name,
        settings: receiverSettings,
      };
  }
}

function toDeadLetteredMessage(row: MessageRow): DeadLetteredMessage {
  const message: DeadLetteredMessage = { ...toBrokerMessage(row), deadLetteredAtUtc: new Date(row.dead_lettered_at!) };
  if (row.dead_letter_reason !== null) message.deadLetterReason = row.dead_letter_reason;
  if (row.dead_letter_description !== null) message.deadLetterErrorDescription = row.dead_letter_description;
  return message;
}

function minDefined(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
