import Database from 'better-sqlite3';

/**
 * Opens one of the host's state files (Service Bus broker, Durable task hub): WAL, and a schema
 * created on first use and versioned by `user_version` so an older host refuses a newer file.
 */
export function openStateDatabase(filename: string, schema: { label: string; version: number; sql: string; busyTimeoutMs?: number }): Database.Database {
  const db = new Database(filename, { timeout: schema.busyTimeoutMs ?? 5_000 });
  try {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL survives a process crash (the durability promise here); only an OS crash
    // could lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.transaction(() => {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > schema.version) throw new Error(`The ${schema.label} store was written by a newer version (schema ${version} > ${schema.version}).`);
      if (version < 1) db.exec(schema.sql);
      db.pragma(`user_version = ${schema.version}`);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
