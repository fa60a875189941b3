import type { ContainerDefinition, Document } from '../../data/document-store';
import type { AttemptState } from '../delivery/attempts';
import { causeId } from '../notifications/cause-id';
import type { EVENT_DOC_TYPES } from './containers';
import type { CloudEvent, EventStatus } from './schemas';

/** How long a published event is kept (for admins, and for replays): it is also how long its cause is remembered. */
export const PUBLISHED_RETENTION_SECONDS = 30 * 24 * 60 * 60;

/** An outbound event in its area's container, and its way to the topic (`relay`, nested so it never meets the area's own fields). */
export interface StagedEventDocument extends Document {
  docType: typeof EVENT_DOC_TYPES.event;
  /** Exactly what is published. */
  event: CloudEvent;
  relay: AttemptState & {
    status: EventStatus;
    cause: string;
    stagedAt: string;
    publishedAt?: string;
  };
  /** -1 (kept) until published, then PUBLISHED_RETENTION_SECONDS. */
  ttl: number;
}

/**
 * One per subject, beside its events: the last sequence number taken (so the next stage takes the
 * next, in the same batch), and when the relay should look at the subject next (absent when
 * nothing waits, or when a dead event holds the subject back: `blockedBy`).
 */
export interface EventStreamDocument extends Document {
  docType: typeof EVENT_DOC_TYPES.stream;
  stream: { subject: string; last: number; nextRunAt?: string; blockedBy?: string };
  /** Never expires: a forgotten counter would hand out its numbers again. */
  ttl: -1;
}

export type EventDocument = StagedEventDocument | EventStreamDocument;

/** One event per type and cause: the same cause staged again is the same event. */
export const eventId = (type: string, cause: string) => causeId(`event:${type}:${cause}`);
export const streamId = (subject: string) => causeId(`event-stream:${subject}`);

/** The document with the container's partition key field set (a dotted path makes nested objects). */
export function inPartition<T extends Document>(definition: ContainerDefinition, partitionKey: string, document: T): T {
  const path = definition.partitionKey.split('.');
  const root: Record<string, unknown> = { ...document };
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key] = { ...((node[key] as object) ?? {}) };
  node[path.at(-1)!] = partitionKey;
  return root as T;
}

/** The partition key value a document carries. */
export function partitionOf(definition: ContainerDefinition, document: Document): string {
  return definition.partitionKey.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document) as string;
}
