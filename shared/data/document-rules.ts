import type { ContainerDefinition, PartitionKey } from './document-store';
import { StoreError } from './errors';

/** Cosmos DB's limits, enforced by every adapter so local runs refuse what Azure would. */
const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
const MAX_ID_BYTES = 1023;
const FORBIDDEN_ID_CHARACTERS = /[/\\?#]/;

const invalid = (message: string) => new StoreError('validation', message);

export function assertId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0) throw invalid('A document needs a non-empty string id');
  if (FORBIDDEN_ID_CHARACTERS.test(id)) throw invalid('A document id cannot contain / \\ ? or #');
  if (Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) throw invalid('A document id is at most 1023 bytes');
  return id;
}

export function assertPartitionKey(value: unknown): PartitionKey {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  throw invalid('A partition key value must be a string or a finite number');
}

/** The document's JSON text, refused when over 2 MB. */
export function assertDocumentSize(json: string): string {
  if (Buffer.byteLength(json, 'utf8') > MAX_DOCUMENT_BYTES) throw invalid('The document is larger than 2 MB');
  return json;
}

/** Cosmos system properties: never taken from input (Cosmos owns them; `_etag` and `_ts` come back on reads). */
export const SYSTEM_FIELDS = ['_etag', '_ts', '_rid', '_self', '_attachments', '_lsn'];

export interface CheckedDocument {
  /** The document without system fields. */
  body: Record<string, unknown>;
  id: string;
  partitionKey: PartitionKey;
  /** `body` as JSON, within the size limit. */
  json: string;
}

/** A document checked for writing, the same way in every adapter, so local runs refuse what Azure would. */
export function checkDocument(input: unknown, definition: ContainerDefinition): CheckedDocument {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('A document must be a JSON object');
  const body = { ...(input as Record<string, unknown>) };
  for (const field of SYSTEM_FIELDS) delete body[field];
  const id = assertId(body.id);
  const key = readPath(body, definition.partitionKey);
  if (key === undefined) throw invalid(`The document has no partition key (${definition.partitionKey})`);
  const partitionKey = assertPartitionKey(key);
  const vector = definition.vector && readPath(body, definition.vector.path);
  // A document without a vector is stored, and simply not found by vector search.
  if (vector !== undefined && vector !== null) assertVector(vector, definition.vector!.dimensions);
  if (definition.defaultTtlSeconds !== undefined) assertTtl(body.ttl);
  let json: string;
  try {
    json = JSON.stringify(body);
  } catch (cause) {
    throw new StoreError('validation', 'The document cannot be serialised as JSON', { cause });
  }
  return { body, id, partitionKey, json: assertDocumentSize(json) };
}

export function assertVector(value: unknown, dimensions: number): asserts value is number[] {
  if (!Array.isArray(value) || value.length !== dimensions || !value.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw invalid(`A vector must be an array of ${dimensions} finite numbers`);
  }
}

/** Cosmos item TTL: absent or null uses the container default, -1 never expires, else positive whole seconds. */
function assertTtl(ttl: unknown): void {
  if (ttl === undefined || ttl === null || ttl === -1 || (Number.isInteger(ttl) && (ttl as number) > 0)) return;
  throw invalid('ttl must be -1 or a positive whole number of seconds');
}

/** The value at a dotted path; own properties only, so a field named `constructor` never finds Object.prototype's. */
export function readPath(body: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined), body);
}
