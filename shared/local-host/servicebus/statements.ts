import type Database from 'better-sqlite3';
import type { EntityKind } from './types';

/** Row shapes and the prepared statements of the broker's store (see schema.ts for the tables). */

export interface EntityRow {
  path: string;
  display_path: string;
  name: string;
  kind: EntityKind;
  topic_path: string | null;
  max_delivery_count: number;
  lock_duration_ms: number;
  duplicate_detection_window_ms: number;
  default_message_ttl_ms: number | null;
  dead_lettering_on_expiration: number;
  last_sequence_number: number;
}

export interface MessageRow {
  entity_path: string;
  sequence_number: number;
  message_id: string;
  body: Buffer;
  correlation_id: string | null;
  session_id: string | null;
  content_type: string | null;
  subject: string | null;
  application_properties: string;
  enqueued_at: number;
  scheduled_at: number | null;
  expires_at: number | null;
  delivery_count: number;
  lock_token: string | null;
  locked_until: number | null;
  dead_lettered: number;
  dead_lettered_at: number | null;
  dead_letter_reason: string | null;
  dead_letter_description: string | null;
}

export type EntitySettingsColumns = Pick<EntityRow, 'path' | 'max_delivery_count' | 'lock_duration_ms' | 'duplicate_detection_window_ms' | 'default_message_ttl_ms' | 'dead_lettering_on_expiration'>;

export type NewEntityRow = Omit<EntityRow, 'last_sequence_number'>;

export type NewMessageRow = Omit<MessageRow, 'delivery_count' | 'lock_token' | 'locked_until' | 'dead_lettered' | 'dead_lettered_at' | 'dead_letter_reason' | 'dead_letter_description'>;

export interface EntityCounts {
  active: number;
  locked: number;
  scheduled: number;
  deadLetter: number;
}

export interface VisibilityTimes {
  visible_now: number;
  next_scheduled: number | null;
  next_unlock: number | null;
}

/** A message is visible when it is in the active sub-queue, not under a live lock and not scheduled for later. */
const VISIBLE = `dead_lettered = 0
  AND (locked_until IS NULL OR locked_until <= @now)
  AND (scheduled_at IS NULL OR scheduled_at <= @now)`;

export function prepareStatements(db: Database.Database) {
  return {
    selectEntity: db.prepare<[string], EntityRow>('SELECT * FROM entities WHERE path = ?'),
    selectAllEntities: db.prepare<[], EntityRow>('SELECT * FROM entities ORDER BY path'),
    selectSubscriptions: db.prepare<[string], EntityRow>("SELECT * FROM entities WHERE topic_path = ? AND kind = 'subscription' ORDER BY path"),
    insertEntity: db.prepare<NewEntityRow>(
      `INSERT INTO entities (path, display_path, name, kind, topic_path, max_delivery_count, lock_duration_ms,
         duplicate_detection_window_ms, default_message_ttl_ms, dead_lettering_on_expiration)
       VALUES (@path, @display_path, @name, @kind, @topic_path, @max_delivery_count, @lock_duration_ms,
         @duplicate_detection_window_ms, @default_message_ttl_ms, @dead_lettering_on_expiration)`,
    ),
    updateEntitySettings: db.prepare<EntitySettingsColumns>(
      `UPDATE entities SET max_delivery_count = @max_delivery_count, lock_duration_ms = @lock_duration_ms,
         duplicate_detection_window_ms = @duplicate_detection_window_ms,
         default_message_ttl_ms = @default_message_ttl_ms,
         dead_lettering_on_expiration = @dead_lettering_on_expiration
       WHERE path = @path`,
    ),
    nextSequenceNumber: db.prepare<[string], number>('UPDATE entities SET last_sequence_number = last_sequence_number + 1 WHERE path = ? RETURNING last_sequence_number').pluck(),

    forgetDuplicateIdsBefore: db.prepare<[string, number]>('DELETE FROM duplicate_ids WHERE entity_path = ? AND accepted_at <= ?'),
    isDuplicateId: db.prepare<[string, string, number], number>('SELECT 1 FROM duplicate_ids WHERE entity_path = ? AND message_id = ? AND accepted_at > ?').pluck(),
    rememberDuplicateId: db.prepare<[string, string, number]>(
      `INSERT INTO duplicate_ids (entity_path, message_id, accepted_at) VALUES (?, ?, ?)
       ON CONFLICT (entity_path, message_id) DO UPDATE SET accepted_at = excluded.accepted_at`,
    ),

    insertMessage: db.prepare<NewMessageRow>(
      `INSERT INTO messages (entity_path, sequence_number, message_id, body, correlation_id, session_id,
         content_type, subject, application_properties, enqueued_at, scheduled_at, expires_at)
       VALUES (@entity_path, @sequence_number, @message_id, @body, @correlation_id, @session_id,
         @content_type, @subject, @application_properties, @enqueued_at, @scheduled_at, @expires_at)`,
    ),
    selectVisible: db.prepare<{ path: string; after: number; now: number; limit: number }, MessageRow>(
      `SELECT * FROM messages
       WHERE entity_path = @path AND sequence_number > @after AND ${VISIBLE}
       ORDER BY sequence_number LIMIT @limit`,
    ),
    selectByLockToken: db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE lock_token = ? AND entity_path = ? AND dead_lettered = 0'),
    lockMessage: db.prepare<{ path: string; seq: number; lockToken: string; lockedUntil: number }>(
      `UPDATE messages SET lock_token = @lockToken, locked_until = @lockedUntil, delivery_count = delivery_count + 1
       WHERE entity_path = @path AND sequence_number = @seq`,
    ),
    renewLock: db.prepare<[number, string, number]>('UPDATE messages SET locked_until = ? WHERE entity_path = ? AND sequence_number = ?'),
    releaseLock: db.prepare<[string, number]>('UPDATE messages SET lock_token = NULL, locked_until = NULL WHERE entity_path = ? AND sequence_number = ?'),
    releaseAllLocks: db.prepare<[]>('UPDATE messages SET lock_token = NULL, locked_until = NULL WHERE lock_token IS NOT NULL'),
    deleteMessage: db.prepare<[string, number]>('DELETE FROM messages WHERE entity_path = ? AND sequence_number = ?'),
    deadLetterMessage: db.prepare<{
      path: string;
      seq: number;
      now: number;
      reason: string | null;
      description: string | null;
    }>(
      `UPDATE messages SET dead_lettered = 1, dead_lettered_at = @now, dead_letter_reason = @reason,
         dead_letter_description = @description, lock_token = NULL, locked_until = NULL
       WHERE entity_path = @path AND sequence_number = @seq`,
    ),

    selectDeadLetters: db.prepare<[string, number, number], MessageRow>(
      `SELECT * FROM messages WHERE entity_path = ? AND dead_lettered = 1 AND sequence_number >= ?
       ORDER BY sequence_number LIMIT ?`,
    ),
    purgeDeadLetters: db.prepare<[string]>('DELETE FROM messages WHERE entity_path = ? AND dead_lettered = 1'),

    // SUM over a comparison counts the rows where it is true (NULL comparisons are skipped).
    counts: db.prepare<{ path: string; now: number }, EntityCounts>(
      `SELECT
         COALESCE(SUM(${VISIBLE}), 0) AS active,
         COALESCE(SUM(dead_lettered = 0 AND locked_until > @now), 0) AS locked,
         COALESCE(SUM(dead_lettered = 0 AND scheduled_at > @now), 0) AS scheduled,
         COALESCE(SUM(dead_lettered = 1), 0) AS deadLetter
       FROM messages WHERE entity_path = @path`,
    ),
    visibilityTimes: db.prepare<{ path: string; now: number }, VisibilityTimes>(
      `SELECT
         EXISTS (SELECT 1 FROM messages WHERE entity_path = @path AND ${VISIBLE}) AS visible_now,
         (SELECT MIN(scheduled_at) FROM messages
            WHERE entity_path = @path AND dead_lettered = 0 AND scheduled_at > @now) AS next_scheduled,
         (SELECT MIN(locked_until) FROM messages
            WHERE entity_path = @path AND dead_lettered = 0 AND locked_until > @now) AS next_unlock`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
