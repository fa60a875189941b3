import type { BatchOperation, Condition, Container, Stored } from '../../data/document-store';
import { StoreError } from '../../data/errors';
import { AppError } from '../../errors';
import type { AppLogger } from '../../observability/app-logger';
import { type AttemptOptions, AttemptPolicy } from '../delivery/attempts';
import { EVENT_DOC_TYPES } from './containers';
import { type EventDocument, type EventStreamDocument, partitionOf, PUBLISHED_RETENTION_SECONDS, type StagedEventDocument, streamId } from './documents';
import type { EventCatalog } from './event-types';
import { type CloudEvent, cloudEventSchema, type EventListPosition, type EventStatus, type StagedEventView } from './schemas';

/** Due subjects read at a time, events one run of a subject carries, and messages one pass sends at most (the binding sends them one by one). */
const SUBJECTS_PER_QUERY = 50;
const RUN_LIMIT = 20;
const MESSAGES_PER_PASS = 1000;
/** Fresh reads when a stage, a confirmation or another relay changed the subject between our read and our write. */
const MAX_RACES = 5;

export type Confirmation = 'published' | 'duplicate' | 'unknown';

type Schedule = Pick<EventStreamDocument['stream'], 'nextRunAt' | 'blockedBy'>;

const isEvent: Condition = { field: 'docType', op: 'eq', value: EVENT_DOC_TYPES.event };
const isStream: Condition = { field: 'docType', op: 'eq', value: EVENT_DOC_TYPES.stream };

/**
 * Takes staged events to the topic, in order per subject. A pass (the timer) looks at every
 * subject whose stream is due, claims its run (the unpublished events from the lowest sequence
 * up, each leased with If-Match, in one batch with the stream) and returns them for the Service
 * Bus output binding to send. The binding reports nothing back to the code, so the relay learns
 * that an event reached the topic from the topic itself: its own subscription delivers every
 * copy to `confirm`, which marks the event published.
 *
 * Order: while any event of a run is unconfirmed, the subject's later events wait, so no event is
 * first sent before an earlier one of its subject. An attempt not confirmed within its lease
 * (the send failed, or its instance stopped) is sent again as the lease ends, then with backoff;
 * after the last attempt it is parked as dead for an admin, and holds its subject back until
 * retried. Delivery is at least once: a lease that runs out before a slow confirmation arrives
 * sends the event again, with the same id and sequence.
 */
export class EventRelay {
  private readonly attempts: AttemptPolicy;

  constructor(
    private readonly containers: ReadonlyMap<string, Container<EventDocument>>,
    private readonly catalog: EventCatalog,
    private readonly logger: AppLogger,
    options: AttemptOptions,
  ) {
    this.attempts = new AttemptPolicy(options);
  }

  /** One pass: claims the due runs and returns their events, each run in sequence order, for the topic. */
  async claimDue(): Promise<CloudEvent[]> {
    const sent: CloudEvent[] = [];
    const due: Condition = { and: [isStream, { field: 'stream.nextRunAt', op: 'lte', value: this.attempts.now().toISOString() }] };
    for (const container of this.containers.values()) {
      let continuation: string | undefined;
      do {
        const page = await container.query({ where: due, orderBy: [{ field: 'stream.nextRunAt' }], limit: SUBJECTS_PER_QUERY, continuation });
        for (const run of await Promise.all(page.items.map((stream) => this.claimRun(container, stream as Stored<EventStreamDocument>)))) sent.push(...run);
        continuation = page.continuation ?? undefined;
      } while (continuation && sent.length < MESSAGES_PER_PASS);
    }
    return sent;
  }

  /**
   * A copy of an event as the topic delivered it: the event is published. Messages the relay did
   * not stage (or has forgotten) are 'unknown'; a second copy is a 'duplicate'.
   */
  async confirm(message: unknown): Promise<Confirmation> {
    const parsed = cloudEventSchema.safeParse(typeof message === 'string' ? parseJson(message) : message);
    const type = parsed.success ? this.catalog.get(parsed.data.type) : undefined;
    const container = type && this.containers.get(type.container.name);
    if (!parsed.success || !container) return 'unknown';
    const { id, subject, partitionkey } = parsed.data;
    for (let race = 0; race < MAX_RACES; race++) {
      const stored = await container.read(partitionkey, id);
      if (stored?.docType !== EVENT_DOC_TYPES.event) return 'unknown';
      if (stored.relay.status === 'published') return 'duplicate';
      const now = this.attempts.now().toISOString();
      const { claimedUntil: _claim, ...relay } = stored.relay;
      const published: StagedEventDocument = { ...stored, relay: { ...relay, status: 'published', publishedAt: now }, ttl: PUBLISHED_RETENTION_SECONDS };
      const head = (await this.unpublished(container, partitionkey, subject, 2)).find((other) => other.id !== id);
      try {
        await container.batch(partitionkey, [{ op: 'replace', document: published, ifMatch: stored._etag }, ...(await this.rescheduled(container, partitionkey, subject, head, now))]);
        return 'published';
      } catch (error) {
        if (!isRace(error)) throw error;
      }
    }
    throw new StoreError('throttled', `Event ${id} kept changing while it was confirmed; the confirmation is tried again.`);
  }

  /** Newest first, across every container that holds events; `after` is the last item of the previous page. */
  async list(options: { status?: EventStatus; limit: number; after?: EventListPosition }): Promise<{ items: StagedEventView[]; next?: EventListPosition }> {
    const { status, limit, after } = options;
    const conditions: Condition[] = [isEvent];
    if (status) conditions.push({ field: 'relay.status', op: 'eq', value: status });
    if (after) {
      conditions.push({
        or: [
          { field: 'relay.stagedAt', op: 'lt', value: after.stagedAt },
          {
            and: [
              { field: 'relay.stagedAt', op: 'eq', value: after.stagedAt },
              { field: 'id', op: 'lt', value: after.id },
            ],
          },
        ],
      });
    }
    // Each container's page is in the store's order (stagedAt, then id, both descending); merged the same way.
    const pages = await Promise.all(
      [...this.containers.values()].map((container) => container.query({ where: { and: conditions }, orderBy: [{ field: 'relay.stagedAt', direction: 'desc' }], limit: limit + 1 })),
    );
    const merged = pages
      .flatMap((page) => page.items as Stored<StagedEventDocument>[])
      .sort((a, b) => compareDesc(a.relay.stagedAt, b.relay.stagedAt) || compareDesc(a.id, b.id))
      .slice(0, limit + 1);
    const items = merged.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(toView), ...(merged.length > limit && last ? { next: { stagedAt: last.relay.stagedAt, id: last.id } } : {}) };
  }

  /**
   * An admin's retry of a dead (or pending) event: its attempts start again from zero and it is
   * sent at the relay's next pass, after any earlier event of its subject. A 404 when there is no
   * such event, a 409 when it was published or an attempt is under way.
   */
  async retry(id: string): Promise<StagedEventView> {
    for (let race = 0; race < MAX_RACES; race++) {
      const found = await this.find(id);
      if (!found) throw new AppError('not_found', 'No such event.');
      const { container, stored } = found;
      if (stored.relay.status === 'published') throw new AppError('conflict', 'The event was already published; it is not published twice.');
      if (this.attempts.running(stored.relay)) throw new AppError('conflict', 'The event is on its way to the topic; look again once its attempt is over.');
      const retried: StagedEventDocument = { ...stored, relay: this.attempts.restarted(stored.relay) };
      const partitionKey = partitionOf(container.definition, stored);
      const [first] = await this.unpublished(container, partitionKey, stored.event.subject, 1);
      const head = first?.id === id ? retried : first;
      try {
        await container.batch(partitionKey, [
          { op: 'replace', document: retried, ifMatch: stored._etag },
          ...(await this.rescheduled(container, partitionKey, stored.event.subject, head, this.attempts.now().toISOString())),
        ]);
        return toView(retried);
      } catch (error) {
        if (!isRace(error)) throw error;
      }
    }
    throw new AppError('conflict', 'The event changed meanwhile; look at it again.');
  }

  private async claimRun(container: Container<EventDocument>, due: Stored<EventStreamDocument>): Promise<CloudEvent[]> {
    const partitionKey = partitionOf(container.definition, due);
    let stream: Stored<EventStreamDocument> | null = due;
    for (let race = 0; race < MAX_RACES && stream; race++) {
      const now = this.attempts.now().toISOString();
      // Someone else moved it on since it was found due.
      if (!stream.stream.nextRunAt || stream.stream.nextRunAt > now) return [];
      const { operations, run, schedule } = this.planRun(await this.unpublished(container, partitionKey, stream.stream.subject, RUN_LIMIT), now);
      const { nextRunAt: _next, blockedBy: _blocked, ...counter } = stream.stream;
      try {
        await container.batch(partitionKey, [...operations, { op: 'replace', document: { ...stream, stream: { ...counter, ...schedule } }, ifMatch: stream._etag }]);
        return run;
      } catch (error) {
        if (!isRace(error)) {
          this.logger.warn('Event relay: could not claim the events of a subject; it is tried at the next pass', {
            container: container.definition.name,
            subject: stream.stream.subject,
            error: String(error),
          });
          return [];
        }
      }
      stream = (await container.read(partitionKey, stream.id)) as Stored<EventStreamDocument> | null;
    }
    return [];
  }

  /**
   * The run of a subject: its unpublished events in sequence order, claimed until the first one
   * that must wait (in its lease or backoff), is dead, or has used its last attempt (it is parked
   * dead). The stream is scheduled for the run's first event (its retry if unconfirmed).
   */
  private planRun(waiting: Stored<StagedEventDocument>[], now: string): { operations: BatchOperation<EventDocument>[]; run: CloudEvent[]; schedule: Schedule } {
    const operations: BatchOperation<EventDocument>[] = [];
    const run: CloudEvent[] = [];
    let schedule: Schedule | undefined;
    const stop = (waitFor: Schedule) => ({ operations, run, schedule: schedule ?? waitFor });
    for (const stored of waiting) {
      const { relay } = stored;
      if (relay.status === 'dead') return stop({ blockedBy: stored.id });
      if (relay.nextAttemptAt > now) return stop({ nextRunAt: relay.nextAttemptAt });
      if (this.attempts.exhausted(relay.attempts)) {
        const { claimedUntil: _claim, ...rest } = relay;
        operations.push({ op: 'replace', document: { ...stored, relay: { ...rest, status: 'dead', deadAt: now, lastError: this.unconfirmed(relay.attempts) } }, ifMatch: stored._etag });
        this.logger.error('Event relay: event parked as dead after its last attempt; later events of its subject wait for an admin', {
          id: stored.id,
          type: stored.event.type,
          subject: stored.event.subject,
          attempts: relay.attempts,
        });
        return stop({ blockedBy: stored.id });
      }
      const { claimedUntil } = this.attempts.lease();
      const attempts = relay.attempts + 1;
      // The first retry comes as the lease ends (most often the attempt died with its instance); later ones back off.
      const nextAttemptAt = attempts === 1 ? claimedUntil : this.attempts.retryAt(attempts - 1, new Date(claimedUntil));
      const claimed = { ...relay, attempts, claimedUntil, nextAttemptAt, ...(relay.attempts ? { lastError: this.unconfirmed(relay.attempts) } : {}) };
      operations.push({ op: 'replace', document: { ...stored, relay: claimed }, ifMatch: stored._etag });
      run.push(stored.event);
      schedule ??= { nextRunAt: nextAttemptAt };
    }
    return { operations, run, schedule: schedule ?? {} };
  }

  private unconfirmed(attempts: number): string {
    return `Attempt ${attempts} was not confirmed by the topic within ${this.attempts.leaseMs / 1000} s: the send failed or its instance stopped (the relay function's invocation log says which)`;
  }

  /** The stream write that schedules a subject for its first unpublished event (`head`). */
  private async rescheduled(container: Container<EventDocument>, partitionKey: string, subject: string, head: StagedEventDocument | undefined, now: string): Promise<BatchOperation<EventDocument>[]> {
    const stream = (await container.read(partitionKey, streamId(subject))) as Stored<EventStreamDocument> | null;
    if (!stream) return [];
    const { nextRunAt: _next, blockedBy: _blocked, ...counter } = stream.stream;
    const schedule: Schedule = !head ? {} : head.relay.status === 'dead' ? { blockedBy: head.id } : { nextRunAt: head.relay.nextAttemptAt > now ? head.relay.nextAttemptAt : now };
    return [{ op: 'replace', document: { ...stream, stream: { ...counter, ...schedule } }, ifMatch: stream._etag }];
  }

  private async unpublished(container: Container<EventDocument>, partitionKey: string, subject: string, limit: number): Promise<Stored<StagedEventDocument>[]> {
    const page = await container.query({
      partitionKey,
      where: { and: [isEvent, { field: 'event.subject', op: 'eq', value: subject }, { field: 'relay.status', op: 'in', values: ['pending', 'dead'] }] },
      orderBy: [{ field: 'event.sequence' }],
      limit,
    });
    return page.items as Stored<StagedEventDocument>[];
  }

  private async find(id: string): Promise<{ container: Container<EventDocument>; stored: Stored<StagedEventDocument> } | undefined> {
    for (const container of this.containers.values()) {
      const [stored] = (await container.query({ where: { and: [isEvent, { field: 'id', op: 'eq', value: id }] }, limit: 1 })).items;
      if (stored) return { container, stored: stored as Stored<StagedEventDocument> };
    }
    return undefined;
  }
}

function isRace(error: unknown): boolean {
  return error instanceof StoreError && (error.kind === 'conflict' || error.kind === 'precondition_failed' || error.kind === 'not_found');
}

const compareDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toView(stored: StagedEventDocument): StagedEventView {
  const { event, relay } = stored;
  return {
    id: stored.id,
    type: event.type,
    subject: event.subject,
    sequence: event.sequence,
    time: event.time,
    cause: relay.cause,
    status: relay.status,
    attempts: relay.attempts,
    nextAttemptAt: relay.status === 'pending' ? relay.nextAttemptAt : null,
    lastError: relay.lastError ?? null,
    publishedAt: relay.publishedAt ?? null,
    deadAt: relay.deadAt ?? null,
  };
}
