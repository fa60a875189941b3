import type { Document } from '../../data/document-store';
import { RFQ_EVENT_TYPES, type RfqData, type RfqEnd, type RfqEvent, type RfqEventType } from './schemas';

/**
 * What an RFQ becomes as its events arrive, in any order: pure rules, no store. Every event
 * carries the RFQ's version after its change, so order is the version's, not the arrival's.
 */

export type RfqStatus = 'awaiting_create' | 'open' | 'cancelled' | 'closed';

/** An event that arrived before its RFQ's create, kept until the create comes. */
export interface KeptEvent {
  eventId: string;
  type: RfqEventType;
  version: number;
  data: RfqData | RfqEnd;
}

export interface RfqRecord extends Document {
  kind: 'rfq';
  rfqId: string;
  status: RfqStatus;
  /** The version applied last; 0 while awaiting the create. */
  version: number;
  /** The RFQ as its last create or update said; null while awaiting the create. */
  data: RfqData | null;
  /** Set by a cancel or a close. */
  ended: { type: 'cancelled' | 'closed'; version: number; reason?: string; at: string } | null;
  /** Events that came before the create, oldest version first. */
  kept: KeptEvent[];
  /**
   * Auto-matching (matching.ts): `due` when the create or a material update was written (in the
   * same batch, so a crash cannot lose it), `notifying` once the invitations are written, `done`
   * when everyone was told. `version` is the RFQ version it matches for.
   */
  matching: RfqMatchingState | null;
  /** Every expert invited so far (at most RFQ_MAX_INVITATIONS), oldest first. */
  invited: string[];
  /** From the last matching: experts who came near but miss a hard requirement; never invited. */
  nearMisses: NearMiss[];
  firstSeenAt: string;
  updatedAt: string;
}

export interface RfqMatchingState {
  status: 'due' | 'notifying' | 'done';
  version: number;
  /** When it became due: a step still due long after this is overdue. */
  dueSince: string;
  completedAt?: string;
}

export interface NearMiss {
  expertId: string;
  /** The hard requirements the expert does not meet, in the matcher's words. */
  missing: string[];
}

export type Outcome = 'applied' | 'kept' | 'ignored';

export interface Settled {
  eventId: string;
  outcome: Outcome;
  reason?: string;
}

export interface Step {
  rfq: RfqRecord;
  /** What became of the event received, then of each kept event the create let through (in version order). */
  settled: Settled[];
}

/** At most this many events may wait for their create (a batch holds them all with the RFQ). */
export const MAX_KEPT_EVENTS = 50;

export function freshRfq(rfqId: string, now: string): RfqRecord {
  return { id: rfqId, kind: 'rfq', rfqId, status: 'awaiting_create', version: 0, data: null, ended: null, kept: [], matching: null, invited: [], nearMisses: [], firstSeenAt: now, updatedAt: now };
}

export function keptEvent(event: RfqEvent): KeptEvent {
  return { eventId: event.id, type: event.type, version: event.data.version, data: event.data };
}

/**
 * The RFQ after `event`. A create opens it and then lets through the events kept for it, in
 * version order; before the create every other event is kept; after it a change applies only
 * when its version is above the stored one, and nothing changes a cancelled or closed RFQ.
 */
export function receive(rfq: RfqRecord, event: KeptEvent, now: string): Step {
  if (event.type !== RFQ_EVENT_TYPES.created && rfq.status === 'awaiting_create') return keep(rfq, event, now);
  const first = apply(rfq, event, now);
  if (event.type !== RFQ_EVENT_TYPES.created || first.outcome !== 'applied') return { rfq: first.rfq, settled: [settled(event, first)] };
  let current: RfqRecord = { ...first.rfq, kept: [] };
  const settledKept = [...rfq.kept]
    .sort((a, b) => a.version - b.version)
    .map((kept) => {
      const result = apply(current, kept, now);
      current = result.rfq;
      return settled(kept, result);
    });
  return { rfq: current, settled: [settled(event, first), ...settledKept] };
}

function keep(rfq: RfqRecord, event: KeptEvent, now: string): Step {
  const ignore = (reason: string): Step => ({ rfq, settled: [{ eventId: event.eventId, outcome: 'ignored', reason }] });
  if (rfq.kept.some((kept) => kept.version === event.version)) return ignore(`version ${event.version} is already kept for the create`);
  if (rfq.kept.length >= MAX_KEPT_EVENTS) return ignore(`${MAX_KEPT_EVENTS} events already wait for this RFQ's create`);
  const kept = [...rfq.kept, event].sort((a, b) => a.version - b.version);
  return { rfq: { ...rfq, kept, updatedAt: now }, settled: [{ eventId: event.eventId, outcome: 'kept', reason: "waits for the RFQ's create" }] };
}

interface Applied {
  rfq: RfqRecord;
  outcome: 'applied' | 'ignored';
  reason?: string;
}

function apply(rfq: RfqRecord, event: KeptEvent, now: string): Applied {
  const ignored = (reason: string): Applied => ({ rfq, outcome: 'ignored', reason });
  if (event.type === RFQ_EVENT_TYPES.created) {
    if (rfq.status !== 'awaiting_create') return ignored('the RFQ was already created');
    return { rfq: { ...rfq, status: 'open', version: event.version, data: event.data as RfqData, matching: matchingDue(event.version, now), updatedAt: now }, outcome: 'applied' };
  }
  if (rfq.status === 'cancelled' || rfq.status === 'closed') return ignored(`the RFQ is ${rfq.status}`);
  if (event.version <= rfq.version) return ignored(`version ${event.version} is not above the stored version ${rfq.version}`);
  if (event.type === RFQ_EVENT_TYPES.updated) {
    const data = event.data as RfqData;
    const matching = rfq.data && changesMatching(rfq.data, data) ? matchingDue(event.version, now) : rfq.matching;
    return { rfq: { ...rfq, version: event.version, data, matching, updatedAt: now }, outcome: 'applied' };
  }
  const ending = event.type === RFQ_EVENT_TYPES.cancelled ? 'cancelled' : 'closed';
  const { reason } = event.data as RfqEnd;
  return {
    rfq: { ...rfq, status: ending, version: event.version, ended: { type: ending, version: event.version, ...(reason ? { reason } : {}), at: now }, updatedAt: now },
    outcome: 'applied',
  };
}

function settled(event: KeptEvent, result: Applied): Settled {
  return { eventId: event.eventId, outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}) };
}

/** The fields the matcher reads: a change to any of them matches the RFQ again (a budget or deadline change does not). */
const MATCHED_FIELDS = ['title', 'description', 'specializations', 'jurisdictions', 'languages', 'industry'] as const;

export function changesMatching(before: RfqData, after: RfqData): boolean {
  return MATCHED_FIELDS.some((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null));
}

function matchingDue(version: number, now: string): RfqMatchingState {
  return { status: 'due', version, dueSince: now };
}
