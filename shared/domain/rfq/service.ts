import type { BatchOperation, Container, Document, Stored } from '../../data/document-store';
import { BatchError } from '../../data/errors';
import { freshRfq, keptEvent, type Outcome, type RfqRecord, receive } from './lifecycle';
import type { InvitationRecord } from './invitations';
import type { RfqEvent, RfqEventType } from './schemas';

/** What the RFQ's partition records of each event it received: the event's id is the record's. */
export interface ProcessedEventRecord extends Document {
  kind: 'event';
  rfqId: string;
  eventId: string;
  type: RfqEventType;
  version: number;
  source: string;
  outcome: Outcome;
  reason?: string;
  receivedAt: string;
  /** When a kept event was finally applied or ignored (its create came). */
  settledAt?: string;
}

export type RfqDocument = RfqRecord | ProcessedEventRecord | InvitationRecord;

export interface IntakeResult {
  /** `duplicate`: this event id was received before; nothing changed. */
  outcome: Outcome | 'duplicate';
  reason?: string;
  rfq: RfqView | null;
}

export type RfqView = Omit<RfqRecord, 'id' | 'kind' | 'kept'> & { kept: { eventId: string; type: RfqEventType; version: number }[] };

export interface RfqDetails {
  rfq: RfqView;
  /** Every event the RFQ received, oldest first (at most 100). */
  events: Omit<ProcessedEventRecord, 'id' | 'kind' | 'rfqId'>[];
}

/** Concurrent events for one RFQ each retry on a write conflict; past this the message is retried by the broker. */
const MAX_WRITE_ATTEMPTS = 8;

export const eventRecordId = (eventId: string) => `event:${eventId}`;

/**
 * RFQ intake: each CloudEvent from the RFQ system changes its RFQ at most once, however often
 * and in whatever order it arrives. The RFQ and the record that the event was processed are
 * written in one transactional batch (one partition per RFQ), so a crash between the two cannot
 * happen, and a second delivery of the same event id finds the record and changes nothing.
 */
export class RfqService {
  constructor(
    private readonly container: Container<RfqDocument>,
    private readonly now: () => Date,
  ) {}

  async intake(event: RfqEvent): Promise<IntakeResult> {
    const { rfqId } = event.data;
    for (let attempt = 1; ; attempt++) {
      const [record, current] = await Promise.all([this.container.read(rfqId, eventRecordId(event.id)), this.readRfq(rfqId)]);
      if (record) return { outcome: 'duplicate', rfq: current && toView(current) };
      const now = this.now().toISOString();
      const step = receive(current ?? freshRfq(rfqId, now), keptEvent(event), now);
      const [received, ...released] = step.settled;
      const operations: BatchOperation<RfqDocument>[] = [
        // First, so a concurrent delivery of the same event fails here and finds it on its retry.
        { op: 'create', document: processedRecord(event, received!.outcome, received!.reason, now) },
        ...released.map(
          (kept): BatchOperation<RfqDocument> => ({
            op: 'patch',
            id: eventRecordId(kept.eventId),
            operations: [
              { op: 'set', path: 'outcome', value: kept.outcome },
              { op: 'set', path: 'reason', value: kept.reason ?? 'applied once its create came' },
              { op: 'set', path: 'settledAt', value: now },
            ],
          }),
        ),
      ];
      // An ignored event leaves the RFQ as it is: its record alone is written.
      if (!current) operations.push({ op: 'create', document: step.rfq });
      else if (received!.outcome !== 'ignored') operations.push({ op: 'replace', document: step.rfq, ifMatch: current._etag });
      try {
        const written = await this.container.batch(rfqId, operations);
        const rfq = (written.at(-1)?.kind === 'rfq' ? written.at(-1) : current) as Stored<RfqRecord> | null;
        return { outcome: received!.outcome, ...(received!.reason ? { reason: received!.reason } : {}), rfq: rfq && toView(rfq) };
      } catch (error) {
        // Another delivery of this event, or another event of this RFQ, wrote first: read again.
        const raced = error instanceof BatchError && (error.kind === 'conflict' || error.kind === 'precondition_failed');
        if (!raced || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      }
    }
  }

  /** The RFQ and what became of each of its events; null when no event for it arrived. */
  async details(rfqId: string): Promise<RfqDetails | null> {
    const rfq = await this.readRfq(rfqId);
    if (!rfq) return null;
    const page = await this.container.query({
      partitionKey: rfqId,
      where: { field: 'kind', op: 'eq', value: 'event' },
      orderBy: [{ field: 'receivedAt' }],
      limit: 100,
    });
    const events = (page.items as Stored<ProcessedEventRecord>[]).map(({ _etag, _ts, id, kind, rfqId: _rfq, ...event }) => event);
    return { rfq: toView(rfq), events };
  }

  private async readRfq(rfqId: string): Promise<Stored<RfqRecord> | null> {
    const document = await this.container.read(rfqId, rfqId);
    return document?.kind === 'rfq' ? (document as Stored<RfqRecord>) : null;
  }
}

function processedRecord(event: RfqEvent, outcome: Outcome, reason: string | undefined, now: string): ProcessedEventRecord {
  return {
    id: eventRecordId(event.id),
    kind: 'event',
    rfqId: event.data.rfqId,
    eventId: event.id,
    type: event.type,
    version: event.data.version,
    source: event.source,
    outcome,
    ...(reason ? { reason } : {}),
    receivedAt: now,
  };
}

function toView({ _etag, _ts, id, kind, kept, ...rfq }: Stored<RfqRecord>): RfqView {
  return { ...rfq, kept: kept.map(({ eventId, type, version }) => ({ eventId, type, version })) };
}
