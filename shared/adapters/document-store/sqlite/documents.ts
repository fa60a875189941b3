import { checkDocument } from '../../../data/document-rules';
import { randomUUID } from 'node:crypto';
import type { ContainerDefinition, PartitionKey } from '../../../data/document-store';

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
  const { body, id, partitionKey, json } = checkDocument(input, definition);
  return { id, partitionKey, json, ttl: body.ttl };
}

export function ttlEnabled(definition: ContainerDefinition): boolean {
  return definition.defaultTtlSeconds !== undefined;
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
