// @ts-check
// Azurite's own CLI (same arguments), with two changes for the local host:
// - Every write is on disk before Azurite answers it. Azurite keeps its metadata in LokiJS
//   databases that it saves on a fixed 5 s interval (not configurable), so a crash lost what it
//   had acknowledged since the last save. Each store method that changed a database now resolves
//   only after that database has been saved (LokiJS writes a temporary file and renames it).
// - Azurite exits when the host does, however the host ended: the IPC channel closes with it.
'use strict';
const path = require('node:path');

const src = path.dirname(require.resolve('azurite/dist/src/azurite.js'));
const stores = ['blob/persistence/LokiBlobMetadataStore', 'common/persistence/LokiExtentMetadataStore', 'queue/persistence/LokiQueueMetadataStore', 'table/persistence/LokiTableMetadataStore'];
for (const store of stores) saveAfterEachCall(require(path.join(src, store)).default);

process.on('disconnect', () => process.exit(0));
// The channel alone must not keep Azurite running once it has closed its servers.
process.channel?.unref();
require(path.join(src, 'azurite.js'));

/** @typedef {{ autosaveDirty(): boolean, throttledSavePending: boolean, saveDatabase(callback: (error?: Error) => void): void }} LokiDatabase */

/** @param {{ prototype: Record<string, unknown> }} Store a class whose instances keep a LokiJS database in `db` */
function saveAfterEachCall(Store) {
  for (const name of Object.getOwnPropertyNames(Store.prototype)) {
    const method = Object.getOwnPropertyDescriptor(Store.prototype, name)?.value;
    if (name === 'constructor' || typeof method !== 'function') continue;
    /** @this {{ db: LokiDatabase }} @param {unknown[]} args */
    Store.prototype[name] = function (...args) {
      const result = method.apply(this, args);
      return result instanceof Promise ? result.then((value) => saved(this.db).then(() => value)) : result;
    };
  }
}

/**
 * Resolves once the database's changes are on disk. LokiJS clears its dirty flags when a save
 * starts, so a change already taken by a save still in flight waits for the save queued after it.
 * @param {LokiDatabase} db
 * @returns {Promise<void>}
 */
function saved(db) {
  if (!db.autosaveDirty() && !db.throttledSavePending) return Promise.resolve();
  return new Promise((resolve, reject) => db.saveDatabase((error) => (error ? reject(error) : resolve())));
}
