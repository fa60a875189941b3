import type { PartitionKey } from './document-store';
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
