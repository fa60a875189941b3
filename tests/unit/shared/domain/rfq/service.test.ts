import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { rfqs } from '../../../../../shared/domain/rfq/containers';
import { parseRfqEvent, RFQ_EVENT_TYPES, type RfqEvent } from '../../../../../shared/domain/rfq/schemas';
import { type RfqDocument, RfqService } from '../../../../../shared/domain/rfq/service';
import { rfqEvent } from '../../../../helpers/rfq-events';

// RfqService.intake against the embedded store: versions order the changes, early events wait for
// their create, and an event id has one effect however often and however concurrently it comes.

let container: Container<RfqDocument>;
let service: RfqService;

beforeEach(async () => {
  container = await SqliteDocumentStore.open(':memory:').container<RfqDocument>(rfqs);
  service = new RfqService(container, ticking('2026-12-07T10:00:00Z'));
});

/** A clock one second further on each reading, so arrival order is visible in the stored times. */
function ticking(start: string): () => Date {
  let at = Date.parse(start);
  return () => new Date((at += 1000));
}

/** The event as the trigger hands it to the service: parsed by the contract's schema. */
function parsed(raw: unknown): RfqEvent {
  const result = parseRfqEvent(raw);
  if (!result.ok) throw new Error(`test event is invalid: ${JSON.stringify(result.fields)}`);
  return result.event;
}

const created = (version = 1, data = {}) => parsed(rfqEvent('created', { id: `evt-created-${version}`, data: { version, ...data } }));
const updated = (version: number, title = `Title v${version}`) => parsed(rfqEvent('updated', { id: `evt-updated-${version}`, data: { version, title } }));
const ended = (kind: 'cancelled' | 'closed', version: number) => parsed(rfqEvent(kind, { id: `evt-${kind}-${version}`, data: { version, reason: `${kind} by the buyer` } }));

async function stored(rfqId = 'RFQ-2026-000123') {
  return (await service.details(rfqId))!;
}

describe('RFQ intake: create and versions', () => {
  it('creates the RFQ open at its version with what the event says, and records the event as applied', async () => {
    const result = await service.intake(created());
    expect(result.outcome).toBe('applied');
    const { rfq, events } = await stored();
    expect(rfq).toMatchObject({ rfqId: 'RFQ-2026-000123', status: 'open', version: 1, ended: null, kept: [] });
    expect(rfq.data).toMatchObject({ title: 'FSVP support for fresh blueberry exports to the US', budget: { amountMinor: 1_200_000, currency: 'USD', unit: 'fixed' }, urgency: 'normal' });
    expect(events).toEqual([expect.objectContaining({ eventId: 'evt-created-1', type: RFQ_EVENT_TYPES.created, version: 1, source: 'foodxchange/rfq', outcome: 'applied' })]);
  });

  it('a higher version replaces a lower one; an older or equal one is ignored, with the reason recorded', async () => {
    await service.intake(created());
    expect((await service.intake(updated(3))).outcome).toBe('applied');
    const older = await service.intake(updated(2));
    const equal = await service.intake(parsed(rfqEvent('updated', { id: 'evt-updated-3-again', data: { version: 3, title: 'Same version, other text' } })));
    expect([older.outcome, equal.outcome]).toEqual(['ignored', 'ignored']);
    expect(older.reason).toBe('version 2 is not above the stored version 3');
    const { rfq, events } = await stored();
    expect(rfq).toMatchObject({ version: 3, data: { title: 'Title v3' } });
    expect(events.map((event) => [event.eventId, event.outcome])).toEqual([
      ['evt-created-1', 'applied'],
      ['evt-updated-3', 'applied'],
      ['evt-updated-2', 'ignored'],
      ['evt-updated-3-again', 'ignored'],
    ]);
  });

  it('a second create for the same RFQ changes nothing', async () => {
    await service.intake(created());
    const again = await service.intake(parsed(rfqEvent('created', { id: 'evt-created-twice', data: { version: 2, title: 'A different title' } })));
    expect(again).toMatchObject({ outcome: 'ignored', reason: 'the RFQ was already created' });
    expect((await stored()).rfq).toMatchObject({ version: 1, data: { title: 'FSVP support for fresh blueberry exports to the US' } });
  });
});

describe('RFQ intake: out of order', () => {
  it('keeps updates that come before their create and applies them in version order once it comes', async () => {
    expect((await service.intake(updated(3))).outcome).toBe('kept');
    expect((await service.intake(updated(2))).outcome).toBe('kept');
    const waiting = await stored();
    expect(waiting.rfq).toMatchObject({ status: 'awaiting_create', version: 0, data: null });
    expect(waiting.rfq.kept.map((kept) => kept.version)).toEqual([2, 3]);

    await service.intake(created());
    const { rfq, events } = await stored();
    expect(rfq).toMatchObject({ status: 'open', version: 3, data: { title: 'Title v3' }, kept: [] });
    expect(Object.fromEntries(events.map((event) => [event.eventId, event.outcome]))).toEqual({ 'evt-updated-3': 'applied', 'evt-updated-2': 'applied', 'evt-created-1': 'applied' });
    const create = events.find((event) => event.eventId === 'evt-created-1')!;
    expect(events.find((event) => event.eventId === 'evt-updated-2')).toMatchObject({ settledAt: create.receivedAt, reason: 'applied once its create came' });
  });

  it('a kept event whose version the create already reached is ignored when the create comes', async () => {
    await service.intake(updated(2));
    await service.intake(created(5));
    const { rfq, events } = await stored();
    expect(rfq).toMatchObject({ version: 5, data: { title: 'FSVP support for fresh blueberry exports to the US' } });
    expect(events.find((event) => event.eventId === 'evt-updated-2')).toMatchObject({ outcome: 'ignored', reason: 'version 2 is not above the stored version 5' });
  });

  it('a cancel that comes before its create ends the RFQ as soon as the create comes, and later updates do nothing', async () => {
    await service.intake(ended('cancelled', 2));
    await service.intake(created());
    expect((await stored()).rfq).toMatchObject({ status: 'cancelled', version: 2, ended: { type: 'cancelled', version: 2, reason: 'cancelled by the buyer' } });
    expect(await service.intake(updated(3))).toMatchObject({ outcome: 'ignored', reason: 'the RFQ is cancelled' });
  });
});

describe('RFQ intake: cancel and close', () => {
  it('cancels an open RFQ with a higher version, ignores a stale cancel, and closes nothing after it', async () => {
    await service.intake(created());
    await service.intake(updated(2));
    expect((await service.intake(ended('cancelled', 2))).outcome).toBe('ignored');
    expect((await service.intake(ended('cancelled', 3))).outcome).toBe('applied');
    expect((await service.intake(ended('closed', 4))).reason).toBe('the RFQ is cancelled');
    expect((await stored()).rfq).toMatchObject({ status: 'cancelled', version: 3, data: { title: 'Title v2' } });
  });

  it('closes an open RFQ', async () => {
    await service.intake(created());
    expect((await service.intake(ended('closed', 2))).outcome).toBe('applied');
    expect((await stored()).rfq).toMatchObject({ status: 'closed', ended: { type: 'closed', reason: 'closed by the buyer' } });
  });
});

describe('RFQ intake: one effect per event id', () => {
  it('a redelivered event, however late, is a duplicate and changes nothing', async () => {
    await service.intake(created());
    await service.intake(updated(2));
    const later = new RfqService(container, ticking('2027-06-01T00:00:00Z'));
    expect(await later.intake(updated(2))).toMatchObject({ outcome: 'duplicate', rfq: { version: 2 } });
    expect(await later.intake(created())).toMatchObject({ outcome: 'duplicate' });
    expect((await stored()).events).toHaveLength(2);
  });

  it('the same event delivered 20 times at once has one effect', async () => {
    await service.intake(created());
    const results = await Promise.all(Array.from({ length: 20 }, () => service.intake(updated(2))));
    expect(results.filter((result) => result.outcome === 'applied')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'duplicate')).toHaveLength(19);
    const { rfq, events } = await stored();
    expect(rfq.version).toBe(2);
    expect(events.map((event) => event.eventId)).toEqual(['evt-created-1', 'evt-updated-2']);
  });

  it('a create and its duplicates racing with updates end at the highest version, each event once', async () => {
    const events = [created(), created(), updated(2), updated(3), updated(3), updated(4)];
    const results = await Promise.all(events.map((event) => service.intake(event)));
    expect(results.filter((result) => result.outcome === 'duplicate')).toHaveLength(2);
    const details = await stored();
    expect(details.rfq).toMatchObject({ status: 'open', version: 4, data: { title: 'Title v4' } });
    expect(details.events.map((event) => event.eventId).sort()).toEqual(['evt-created-1', 'evt-updated-2', 'evt-updated-3', 'evt-updated-4']);
  });
});
