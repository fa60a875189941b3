import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EntityConflictError, EntityNotFoundError, LocalServiceBusBroker, MessageLockLostError, SERVICE_BUS_DEFAULTS, type BrokerOptions } from '../../shared/local-host/servicebus/broker';

const START = Date.parse('2025-03-01T12:00:00.000Z');

/** A broker on a fake clock; `advance` moves time forward without sleeping. */
function setup(filename = ':memory:', options: BrokerOptions = {}) {
  const clock = { now: START };
  const broker = LocalServiceBusBroker.open(filename, { now: () => clock.now, ...options });
  opened.push(broker);
  return {
    broker,
    clock,
    advance(ms: number) {
      clock.now += ms;
    },
  };
}

const opened: LocalServiceBusBroker[] = [];
afterEach(() => {
  for (const broker of opened.splice(0)) broker.close();
});

const text = (value: string) => Buffer.from(value, 'utf8');

describe('queues: send, receive, settle', () => {
  it('delivers a sent message under a peek-lock and removes it on complete', () => {
    const { broker } = setup();
    broker.ensureQueue('orders');
    const sent = broker.send('orders', [
      {
        body: text('{"id":1}'),
        messageId: 'm-1',
        correlationId: 'c-1',
        contentType: 'application/json',
        subject: 'order.created',
        applicationProperties: { tenant: 'acme', priority: 2, urgent: true, note: null },
      },
    ]);
    expect(sent).toEqual({ accepted: 1, duplicates: 0, sequenceNumbers: [1] });

    const [message, ...rest] = broker.receive('orders', 10);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      sequenceNumber: 1,
      messageId: 'm-1',
      deliveryCount: 1,
      correlationId: 'c-1',
      contentType: 'application/json',
      subject: 'order.created',
      applicationProperties: { tenant: 'acme', priority: 2, urgent: true, note: null },
      expiresAtUtc: null,
    });
    expect(message!.body.toString()).toBe('{"id":1}');
    expect(message!.enqueuedTimeUtc).toEqual(new Date(START));
    expect(message!.lockedUntilUtc).toEqual(new Date(START + SERVICE_BUS_DEFAULTS.lockDurationMs));
    expect(message!.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(message).not.toHaveProperty('sessionId');

    // Locked: not delivered a second time.
    expect(broker.receive('orders')).toEqual([]);
    expect(broker.stats('orders')).toEqual({ active: 0, locked: 1, scheduled: 0, deadLetter: 0 });

    broker.complete('orders', message!.lockToken);
    expect(broker.stats('orders')).toEqual({ active: 0, locked: 0, scheduled: 0, deadLetter: 0 });
    expect(broker.receive('orders')).toEqual([]);
  });

  it('gives a random 32-hex messageId when none is set, and keeps empty bodies', () => {
    const { broker } = setup();
    broker.ensureQueue('q');
    broker.send('q', { body: Buffer.alloc(0) });
    const [message] = broker.receive('q');
    expect(message!.messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(Buffer.isBuffer(message!.body)).toBe(true);
    expect(message!.body.length).toBe(0);
  });

  it('delivers in sequence order, at most maxMessages at a time', () => {
    const { broker } = setup();
    broker.ensureQueue('q');
    broker.send('q', [{ body: text('a') }, { body: text('b') }, { body: text('c') }]);
    expect(broker.receive('q', 2).map((m) => m.body.toString())).toEqual(['a', 'b']);
    expect(broker.receive('q', 2).map((m) => m.sequenceNumber)).toEqual([3]);
  });

  it('redelivers an abandoned message with deliveryCount 2 and a new lock token', () => {
    const { broker } = setup();
    broker.ensureQueue('q');
    broker.send('q', [{ body: text('x') }]);
    const [first] = broker.receive('q');
    broker.abandon('q', first!.lockToken);

    const [second] = broker.receive('q');
    expect(second!.sequenceNumber).toBe(first!.sequenceNumber);
    expect(second!.deliveryCount).toBe(2);
    expect(second!.lockToken).not.toBe(first!.lockToken);
    expect(() => broker.complete('q', first!.lockToken)).toThrow(MessageLockLostError);
    broker.complete('q', second!.lockToken);
  });

  it('dead-letters a message that is always abandoned once it has used maxDeliveryCount attempts', () => {
    const { broker } = setup();
    broker.ensureQueue('q', { maxDeliveryCount: 3 });
    broker.send('q', [{ body: text('poison'), messageId: 'p-1', applicationProperties: { kind: 'bad' } }]);

    const deliveryCounts: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const [message] = broker.receive('q');
      if (!message) break;
      deliveryCounts.push(message.deliveryCount);
      broker.abandon('q', message.lockToken);
    }
    expect(deliveryCounts).toEqual([1, 2, 3]);
    expect(broker.stats('q')).toEqual({ active: 0, locked: 0, scheduled: 0, deadLetter: 1 });

    const [dead, ...others] = broker.peekDeadLetters('q');
    expect(others).toEqual([]);
    expect(dead).toMatchObject({
      sequenceNumber: 1,
      messageId: 'p-1',
      deliveryCount: 3,
      deadLetterReason: 'MaxDeliveryCountExceeded',
      deadLetterErrorDescription: 'Message could not be consumed after 3 delivery attempts.',
      applicationProperties: { kind: 'bad' },
    });
    expect(dead!.body.toString()).toBe('poison');
  });

  it('dead-letters instead of delivering when lock expiries used up the attempts', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q', { maxDeliveryCount: 2, lockDurationMs: 1_000 });
    broker.send('q', [{ body: text('slow') }]);
    expect(broker.receive('q')[0]!.deliveryCount).toBe(1);
    advance(1_000);
    expect(broker.receive('q')[0]!.deliveryCount).toBe(2);
    advance(1_000);
    expect(broker.receive('q')).toEqual([]);
    expect(broker.peekDeadLetters('q')).toMatchObject([{ deliveryCount: 2, deadLetterReason: 'MaxDeliveryCountExceeded' }]);
  });

  it('dead-letters on request with the given reason and description', () => {
    const { broker } = setup();
    broker.ensureQueue('q');
    broker.send('q', [{ body: text('bad') }]);
    const [message] = broker.receive('q');
    broker.deadLetter('q', message!.lockToken, { reason: 'ValidationFailed', description: 'missing id' });
    expect(broker.peekDeadLetters('q')).toMatchObject([{ deliveryCount: 1, deadLetterReason: 'ValidationFailed', deadLetterErrorDescription: 'missing id' }]);
    expect(broker.receive('q')).toEqual([]);
  });
});

describe('locks', () => {
  it('makes a message visible again when its lock expires, and refuses the stale token', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q', { lockDurationMs: 30_000 });
    broker.send('q', [{ body: text('x') }]);
    const [first] = broker.receive('q');
    advance(29_999);
    expect(broker.receive('q')).toEqual([]);
    advance(1);
    const [again] = broker.receive('q');
    expect(again!.deliveryCount).toBe(2);
    expect(() => broker.complete('q', first!.lockToken)).toThrow(MessageLockLostError);
    broker.complete('q', again!.lockToken);
  });

  it('renewLock extends the lock from now', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q', { lockDurationMs: 10_000 });
    broker.send('q', [{ body: text('x') }]);
    const [message] = broker.receive('q');
    advance(8_000);
    expect(broker.renewLock('q', message!.lockToken)).toEqual(new Date(START + 18_000));
    advance(8_000); // past the original lock, inside the renewed one
    expect(broker.receive('q')).toEqual([]);
    broker.complete('q', message!.lockToken);
    expect(broker.stats('q').active + broker.stats('q').locked).toBe(0);
  });

  it('throws MessageLockLostError for unknown, settled, expired or foreign lock tokens', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q', { lockDurationMs: 1_000 });
    broker.ensureQueue('other');
    broker.send('q', [{ body: text('1') }, { body: text('2') }]);
    const [settled, held] = broker.receive('q', 2);
    broker.complete('q', settled!.lockToken);

    expect(() => broker.complete('q', 'no-such-token')).toThrow(MessageLockLostError);
    expect(() => broker.complete('q', settled!.lockToken)).toThrow(MessageLockLostError);
    expect(() => broker.abandon('other', held!.lockToken)).toThrow(MessageLockLostError);

    advance(1_000);
    expect(() => broker.complete('q', held!.lockToken)).toThrow(MessageLockLostError);
    expect(() => broker.abandon('q', held!.lockToken)).toThrow(MessageLockLostError);
    expect(() => broker.deadLetter('q', held!.lockToken)).toThrow(MessageLockLostError);
    expect(() => broker.renewLock('q', held!.lockToken)).toThrow(MessageLockLostError);
    // Still in the queue, ready for redelivery.
    expect(broker.stats('q')).toEqual({ active: 1, locked: 0, scheduled: 0, deadLetter: 0 });
  });
});

describe('topics and subscriptions', () => {
  it('copies each message to every subscription, which settle independently', () => {
    const { broker } = setup();
    broker.ensureTopic('events');
    broker.ensureSubscription('events', 'audit');
    broker.ensureSubscription('events', 'billing', { maxDeliveryCount: 1 });

    const sent = broker.send('events', [{ body: text('e1'), messageId: 'e-1' }]);
    expect(sent.accepted).toBe(1);

    const [audit] = broker.receive('events/subscriptions/audit');
    const [billing] = broker.receive('events/Subscriptions/billing');
    expect(audit!.body.toString()).toBe('e1');
    expect(billing!.body.toString()).toBe('e1');
    expect(audit!.sequenceNumber).toBe(billing!.sequenceNumber);
    expect(audit!.lockToken).not.toBe(billing!.lockToken);

    broker.complete('events/subscriptions/audit', audit!.lockToken);
    broker.abandon('events/subscriptions/billing', billing!.lockToken); // its only attempt: dead-lettered

    expect(broker.stats('events/subscriptions/audit')).toEqual({ active: 0, locked: 0, scheduled: 0, deadLetter: 0 });
    expect(broker.stats('events/subscriptions/billing')).toEqual({ active: 0, locked: 0, scheduled: 0, deadLetter: 1 });
    // A lock token of one subscription means nothing to the other.
    expect(() => broker.complete('events/subscriptions/audit', billing!.lockToken)).toThrow(MessageLockLostError);
  });

  it('accepts and drops messages sent to a topic without subscriptions', () => {
    const { broker } = setup();
    broker.ensureTopic('lonely');
    expect(broker.send('lonely', [{ body: text('x') }]).accepted).toBe(1);
    broker.ensureSubscription('lonely', 'late');
    expect(broker.receive('lonely/subscriptions/late')).toEqual([]);
  });

  it('creates the topic of a new subscription, and refuses receive on a topic or send to a subscription', () => {
    const { broker } = setup();
    const sub = broker.ensureSubscription('Alerts', 'Ops');
    expect(sub).toMatchObject({ kind: 'subscription', path: 'Alerts/Subscriptions/Ops', name: 'Ops', topicName: 'Alerts' });
    expect(broker.getEntity('alerts')).toMatchObject({ kind: 'topic', name: 'Alerts' });
    expect(() => broker.receive('alerts')).toThrow(EntityNotFoundError);
    expect(() => broker.send('alerts/subscriptions/ops', [{ body: text('x') }])).toThrow(EntityNotFoundError);
  });
});

describe('duplicate detection', () => {
  it('drops a messageId seen within the window and accepts it after the window', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q', { duplicateDetectionWindowMs: 60_000 });
    expect(broker.send('q', [{ body: text('1'), messageId: 'same' }])).toMatchObject({ accepted: 1, duplicates: 0 });
    advance(59_999);
    expect(broker.send('q', [{ body: text('2'), messageId: 'same' }])).toMatchObject({ accepted: 0, duplicates: 1 });
    advance(1);
    expect(broker.send('q', [{ body: text('3'), messageId: 'same' }])).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(broker.receive('q', 10).map((m) => m.body.toString())).toEqual(['1', '3']);
  });

  it('detects duplicates inside one batch and on the topic for all its subscriptions', () => {
    const { broker } = setup();
    broker.ensureSubscription('t', 's1');
    broker.ensureSubscription('t', 's2');
    const result = broker.send('t', [
      { body: text('a'), messageId: 'x' },
      { body: text('b'), messageId: 'x' },
      { body: text('c'), messageId: 'y' },
    ]);
    expect(result).toEqual({ accepted: 2, duplicates: 1, sequenceNumbers: [1, 2] });
    expect(broker.stats('t/subscriptions/s1').active).toBe(2);
    expect(broker.stats('t/subscriptions/s2').active).toBe(2);
  });

  it('is off when the window is 0', () => {
    const { broker } = setup();
    broker.ensureQueue('q', { duplicateDetectionWindowMs: 0 });
    broker.send('q', [{ body: text('1'), messageId: 'same' }]);
    expect(broker.send('q', [{ body: text('2'), messageId: 'same' }]).accepted).toBe(1);
    expect(broker.stats('q').active).toBe(2);
  });
});

describe('time to live and scheduling', () => {
  it('drops expired messages by default', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q');
    broker.send('q', [{ body: text('short'), timeToLiveMs: 1_000 }, { body: text('long') }]);
    advance(1_000);
    expect(broker.receive('q', 10).map((m) => m.body.toString())).toEqual(['long']);
    expect(broker.peekDeadLetters('q')).toEqual([]);
  });

  it('dead-letters expired messages when deadLetteringOnMessageExpiration is set', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q', { deadLetteringOnMessageExpiration: true });
    broker.send('q', [{ body: text('short'), timeToLiveMs: 1_000 }]);
    advance(1_000);
    expect(broker.receive('q')).toEqual([]);
    expect(broker.peekDeadLetters('q')).toMatchObject([{ deadLetterReason: 'TTLExpiredException', deliveryCount: 0 }]);
  });

  it('applies the shorter of the message TTL and the entity default', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q', { defaultMessageTimeToLiveMs: 5_000 });
    broker.send('q', [
      { body: text('a'), timeToLiveMs: 60_000 },
      { body: text('b'), timeToLiveMs: 2_000 },
    ]);
    const received = broker.receive('q', 2);
    expect(received.map((m) => m.expiresAtUtc)).toEqual([new Date(START + 5_000), new Date(START + 2_000)]);
    for (const message of received) broker.abandon('q', message.lockToken);
    advance(5_000);
    expect(broker.receive('q', 2)).toEqual([]);
  });

  it('keeps a scheduled message invisible until its time, then enqueues it', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q');
    const at = new Date(START + 5_000);
    broker.send('q', [{ body: text('later'), scheduledEnqueueTimeUtc: at }, { body: text('now') }]);

    expect(broker.receive('q', 10).map((m) => m.body.toString())).toEqual(['now']);
    expect(broker.stats('q')).toMatchObject({ active: 0, scheduled: 1 });
    expect(broker.nextVisibleAt('q')).toEqual(at); // before the lock on 'now' expires
    advance(4_999);
    expect(broker.receive('q')).toEqual([]);
    advance(1);
    const [later] = broker.receive('q');
    expect(later!.body.toString()).toBe('later');
    expect(later!.sequenceNumber).toBe(1);
    expect(later!.enqueuedTimeUtc).toEqual(at);
  });
});

describe('wake-ups', () => {
  it('nextVisibleAt tells when something becomes receivable', () => {
    const { broker, advance } = setup();
    broker.ensureQueue('q', { lockDurationMs: 10_000 });
    expect(broker.nextVisibleAt('q')).toBeNull();
    broker.send('q', [{ body: text('x') }]);
    expect(broker.nextVisibleAt('q')).toEqual(new Date(START));
    broker.receive('q');
    expect(broker.nextVisibleAt('q')).toEqual(new Date(START + 10_000)); // the lock expiry
    broker.send('q', [{ body: text('y'), scheduledEnqueueTimeUtc: new Date(START + 3_000) }]);
    expect(broker.nextVisibleAt('q')).toEqual(new Date(START + 3_000));
    advance(3_000);
    expect(broker.nextVisibleAt('q')).toEqual(new Date(START + 3_000));
  });

  it('onMessageAvailable fires after the send or abandon commits, per path that got messages', () => {
    const { broker } = setup();
    broker.ensureQueue('Orders');
    broker.ensureSubscription('events', 'a');
    broker.ensureSubscription('events', 'b');
    const seen: Array<{ path: string; visible: number }> = [];
    const unsubscribe = broker.onMessageAvailable((entityPath) => {
      // Committed already: the listener sees the message.
      seen.push({ path: entityPath, visible: broker.stats(entityPath).active });
    });

    broker.send('orders', [{ body: text('1'), messageId: 'dup' }]);
    broker.send('orders', [{ body: text('1'), messageId: 'dup' }]); // duplicate only: nothing new
    broker.send('events', [{ body: text('2') }]);
    const [message] = broker.receive('orders');
    broker.abandon('orders', message!.lockToken);
    unsubscribe();
    broker.send('orders', [{ body: text('3') }]);

    expect(seen).toEqual([
      { path: 'Orders', visible: 1 },
      { path: 'events/Subscriptions/a', visible: 1 },
      { path: 'events/Subscriptions/b', visible: 1 },
      { path: 'Orders', visible: 1 },
    ]);
  });

  it('a throwing listener does not undo or break the send', () => {
    const onListenerError = vi.fn();
    const { broker } = setup(':memory:', { onListenerError });
    broker.ensureQueue('q');
    broker.onMessageAvailable(() => {
      throw new Error('boom');
    });
    expect(broker.send('q', [{ body: text('x') }]).accepted).toBe(1);
    expect(onListenerError).toHaveBeenCalledTimes(1);
    expect(broker.stats('q').active).toBe(1);
  });
});

describe('entities', () => {
  it('treats names case-insensitively and keeps the first display name', () => {
    const { broker } = setup();
    broker.ensureQueue('Orders');
    expect(broker.ensureQueue('ORDERS')).toMatchObject({ kind: 'queue', path: 'Orders', name: 'Orders' });
    broker.send('orders', [{ body: text('x') }]);
    expect(broker.receive('oRdErS')).toHaveLength(1);

    broker.ensureSubscription('Events', 'Audit');
    broker.send('EVENTS', [{ body: text('y') }]);
    expect(broker.receive('events/SUBSCRIPTIONS/audit')).toHaveLength(1);
    expect(broker.listEntities().map((e) => e.path)).toEqual(['Events', 'Events/Subscriptions/Audit', 'Orders']);
  });

  it('applies Service Bus defaults and updates settings given by a later ensure', () => {
    const { broker } = setup();
    expect(broker.ensureQueue('q').settings).toEqual(SERVICE_BUS_DEFAULTS);
    expect(broker.ensureQueue('q', { maxDeliveryCount: 4 }).settings).toMatchObject({
      maxDeliveryCount: 4,
      lockDurationMs: 60_000,
    });
    // Without settings, an ensure leaves them alone.
    expect(broker.ensureQueue('q').settings).toMatchObject({ maxDeliveryCount: 4 });
    expect(broker.ensureTopic('t', { duplicateDetectionWindowMs: 0 }).settings).toEqual({ duplicateDetectionWindowMs: 0 });
    expect(() => broker.ensureQueue('q', { maxDeliveryCount: 0 })).toThrow(RangeError);
  });

  it('rejects a name taken by another kind, bad names and unknown entities', () => {
    const { broker } = setup();
    broker.ensureQueue('shared');
    expect(() => broker.ensureTopic('Shared')).toThrow(EntityConflictError);
    expect(() => broker.ensureQueue('bad name')).toThrow(TypeError);
    expect(() => broker.ensureQueue('x/subscriptions/y')).toThrow(TypeError);
    expect(() => broker.send('missing', [{ body: text('x') }])).toThrow(EntityNotFoundError);
    expect(() => broker.receive('missing')).toThrow(EntityNotFoundError);
    expect(() => broker.stats('missing')).toThrow(EntityNotFoundError);
  });
});

describe('atomic sends', () => {
  it('writes nothing when a message of the batch is invalid', () => {
    const { broker } = setup();
    broker.ensureQueue('q');
    expect(() => broker.send('q', [{ body: text('ok'), messageId: 'first' }, { body: 'not a buffer' as unknown as Buffer }])).toThrow(TypeError);
    expect(broker.stats('q')).toEqual({ active: 0, locked: 0, scheduled: 0, deadLetter: 0 });
    // Neither the first messageId nor its sequence number was kept.
    expect(broker.send('q', [{ body: text('ok'), messageId: 'first' }])).toEqual({
      accepted: 1,
      duplicates: 0,
      sequenceNumbers: [1],
    });
  });

  it('writes nothing for an unknown entity', () => {
    const { broker } = setup();
    expect(() => broker.send('nowhere', [{ body: text('a') }, { body: text('b') }])).toThrow(EntityNotFoundError);
    expect(broker.listEntities()).toEqual([]);
  });
});

describe('dead-letter sub-queue', () => {
  it('peeks in order from a sequence number, with a limit, and purges', () => {
    const { broker } = setup();
    broker.ensureQueue('q');
    broker.send(
      'q',
      [1, 2, 3, 4].map((n) => ({ body: text(String(n)) })),
    );
    for (const message of broker.receive('q', 4)) broker.deadLetter('q', message.lockToken, { reason: `r${message.sequenceNumber}` });

    expect(broker.peekDeadLetters('q').map((m) => m.deadLetterReason)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(broker.peekDeadLetters('q', { fromSequenceNumber: 2, limit: 2 }).map((m) => m.sequenceNumber)).toEqual([2, 3]);
    expect(broker.purgeDeadLetters('q')).toBe(4);
    expect(broker.peekDeadLetters('q')).toEqual([]);
  });
});

describe('durability', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-broker-'));
  });
  afterEach(() => {
    for (const broker of opened.splice(0)) broker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps queued messages across a restart, drops completed ones, and redelivers locked ones with count + 1', () => {
    const file = path.join(dir, 'servicebus.db');
    const first = setup(file).broker;
    first.ensureQueue('q', { maxDeliveryCount: 5, duplicateDetectionWindowMs: 60_000 });
    first.send(
      'q',
      [1, 2, 3].map((n) => ({ body: text(`m${n}`), messageId: `id-${n}` })),
    );
    const [done, inFlight] = first.receive('q', 2);
    first.complete('q', done!.lockToken);
    expect(inFlight!.deliveryCount).toBe(1);
    // The process "dies" here: no settle of inFlight, and no close.

    const { broker: second } = setup(file);
    expect(second.getEntity('q')?.settings).toMatchObject({ maxDeliveryCount: 5 });
    expect(second.stats('q')).toEqual({ active: 2, locked: 0, scheduled: 0, deadLetter: 0 });
    const redelivered = second.receive('q', 10);
    expect(redelivered.map((m) => [m.body.toString(), m.deliveryCount])).toEqual([
      ['m2', 2],
      ['m3', 1],
    ]);
    // The lock of the dead process is gone for good.
    expect(() => second.complete('q', inFlight!.lockToken)).toThrow(MessageLockLostError);
    // The duplicate-detection history survives too, and sequence numbers continue.
    expect(second.send('q', [{ body: text('again'), messageId: 'id-1' }]).duplicates).toBe(1);
    expect(second.send('q', [{ body: text('m4'), messageId: 'id-4' }]).sequenceNumbers).toEqual([4]);
  });

  it('keeps dead letters and scheduled messages across a clean close and reopen', () => {
    const file = path.join(dir, 'servicebus.db');
    const first = setup(file).broker;
    first.ensureSubscription('t', 's', { maxDeliveryCount: 1 });
    first.send('t', [{ body: text('dead') }, { body: text('later'), scheduledEnqueueTimeUtc: new Date(START + 60_000) }]);
    const [message] = first.receive('t/subscriptions/s');
    first.abandon('t/subscriptions/s', message!.lockToken);
    first.close();

    const { broker: second, advance } = setup(file);
    expect(second.stats('t/subscriptions/s')).toEqual({ active: 0, locked: 0, scheduled: 1, deadLetter: 1 });
    expect(second.peekDeadLetters('t/subscriptions/s')[0]!.body.toString()).toBe('dead');
    advance(60_000);
    expect(second.receive('t/subscriptions/s')[0]!.body.toString()).toBe('later');
  });

  it('uses WAL journaling for file stores', async () => {
    const file = path.join(dir, 'wal.db');
    setup(file);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });
});
