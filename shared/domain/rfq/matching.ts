import type { BatchOperation, Container, Stored } from '../../data/document-store';
import { BatchError, StoreError } from '../../data/errors';
import type { EventOutbox } from '../events/outbox';
import type { SuggestResult } from '../search/matching/matcher';
import type { Need } from '../search/matching/need';
import { type InvitationRecord, invitationId, matchedCause } from './invitations';
import type { NearMiss, RfqRecord } from './lifecycle';
import { rfqMatched } from './matched-event';
import { needFromRfq } from './need';
import type { RfqDocument } from './service';

/** What an invitation and an RFQ's matching send; each message is queued under a deterministic cause, so sending twice sends once. */
export interface InvitationNotifier {
  invited(rfq: RfqRecord, expertId: string): Promise<void>;
  buyerFollows(rfq: RfqRecord): Promise<void>;
}

export interface MatchingDeps {
  container: Container<RfqDocument>;
  events: EventOutbox;
  suggest: (need: Need) => Promise<SuggestResult>;
  notifier: InvitationNotifier;
  /** At most this many experts are invited to one RFQ, over all its matchings (RFQ_MAX_INVITATIONS). */
  maxInvitations: number;
  now: () => Date;
}

export type MatchingOutcome = { status: 'idle' } | { status: 'done'; invited: string[]; nearMisses: number };

/** Concurrent intake or matching of the same RFQ each retry on a write conflict; past this the caller retries. */
const MAX_ATTEMPTS = 8;
/** RFQs a sweep finishes at most; the next sweep takes the rest. */
const SWEEP_BATCH = 50;

/**
 * Auto-matching, a step intake's caller runs after intake commits. Intake marks the RFQ's
 * matching `due` in the batch that writes the create or material update; this step moves it on:
 *
 * 1. `due` → `notifying`: asks the matcher, takes the experts meeting the hard requirements who
 *    are not invited yet (up to the cap), and writes their invitations, the RFQ (its invited list
 *    and near-misses) and `foodxchange.rfq.matched` in one batch, if the RFQ is unchanged.
 * 2. `notifying` → `done`: tells every invitation not yet told (inbox, email, WhatsApp), the buyer
 *    once, then marks matching done, if the RFQ is unchanged.
 *
 * A run that stops anywhere is finished by the next run: state 1 is all or nothing, and the
 * messages of state 2 are queued under causes, so telling again tells once.
 */
export class RfqMatching {
  constructor(private readonly deps: MatchingDeps) {}

  async run(rfqId: string): Promise<MatchingOutcome> {
    for (let attempt = 1; ; attempt++) {
      const rfq = await this.readRfq(rfqId);
      if (!rfq?.matching || rfq.matching.status === 'done') return { status: 'idle' };
      try {
        if (rfq.matching.status === 'due') await this.invite(rfq);
        else return await this.tell(rfq);
      } catch (error) {
        // Intake wrote a newer version, or another run moved first: read again.
        const raced = (error instanceof BatchError || error instanceof StoreError) && (error.kind === 'conflict' || error.kind === 'precondition_failed');
        if (!raced || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Finishes every matching still open `staleMs` after it fell due: the intake message that should
   * have run it was dead-lettered, or its redeliveries are still failing. A failure on one RFQ is
   * reported and the rest go on; the next sweep tries it again, and admins see its state on the
   * RFQ (`GET /api/v1/admin/rfqs/{rfqId}`).
   */
  async sweep(staleMs: number, report: (rfqId: string, error: unknown) => void): Promise<{ finished: number; failed: number }> {
    const cutoff = new Date(this.deps.now().getTime() - staleMs).toISOString();
    const page = await this.deps.container.query({
      where: {
        and: [
          { field: 'kind', op: 'eq', value: 'rfq' },
          { field: 'matching.status', op: 'in', values: ['due', 'notifying'] },
          { field: 'matching.dueSince', op: 'lt', value: cutoff },
        ],
      },
      limit: SWEEP_BATCH,
    });
    let finished = 0;
    let failed = 0;
    for (const rfq of page.items) {
      try {
        if ((await this.run(rfq.rfqId)).status === 'done') finished++;
      } catch (error) {
        failed++;
        report(rfq.rfqId, error);
      }
    }
    return { finished, failed };
  }

  private async invite(rfq: Stored<RfqRecord>): Promise<void> {
    const now = this.deps.now().toISOString();
    const version = rfq.matching!.version;
    // A cancelled or closed RFQ invites nobody and publishes nothing: its matching is simply over.
    if (rfq.status !== 'open' || !rfq.data) {
      await this.deps.container.replace({ ...rfq, matching: { ...rfq.matching!, status: 'done', completedAt: now } }, { ifMatch: rfq._etag });
      return;
    }
    const result = await this.deps.suggest(needFromRfq(rfq.data));
    const already = new Set(rfq.invited);
    const room = Math.max(0, this.deps.maxInvitations - rfq.invited.length);
    const fresh = result.items
      .filter((item) => item.meetsRequirements && !already.has(item.expert.id))
      .slice(0, room)
      .map((item) => item.expert.id);
    const nearMisses: NearMiss[] = result.items.filter((item) => !item.meetsRequirements).map((item) => ({ expertId: item.expert.id, missing: item.cautions }));
    const invitations = fresh.map(
      (expertId): BatchOperation<RfqDocument> => ({
        op: 'create',
        document: { id: invitationId(expertId), kind: 'invitation', rfqId: rfq.rfqId, expertId, version, invitedAt: now, notifiedAt: null } satisfies InvitationRecord,
      }),
    );
    const next: RfqRecord = { ...rfq, invited: [...rfq.invited, ...fresh], nearMisses, matching: { ...rfq.matching!, status: 'notifying' }, updatedAt: now };
    await this.deps.events
      .batch(this.deps.container, rfq.rfqId)
      .add(...invitations, { op: 'replace', document: next, ifMatch: rfq._etag })
      .stage(rfqMatched, {
        subject: rfq.rfqId,
        cause: matchedCause(rfq.rfqId, version),
        data: { rfqId: rfq.rfqId, version, invitedExpertIds: fresh, nearMissCount: nearMisses.length },
      })
      .commit();
  }

  private async tell(rfq: Stored<RfqRecord>): Promise<MatchingOutcome> {
    const { container, notifier } = this.deps;
    const page = await container.query({ partitionKey: rfq.rfqId, where: { field: 'kind', op: 'eq', value: 'invitation' }, limit: 1000 });
    // Best match first, as invited.
    const order = (invitation: InvitationRecord) => rfq.invited.indexOf(invitation.expertId);
    for (const invitation of (page.items as Stored<InvitationRecord>[]).sort((a, b) => order(a) - order(b))) {
      if (invitation.notifiedAt) continue;
      await notifier.invited(rfq, invitation.expertId);
      await container.patch(rfq.rfqId, invitation.id, [{ op: 'set', path: 'notifiedAt', value: this.deps.now().toISOString() }]);
    }
    await notifier.buyerFollows(rfq);
    const now = this.deps.now().toISOString();
    await container.replace({ ...rfq, matching: { ...rfq.matching!, status: 'done', completedAt: now } }, { ifMatch: rfq._etag });
    return { status: 'done', invited: rfq.invited, nearMisses: rfq.nearMisses.length };
  }

  private async readRfq(rfqId: string): Promise<Stored<RfqRecord> | null> {
    const document = await this.deps.container.read(rfqId, rfqId);
    return document?.kind === 'rfq' ? (document as Stored<RfqRecord>) : null;
  }
}
