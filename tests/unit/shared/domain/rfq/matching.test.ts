import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { EVENT_DOC_TYPES } from '../../../../../shared/domain/events/containers';
import { eventCatalog } from '../../../../../shared/domain/events/event-types';
import { outboundEvents } from '../../../../../shared/domain/events/catalog';
import { EventOutbox } from '../../../../../shared/domain/events/outbox';
import type { SuggestResult } from '../../../../../shared/domain/search/matching/matcher';
import type { Need } from '../../../../../shared/domain/search/matching/need';
import { rfqs } from '../../../../../shared/domain/rfq/containers';
import type { InvitationRecord } from '../../../../../shared/domain/rfq/invitations';
import type { RfqRecord } from '../../../../../shared/domain/rfq/lifecycle';
import { RfqMatching } from '../../../../../shared/domain/rfq/matching';
import { parseRfqEvent, type RfqEvent } from '../../../../../shared/domain/rfq/schemas';
import { type RfqDocument, RfqService } from '../../../../../shared/domain/rfq/service';
import { rfqEvent } from '../../../../helpers/rfq-events';

// Auto-matching against the embedded store, with the matcher's answer and the messages faked:
// who is invited, the cap, near-misses, re-matching after an update, and a step run twice.

const RFQ = 'RFQ-2026-000123';
const now = () => new Date('2026-12-07T10:00:00Z');

let container: Container<RfqDocument>;
let intake: RfqService;
/** What the matcher answers: experts meeting the requirements, then near-misses. */
let meeting: string[];
let near: string[];
let needs: Need[];
let told: { invited: string[]; buyer: number };
/** While set, the matcher fails with it (search down). */
let matcherFails: Error | undefined;

function matching(maxInvitations = 10, clock = now): RfqMatching {
  return new RfqMatching({
    container,
    events: new EventOutbox(eventCatalog(outboundEvents), now),
    suggest: async (need): Promise<SuggestResult> => {
      if (matcherFails) throw matcherFails;
      needs.push(need);
      const item = (id: string, meetsRequirements: boolean) => ({
        expert: { id },
        meetsRequirements,
        cautions: meetsRequirements ? [] : ['holds no FSVP qualification'],
        score: 0.5,
        breakdown: {},
        reasons: [],
      });
      return {
        mode: 'lexical',
        need: { specializations: [], certifications: [], jurisdictions: [], requirements: [] },
        items: [...meeting.map((id) => item(id, true)), ...near.map((id) => item(id, false))],
      } as unknown as SuggestResult;
    },
    notifier: {
      invited: async (_rfq, expertId) => void told.invited.push(expertId),
      buyerFollows: async () => void told.buyer++,
    },
    maxInvitations,
    now: clock,
  });
}

function parsed(raw: unknown): RfqEvent {
  const result = parseRfqEvent(raw);
  if (!result.ok) throw new Error(`test event is invalid: ${JSON.stringify(result.fields)}`);
  return result.event;
}

const experts = (count: number) => Array.from({ length: count }, () => randomUUID());
const rfq = async () => (await container.read(RFQ, RFQ)) as RfqRecord;
const invitations = async () =>
  ((await container.query({ partitionKey: RFQ, where: { field: 'kind', op: 'eq', value: 'invitation' } })).items as InvitationRecord[]).map((item) => item.expertId).sort();
const matchedEvents = async () =>
  (await container.query({ partitionKey: RFQ, where: { field: 'docType', op: 'eq', value: EVENT_DOC_TYPES.event }, orderBy: [{ field: 'event.sequence' }] })).items.map(
    (document) => (document as unknown as { event: { type: string; sequence: string; data: { invitedExpertIds: string[]; version: number; nearMissCount: number } } }).event,
  );

beforeEach(async () => {
  container = await SqliteDocumentStore.open(':memory:').container<RfqDocument>(rfqs);
  intake = new RfqService(container, now);
  meeting = [];
  near = [];
  needs = [];
  told = { invited: [], buyer: 0 };
  matcherFails = undefined;
});

describe('RFQ auto-matching', () => {
  it('invites the experts who meet the hard requirements, never the near-misses, and tells each and the buyer', async () => {
    meeting = experts(3);
    near = experts(2);
    await intake.intake(parsed(rfqEvent('created')));
    expect((await rfq()).matching).toMatchObject({ status: 'due', version: 1 });

    expect(await matching().run(RFQ)).toEqual({ status: 'done', invited: meeting, nearMisses: 2 });
    expect(needs[0]).toMatchObject({ title: 'FSVP support for fresh blueberry exports to the US', jurisdictions: ['US'], languages: ['es', 'en'], industry: 'produce', limit: 50 });
    expect(await invitations()).toEqual([...meeting].sort());
    expect(told).toEqual({ invited: meeting, buyer: 1 });
    const stored = await rfq();
    expect(stored.matching).toMatchObject({ status: 'done', version: 1 });
    expect(stored.nearMisses).toEqual(near.map((expertId) => ({ expertId, missing: ['holds no FSVP qualification'] })));
    expect(await matchedEvents()).toEqual([
      expect.objectContaining({ type: 'foodxchange.rfq.matched', sequence: '0000000000000001', data: { rfqId: RFQ, version: 1, invitedExpertIds: meeting, nearMissCount: 2 } }),
    ]);
  });

  it('invites at most the cap, best first', async () => {
    meeting = experts(5);
    await intake.intake(parsed(rfqEvent('created')));
    await matching(3).run(RFQ);
    expect(await invitations()).toEqual(meeting.slice(0, 3).sort());
    expect((await rfq()).invited).toEqual(meeting.slice(0, 3));
  });

  it('re-matches on a material update and invites only experts not invited before, within the cap over all matchings', async () => {
    const [first, second, third, fourth] = experts(4);
    meeting = [first!, second!];
    await intake.intake(parsed(rfqEvent('created')));
    await matching(3).run(RFQ);

    meeting = [second!, third!, fourth!, first!];
    await intake.intake(parsed(rfqEvent('updated', { data: { version: 2, title: 'FSVP and PCQI support for blueberry exports' } })));
    expect((await rfq()).matching).toMatchObject({ status: 'due', version: 2 });
    await matching(3).run(RFQ);

    expect((await rfq()).invited).toEqual([first, second, third]);
    expect(told.invited).toEqual([first, second, third]);
    expect((await matchedEvents()).map((event) => event.data)).toEqual([
      { rfqId: RFQ, version: 1, invitedExpertIds: [first, second], nearMissCount: 0 },
      { rfqId: RFQ, version: 2, invitedExpertIds: [third], nearMissCount: 0 },
    ]);
  });

  it('does not match again on an update that changes nothing the matcher reads (the budget)', async () => {
    meeting = experts(1);
    await intake.intake(parsed(rfqEvent('created')));
    await matching().run(RFQ);
    await intake.intake(parsed(rfqEvent('updated', { data: { version: 2, budget: { amountMinor: 900000, currency: 'USD', unit: 'fixed' } } })));
    expect((await rfq()).matching).toMatchObject({ status: 'done', version: 1 });
    expect(await matching().run(RFQ)).toEqual({ status: 'idle' });
    expect(needs).toHaveLength(1);
  });

  it('run twice (a redelivery), it invites, tells and publishes once', async () => {
    meeting = experts(2);
    await intake.intake(parsed(rfqEvent('created')));
    await matching().run(RFQ);
    expect(await matching().run(RFQ)).toEqual({ status: 'idle' });
    expect(needs).toHaveLength(1);
    expect(told.invited).toHaveLength(2);
    expect(await matchedEvents()).toHaveLength(1);
  });

  it('two runs at once (two instances) write the invitations and the event once', async () => {
    meeting = experts(3);
    await intake.intake(parsed(rfqEvent('created')));
    await Promise.all([matching().run(RFQ), matching().run(RFQ)]);
    expect(await invitations()).toEqual([...meeting].sort());
    expect((await rfq()).invited).toEqual(meeting);
    expect(await matchedEvents()).toHaveLength(1);
    expect((await rfq()).matching).toMatchObject({ status: 'done' });
    // Each invitation was handed to the notifier at least once (its causes make the messages one).
    expect(new Set(told.invited)).toEqual(new Set(meeting));
  });

  it('a run that stopped after writing the invitations is finished by the next, telling only those not yet told', async () => {
    meeting = experts(2);
    await intake.intake(parsed(rfqEvent('created')));
    const stopping = matching();
    // The first expert is told, then the run dies before telling the second.
    let calls = 0;
    (stopping as unknown as { deps: { notifier: { invited: (rfq: RfqRecord, id: string) => Promise<void> } } }).deps.notifier.invited = async (_rfq, expertId) => {
      if (++calls === 2) throw new Error('the instance stopped');
      told.invited.push(expertId);
    };
    await expect(stopping.run(RFQ)).rejects.toThrow('the instance stopped');
    expect((await rfq()).matching).toMatchObject({ status: 'notifying' });

    await matching().run(RFQ);
    expect(told.invited).toEqual(meeting);
    expect(needs).toHaveLength(1);
    expect(await matchedEvents()).toHaveLength(1);
    expect((await rfq()).matching).toMatchObject({ status: 'done' });
  });

  it('a cancelled RFQ invites nobody, publishes nothing, and its matching ends', async () => {
    meeting = experts(2);
    await intake.intake(parsed(rfqEvent('created')));
    await intake.intake(parsed(rfqEvent('cancelled', { data: { version: 2 } })));
    expect(await matching().run(RFQ)).toEqual({ status: 'idle' });
    expect(needs).toHaveLength(0);
    expect(await invitations()).toEqual([]);
    expect(await matchedEvents()).toEqual([]);
    expect(told).toEqual({ invited: [], buyer: 0 });
    expect((await rfq()).matching).toMatchObject({ status: 'done' });
  });

  describe('the sweep', () => {
    const minutesLater = (minutes: number) => () => new Date(now().getTime() + minutes * 60_000);

    it('finishes a matching its intake message left open, once it is stale, and never a fresh one', async () => {
      meeting = experts(2);
      await intake.intake(parsed(rfqEvent('created')));
      const reported: string[] = [];
      expect(await matching(10, minutesLater(1)).sweep(5 * 60_000, (rfqId) => reported.push(rfqId))).toEqual({ finished: 0, failed: 0 });
      expect((await rfq()).matching).toMatchObject({ status: 'due' });

      expect(await matching(10, minutesLater(10)).sweep(5 * 60_000, (rfqId) => reported.push(rfqId))).toEqual({ finished: 1, failed: 0 });
      expect(await invitations()).toEqual([...meeting].sort());
      expect(told.invited).toEqual(meeting);
      expect(reported).toEqual([]);
      expect(await matching(10, minutesLater(20)).sweep(5 * 60_000, () => undefined)).toEqual({ finished: 0, failed: 0 });
    });

    it('reports a matching that fails again and leaves it open for the next sweep', async () => {
      meeting = experts(1);
      await intake.intake(parsed(rfqEvent('created')));
      matcherFails = new Error('search index unavailable');
      const reported: [string, unknown][] = [];
      expect(await matching(10, minutesLater(10)).sweep(5 * 60_000, (rfqId, error) => reported.push([rfqId, error]))).toEqual({ finished: 0, failed: 1 });
      expect(reported).toEqual([[RFQ, new Error('search index unavailable')]]);
      expect((await rfq()).matching).toMatchObject({ status: 'due' });
      matcherFails = undefined;
      expect(await matching(10, minutesLater(11)).sweep(5 * 60_000, () => undefined)).toEqual({ finished: 1, failed: 0 });
    });
  });
});
