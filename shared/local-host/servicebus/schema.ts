import type Database from 'better-sqlite3';
import { openStateDatabase } from '../sqlite-file';

/** Bump together with a migration step when the tables change. */
const SCHEMA_VERSION = 1;

/**
 * All times are epoch milliseconds. A message row lives in its entity's active sub-queue until it is completed
 * (deleted) or dead-lettered (`dead_lettered = 1`, kept in the same table so it keeps its properties and body).
 */
const SCHEMA_V1 = `
CREATE TABLE entities (
  path                              TEXT PRIMARY KEY,   -- lower-cased: 'orders', 'events/subscriptions/audit'
  display_path                      TEXT NOT NULL,
  name                              TEXT NOT NULL,      -- display name of the queue, topic or subscription
  kind                              TEXT NOT NULL CHECK (kind IN ('queue', 'topic', 'subscription')),
  topic_path                        TEXT REFERENCES entities (path),
  max_delivery_count                INTEGER NOT NULL,
  lock_duration_ms                  INTEGER NOT NULL,
  duplicate_detection_window_ms     INTEGER NOT NULL,
  default_message_ttl_ms            INTEGER,
  dead_lettering_on_expiration      INTEGER NOT NULL,
  last_sequence_number              INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entities_by_topic ON entities (topic_path) WHERE topic_path IS NOT NULL;

CREATE TABLE messages (
  entity_path                       TEXT NOT NULL REFERENCES entities (path),
  sequence_number                   INTEGER NOT NULL,
  message_id                        TEXT NOT NULL,
  body                              BLOB NOT NULL,
  correlation_id                    TEXT,
  session_id                        TEXT,
  content_type                      TEXT,
  subject                           TEXT,
  application_properties            TEXT NOT NULL,      -- JSON object
  enqueued_at                       INTEGER NOT NULL,
  scheduled_at                      INTEGER,            -- invisible before this time
  expires_at                        INTEGER,
  delivery_count                    INTEGER NOT NULL DEFAULT 0,
  lock_token                        TEXT,               -- kept after the lock expires so a late settle is refused
  locked_until                      INTEGER,
  dead_lettered                     INTEGER NOT NULL DEFAULT 0,
  dead_lettered_at                  INTEGER,
  dead_letter_reason                TEXT,
  dead_letter_description           TEXT,
  PRIMARY KEY (entity_path, sequence_number)
);
CREATE INDEX messages_in_order ON messages (entity_path, dead_lettered, sequence_number);
CREATE UNIQUE INDEX messages_by_lock_token ON messages (lock_token) WHERE lock_token IS NOT NULL;

CREATE TABLE duplicate_ids (
  entity_path                       TEXT NOT NULL REFERENCES entities (path),
  message_id                        TEXT NOT NULL,
  accepted_at                       INTEGER NOT NULL,
  PRIMARY KEY (entity_path, message_id)
) WITHOUT ROWID;
CREATE INDEX duplicate_ids_by_age ON duplicate_ids (entity_path, accepted_at);
`;

export function openDatabase(filename: string, busyTimeoutMs: number): Database.Database {
  return openStateDatabase(filename, { label: 'Service Bus', version: SCHEMA_VERSION, sql: SCHEMA_V1, busyTimeoutMs });
}
