import type Database from 'better-sqlite3';
import { openStateDatabase } from '../sqlite-file';
import type { HistoryEvent, RuntimeStatus } from './history';

/**
 * The task hub on disk (`<data dir>/durable.sqlite`): instances, each one's history, the inbox of
 * events waiting for its next episode (timers wait there until they are due), activity work
 * items, and entities with their queued operations. Every state change is one transaction, so a
 * crash leaves either the episode's whole outcome or none of it.
 */
const SCHEMA_VERSION = 1;
const SCHEMA = `
CREATE TABLE instances (
  instance_id   TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  execution_id  TEXT NOT NULL,
  status        TEXT NOT NULL,
  input         TEXT,              -- JSON text
  output        TEXT,              -- JSON text
  custom_status TEXT,              -- JSON text
  version       TEXT,
  parent        TEXT,              -- JSON {instanceId, executionId, taskId} of a parent orchestration
  created_at    INTEGER NOT NULL,  -- epoch ms
  updated_at    INTEGER NOT NULL,
  rev           INTEGER NOT NULL   -- bumped on every change; an episode commits only on the rev it read
);
CREATE INDEX instances_by_created ON instances (created_at, instance_id);
CREATE TABLE history (
  instance_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  event       TEXT NOT NULL,
  PRIMARY KEY (instance_id, seq)
) WITHOUT ROWID;
CREATE TABLE inbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id  TEXT NOT NULL,
  execution_id TEXT,               -- null: for whichever execution is current (raised events)
  event        TEXT NOT NULL,
  visible_at   INTEGER NOT NULL
);
CREATE INDEX inbox_by_instance ON inbox (instance_id, id);
CREATE INDEX inbox_by_visible ON inbox (visible_at);
CREATE TABLE activities (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id  TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  task_id      INTEGER NOT NULL,
  name         TEXT NOT NULL,
  input        TEXT
);
CREATE INDEX activities_by_instance ON activities (instance_id);
CREATE TABLE entities (
  entity_id  TEXT PRIMARY KEY,     -- '@name@key', name lower-cased
  state      TEXT,                 -- JSON text
  exists_    INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE entity_ops (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  entity_id TEXT NOT NULL,
  op        TEXT NOT NULL          -- JSON EntityOperation
);
CREATE INDEX entity_ops_by_entity ON entity_ops (entity_id, id);
`;

export interface ParentRef {
  instanceId: string;
  executionId: string;
  taskId: number;
}

export interface InstanceRow {
  instanceId: string;
  name: string;
  executionId: string;
  status: RuntimeStatus;
  input: string | null;
  output: string | null;
  customStatus: string | null;
  version: string | null;
  parent: ParentRef | null;
  createdAt: number;
  updatedAt: number;
  rev: number;
}

export interface InboxMessage {
  id: number;
  executionId: string | null;
  event: HistoryEvent;
}

export interface ActivityWork {
  id: number;
  instanceId: string;
  executionId: string;
  taskId: number;
  name: string;
  input: string | undefined;
}

export interface EntityOperation {
  requestId: string;
  operation: string;
  input?: string;
  signal: boolean;
  /** The calling orchestration, which gets the result as an event named `requestId`. */
  parent?: string;
}

export interface InstanceFilter {
  createdFrom?: number;
  createdTo?: number;
  statuses?: RuntimeStatus[];
  idPrefix?: string;
}

type Row = Record<string, unknown>;

function toInstance(row: Row): InstanceRow {
  return {
    instanceId: row.instance_id as string,
    name: row.name as string,
    executionId: row.execution_id as string,
    status: row.status as RuntimeStatus,
    input: row.input as string | null,
    output: row.output as string | null,
    customStatus: row.custom_status as string | null,
    version: row.version as string | null,
    parent: row.parent ? (JSON.parse(row.parent as string) as ParentRef) : null,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    rev: row.rev as number,
  };
}

export class DurableStore {
  private readonly statements;

  private constructor(private readonly db: Database.Database) {
    this.statements = {
      instance: db.prepare('SELECT * FROM instances WHERE instance_id = ?'),
      putInstance: db.prepare(`INSERT OR REPLACE INTO instances VALUES (@instanceId, @name, @executionId, @status, @input, @output, @customStatus, @version, @parent, @createdAt, @updatedAt, @rev)`),
      history: db.prepare('SELECT event FROM history WHERE instance_id = ? ORDER BY seq'),
      historyLength: db.prepare('SELECT COUNT(*) AS n FROM history WHERE instance_id = ?'),
      appendHistory: db.prepare('INSERT INTO history VALUES (?, ?, ?)'),
      clearHistory: db.prepare('DELETE FROM history WHERE instance_id = ?'),
      enqueue: db.prepare('INSERT INTO inbox (instance_id, execution_id, event, visible_at) VALUES (?, ?, ?, ?)'),
      visible: db.prepare('SELECT id, execution_id, event FROM inbox WHERE instance_id = ? AND visible_at <= ? ORDER BY id'),
      deleteMessage: db.prepare('DELETE FROM inbox WHERE id = ?'),
      deleteInbox: db.prepare('DELETE FROM inbox WHERE instance_id = ?'),
      dueInstances: db.prepare('SELECT DISTINCT instance_id FROM inbox WHERE visible_at <= ?'),
      nextDue: db.prepare('SELECT MIN(visible_at) AS at FROM inbox WHERE visible_at > ?'),
      addActivity: db.prepare('INSERT INTO activities (instance_id, execution_id, task_id, name, input) VALUES (?, ?, ?, ?, ?)'),
      activities: db.prepare('SELECT * FROM activities ORDER BY id'),
      deleteActivity: db.prepare('DELETE FROM activities WHERE id = ?'),
      deleteActivities: db.prepare('DELETE FROM activities WHERE instance_id = ?'),
      entity: db.prepare('SELECT state, exists_ FROM entities WHERE entity_id = ?'),
      putEntity: db.prepare('INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?)'),
      addEntityOp: db.prepare('INSERT INTO entity_ops (entity_id, op) VALUES (?, ?)'),
      entityOps: db.prepare('SELECT id, op FROM entity_ops WHERE entity_id = ? ORDER BY id LIMIT ?'),
      deleteEntityOp: db.prepare('DELETE FROM entity_ops WHERE id = ?'),
      entitiesWithOps: db.prepare('SELECT DISTINCT entity_id FROM entity_ops'),
      deleteInstance: db.prepare('DELETE FROM instances WHERE instance_id = ?'),
      counts: db.prepare('SELECT status, COUNT(*) AS n FROM instances GROUP BY status'),
      historyTotals: db.prepare('SELECT COUNT(*) AS events, COALESCE(SUM(LENGTH(event)), 0) AS bytes FROM history'),
    };
  }

  static open(filename: string): DurableStore {
    return new DurableStore(openStateDatabase(filename, { label: 'Durable task hub', version: SCHEMA_VERSION, sql: SCHEMA }));
  }

  /** Runs `work` as one immediate transaction. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  private queued: { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];

  /**
   * Group commit: runs `work` in a transaction shared with the other commits requested in the
   * same turn of the event loop, each in its own savepoint (one failing rolls back only itself),
   * and resolves once that transaction is durable. One commit per batch instead of per episode
   * or activity result is what keeps the engine's share small under load.
   */
  commit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.queued.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queued.splice(0);
    let outcomes: ({ value: unknown } | { error: unknown })[];
    try {
      outcomes = this.db
        .transaction(() =>
          batch.map(({ work }) => {
            try {
              return { value: this.db.transaction(work)() };
            } catch (error) {
              return { error };
            }
          }),
        )
        .immediate();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if ('error' in outcome) item.reject(outcome.error);
      else item.resolve(outcome.value);
    });
  }

  instance(instanceId: string): InstanceRow | undefined {
    const row = this.statements.instance.get(instanceId) as Row | undefined;
    return row ? toInstance(row) : undefined;
  }

  putInstance(row: InstanceRow): void {
    this.statements.putInstance.run({ ...row, parent: row.parent ? JSON.stringify(row.parent) : null });
  }

  history(instanceId: string): HistoryEvent[] {
    return (this.statements.history.all(instanceId) as Row[]).map((row) => JSON.parse(row.event as string) as HistoryEvent);
  }

  appendHistory(instanceId: string, events: HistoryEvent[]): void {
    let seq = (this.statements.historyLength.get(instanceId) as { n: number }).n;
    for (const event of events) this.statements.appendHistory.run(instanceId, seq++, JSON.stringify({ ...event, IsPlayed: true }));
  }

  clearHistory(instanceId: string): void {
    this.statements.clearHistory.run(instanceId);
  }

  enqueue(instanceId: string, executionId: string | null, event: HistoryEvent, visibleAt = Date.now()): void {
    this.statements.enqueue.run(instanceId, executionId, JSON.stringify(event), visibleAt);
  }

  visibleMessages(instanceId: string, now = Date.now()): InboxMessage[] {
    return (this.statements.visible.all(instanceId, now) as Row[]).map((row) => ({
      id: row.id as number,
      executionId: row.execution_id as string | null,
      event: JSON.parse(row.event as string) as HistoryEvent,
    }));
  }

  deleteMessages(ids: number[]): void {
    for (const id of ids) this.statements.deleteMessage.run(id);
  }

  /** Instances with an event due now. */
  dueInstances(now = Date.now()): string[] {
    return (this.statements.dueInstances.all(now) as Row[]).map((row) => row.instance_id as string);
  }

  /** When the next future event (a timer) falls due, if any. */
  nextDueAt(now = Date.now()): number | undefined {
    return ((this.statements.nextDue.get(now) as { at: number | null }).at ?? undefined) as number | undefined;
  }

  addActivity(work: Omit<ActivityWork, 'id'>): number {
    return Number(this.statements.addActivity.run(work.instanceId, work.executionId, work.taskId, work.name, work.input ?? null).lastInsertRowid);
  }

  activities(): ActivityWork[] {
    return (this.statements.activities.all() as Row[]).map((row) => ({
      id: row.id as number,
      instanceId: row.instance_id as string,
      executionId: row.execution_id as string,
      taskId: row.task_id as number,
      name: row.name as string,
      input: (row.input as string | null) ?? undefined,
    }));
  }

  /** False when the item was already gone (its instance was terminated or purged meanwhile). */
  deleteActivity(id: number): boolean {
    return this.statements.deleteActivity.run(id).changes > 0;
  }

  entity(entityId: string): { exists: boolean; state: string | null } {
    const row = this.statements.entity.get(entityId) as Row | undefined;
    return row ? { exists: row.exists_ === 1, state: row.state as string | null } : { exists: false, state: null };
  }

  putEntity(entityId: string, exists: boolean, state: string | null): void {
    this.statements.putEntity.run(entityId, exists ? state : null, exists ? 1 : 0, Date.now());
  }

  addEntityOperation(entityId: string, operation: EntityOperation): void {
    this.statements.addEntityOp.run(entityId, JSON.stringify(operation));
  }

  entityOperations(entityId: string, limit: number): { id: number; operation: EntityOperation }[] {
    return (this.statements.entityOps.all(entityId, limit) as Row[]).map((row) => ({ id: row.id as number, operation: JSON.parse(row.op as string) as EntityOperation }));
  }

  deleteEntityOperations(ids: number[]): void {
    for (const id of ids) this.statements.deleteEntityOp.run(id);
  }

  entitiesWithOperations(): string[] {
    return (this.statements.entitiesWithOps.all() as Row[]).map((row) => row.entity_id as string);
  }

  /** Removes the instance with its history, pending events and work. */
  purge(instanceId: string): boolean {
    this.statements.deleteInbox.run(instanceId);
    this.statements.deleteActivities.run(instanceId);
    this.statements.clearHistory.run(instanceId);
    return this.statements.deleteInstance.run(instanceId).changes > 0;
  }

  /** Drops what a finished or restarted execution left: queued events and activities not yet run. */
  dropPendingWork(instanceId: string): void {
    this.statements.deleteInbox.run(instanceId);
    this.statements.deleteActivities.run(instanceId);
  }

  /** A page of instances, oldest first, continuing after (createdAt, instanceId) of the last one. */
  listInstances(filter: InstanceFilter, limit: number, after?: { createdAt: number; instanceId: string }): InstanceRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.createdFrom !== undefined) where.push('created_at >= ?'), params.push(filter.createdFrom);
    if (filter.createdTo !== undefined) where.push('created_at <= ?'), params.push(filter.createdTo);
    if (filter.statuses?.length) where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`), params.push(...filter.statuses);
    if (filter.idPrefix) where.push('instance_id >= ? AND instance_id < ?'), params.push(filter.idPrefix, `${filter.idPrefix}\uffff`);
    if (after) where.push('(created_at, instance_id) > (?, ?)'), params.push(after.createdAt, after.instanceId);
    const sql = `SELECT * FROM instances ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, instance_id LIMIT ?`;
    return (this.db.prepare(sql).all(...params, limit) as Row[]).map(toInstance);
  }

  statusCounts(): Record<string, number> {
    return Object.fromEntries((this.statements.counts.all() as Row[]).map((row) => [row.status as string, row.n as number]));
  }

  historyTotals(): { events: number; bytes: number } {
    return this.statements.historyTotals.get() as { events: number; bytes: number };
  }

  close(): void {
    this.db.close();
  }
}
