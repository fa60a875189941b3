import { assertDocumentSize, assertId, assertPartitionKey } from '../../../data/document-rules';
import { randomUUID } from 'node:crypto';
import type { ContainerDefinition, PartitionKey } from '../../../data/document-store';
import { StoreError } from '../../../data/errors';

/** Cosmos limits, kept locally so code that works here does not fail there. */

export interface PreparedDocument {
  id: string;
  partitionKey: PartitionKey;
  /** The document as stored: JSON without system fields. */
  json: string;
  /** The document's own TTL field, if any. */
  ttl: unknown;
}

/** Validates a document for writing and serialises it; system fields in the input are dropped. */
export function prepareDocument(input: unknown, definition: ContainerDefinition): PreparedDocument {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('A document must be a JSON object');
  const { _etag, _ts, ...body } = input as Record<string, unknown>;
  const id = assertId(body.id);
  const partitionKey = partitionKeyOf(body, definition);
  // A document without a vector is stored but not found by vector search.
  const vector = definition.vector && readPath(body, definition.vector.path);
  if (vector !== undefined && vector !== null) assertVector(vector, definition.vector!.dimensions);
  if (ttlEnabled(definition)) assertTtl(body.ttl);
  let json: string;
  try {
    json = JSON.stringify(body);
  } catch (cause) {
    throw new StoreError('validation', 'The document cannot be serialised as JSON', { cause });
  }
  assertDocumentSize(json);
  return { id, partitionKey, json, ttl: body.ttl };
}

function partitionKeyOf(body: Record<string, unknown>, definition: ContainerDefinition): PartitionKey {
  const value = readPath(body, definition.partitionKey);
  if (value === undefined) throw invalid(`The document has no partition key (${definition.partitionKey})`);
  return assertPartitionKey(value);
}

export function assertVector(value: unknown, dimensions: number): asserts value is number[] {
  if (!Array.isArray(value) || value.length !== dimensions || !value.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw invalid(`A vector must be an array of ${dimensions} finite numbers`);
  }
}

export function ttlEnabled(definition: ContainerDefinition): boolean {
  return definition.defaultTtlSeconds !== undefined;
}

/** Cosmos item TTL: absent or null uses the container default, -1 never expires, else positive whole seconds. */
function assertTtl(ttl: unknown): void {
  if (ttl === undefined || ttl === null || ttl === -1 || (Number.isInteger(ttl) && (ttl as number) > 0)) return;
  throw invalid('ttl must be -1 or a positive whole number of seconds');
}

/**
 * When the document stops being visible, in seconds since the epoch, or null for never. As in Cosmos, TTL counts
 * from the last write (`_ts`) and applies only when the container has TTL on (`defaultTtlSeconds`, -1 = no default).
 */
export function expiresAt(ttl: unknown, ts: number, definition: ContainerDefinition): number | null {
  if (!ttlEnabled(definition)) return null;
  const seconds = Number.isInteger(ttl) && (ttl as number) > 0 ? (ttl as number) : ttl === -1 ? -1 : definition.defaultTtlSeconds!;
  return seconds > 0 ? ts + seconds : null;
}

/** Quoted like a Cosmos etag; random, so it says nothing about order. */
export function newEtag(): string {
  return `"${randomUUID()}"`;
}

export function readPath(body: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined), body);
}

function invalid(message: string): StoreError {
  return new StoreError('validation', message);
}
