import type { z } from 'zod';
import type { BatchOperation, Container, Document, Stored } from '../../data/document-store';
import { BatchError, StoreError } from '../../data/errors';
import { AppError } from '../../errors';
import { type EventDocument, type EventStreamDocument, eventId, inPartition, type StagedEventDocument, streamId } from './documents';
import { EVENT_DOC_TYPES } from './containers';
import type { EventCatalog, OutboundEventType } from './event-types';
import { type CloudEvent, EVENT_SOURCE, formatSequence } from './schemas';

/**
 * The largest event staged (its JSON): far under Service Bus Standard's 256 KB message, which also
 * holds the broker's own properties. Events carry ids and small facts, never documents.
 */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Attempts at one batch whose sequence numbers concurrent stages of the same subject keep taking first. */
const MAX_COMMIT_ATTEMPTS = 50;

interface StagedInput {
  id: string;
  cause: string;
  /** The envelope without `time` and `sequence`, which the commit sets. */
  event: Omit<CloudEvent, 'time' | 'sequence'>;
}

/**
 * Writes outbound events in the same transactional batch as the change that causes them, so an
 * event exists if and only if its cause was written. Each event's id comes from its type and
 * cause and it is written only if absent; its `sequence` is the next number of its subject,
 * taken from the subject's stream document in the same batch, so concurrent stages never share a
 * number and a failed batch leaves no gap. The relay (relay.ts) publishes what is staged.
 *
 * ```ts
 * await events.batch(rfqs, rfq.rfqId)            // one container, one partition: what Cosmos makes atomic
 *   .add({ op: 'replace', document: matched, ifMatch: rfq._etag })
 *   .stage(rfqMatched, { subject: rfq.rfqId, cause: `rfq:${rfq.rfqId}:matched:v${rfq.version}`, data })
 *   .commit();
 * ```
 */
export class EventOutbox {
  constructor(
    private readonly catalog: EventCatalog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A batch on one partition of a container that holds outbound events (declared `withOutboundEvents`). */
  batch<T extends Document>(container: Container<T>, partitionKey: string): EventBatch<T> {
    return new EventBatch<T>(this.catalog, container as unknown as Container<T | EventDocument>, partitionKey, this.now);
  }
}

export class EventBatch<T extends Document> {
  private readonly operations: BatchOperation<T>[] = [];
  private readonly staged: StagedInput[] = [];

  constructor(
    private readonly catalog: EventCatalog,
    private readonly container: Container<T | EventDocument>,
    private readonly partitionKey: string,
    private readonly now: () => Date,
  ) {}

  /** The caller's own writes, in this partition. */
  add(...operations: BatchOperation<T>[]): this {
    this.operations.push(...operations);
    return this;
  }

  /** An event to write with them. Its type must be in the catalog, staged in its own container, with data its schema accepts. */
  stage<D extends z.ZodType>(type: OutboundEventType<string, D>, input: { subject: string; cause: string; data: z.input<D> }): this {
    const registered = this.catalog.get(type.type);
    if (registered !== type) throw new Error(`Event type ${type.type} is not in the outbound events catalog (shared/domain/events/catalog.ts)`);
    if (type.container.name !== this.container.definition.name) throw new Error(`Events of type ${type.type} are staged in ${type.container.name}, not ${this.container.definition.name}`);
    if (!input.subject || input.subject.length > 200 || !input.cause) throw new Error(`Event ${type.type} needs a subject (at most 200 characters) and a cause`);
    const data = type.data.safeParse(input.data);
    if (!data.success) throw new Error(`Event ${type.type} has invalid data: ${data.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const event: StagedInput['event'] = {
      specversion: '1.0',
      id: eventId(type.type, input.cause),
      source: EVENT_SOURCE,
      type: type.type,
      subject: input.subject,
      datacontenttype: 'application/json',
      partitionkey: this.partitionKey,
      data: data.data,
    };
    // Measured as it will be sent: time and sequence have a fixed length.
    const bytes = Buffer.byteLength(JSON.stringify({ ...event, time: this.now().toISOString(), sequence: formatSequence(0) }));
    if (bytes > MAX_EVENT_BYTES) throw new AppError('unprocessable', `The ${type.type} event would be ${bytes} bytes; at most ${MAX_EVENT_BYTES} are sent.`);
    this.staged.push({ id: event.id, cause: input.cause, event });
    return this;
  }

  /**
   * Writes everything, all or nothing. Returns the results of the caller's operations and the
   * staged events as stored: an event whose cause was staged before is returned as it was, and
   * takes no new number. A failure of the caller's operations throws, and no event is staged.
   */
  async commit(): Promise<{ results: (Stored<T> | null)[]; events: CloudEvent[] }> {
    for (let attempt = 1; ; attempt++) {
      const plan = await this.plan();
      const operations: BatchOperation<T | EventDocument>[] = [...this.operations, ...plan.operations];
      if (!operations.length) return { results: [], events: plan.events };
      try {
        const results = await this.container.batch(this.partitionKey, operations);
        return { results: results.slice(0, this.operations.length) as (Stored<T> | null)[], events: plan.events };
      } catch (error) {
        // Another stage of the same subject or cause committed between our reads and our batch.
        const raced = error instanceof BatchError && error.operationIndex >= this.operations.length && (error.kind === 'conflict' || error.kind === 'precondition_failed');
        if (!raced) throw error;
        if (attempt === MAX_COMMIT_ATTEMPTS) throw new StoreError('throttled', 'Too many events for this subject at once; try again shortly.', { cause: error });
      }
    }
  }

  /** The event and stream writes, from what is stored now. */
  private async plan(): Promise<{ operations: BatchOperation<EventDocument>[]; events: CloudEvent[] }> {
    const time = this.now().toISOString();
    const stored = new Map<string, CloudEvent>();
    const fresh: StagedInput[] = [];
    for (const staged of this.staged) {
      if (stored.has(staged.id) || fresh.some((other) => other.id === staged.id)) continue;
      const existing = (await this.container.read(this.partitionKey, staged.id)) as Stored<StagedEventDocument> | null;
      if (existing) stored.set(staged.id, existing.event);
      else fresh.push(staged);
    }
    const operations: BatchOperation<EventDocument>[] = [];
    for (const subject of new Set(fresh.map((staged) => staged.event.subject))) {
      const current = (await this.container.read(this.partitionKey, streamId(subject))) as Stored<EventStreamDocument> | null;
      let last = current?.stream.last ?? 0;
      for (const staged of fresh.filter((item) => item.event.subject === subject)) {
        const event: CloudEvent = { ...staged.event, time, sequence: formatSequence(++last) };
        stored.set(staged.id, event);
        operations.push({
          op: 'create',
          document: this.inPartition({
            id: staged.id,
            docType: EVENT_DOC_TYPES.event,
            event,
            relay: { status: 'pending', cause: staged.cause, stagedAt: time, attempts: 0, nextAttemptAt: time },
            ttl: -1,
          }),
        });
      }
      operations.push(
        current
          ? { op: 'replace', document: { ...current, stream: nextStream(current.stream, last, time) }, ifMatch: current._etag }
          : { op: 'create', document: this.inPartition({ id: streamId(subject), docType: EVENT_DOC_TYPES.stream, stream: { subject, last, nextRunAt: time }, ttl: -1 }) },
      );
    }
    return { operations, events: this.staged.map((staged) => stored.get(staged.id)!) };
  }

  private inPartition<T extends EventDocument>(document: T): T {
    return inPartition(this.container.definition, this.partitionKey, document);
  }
}

/** The stream after new events: due now unless the relay already has a time for it, or a dead event holds it back. */
function nextStream(stream: EventStreamDocument['stream'], last: number, now: string): EventStreamDocument['stream'] {
  if (stream.blockedBy || stream.nextRunAt) return { ...stream, last };
  return { ...stream, last, nextRunAt: now };
}
