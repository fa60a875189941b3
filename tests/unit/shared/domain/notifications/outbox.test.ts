import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { outbox } from '../../../../../shared/domain/notifications/containers';
import type { Container } from '../../../../../shared/data/document-store';
import { AppError } from '../../../../../shared/errors';
import { LEASE_MS, Outbox, type OutboxRecord } from '../../../../../shared/domain/notifications/outbox';
import type { MailMessage, WhatsAppMessage } from '../../../../../shared/domain/notifications/ports';
import { createAppLogger } from '../../../../../shared/observability/app-logger';

// The outbox against the embedded store, on a clock the test moves: once per cause, the lease
// that keeps two runs from sending one message, backoff, dead after the limit, and an admin's retry.

const MAX_ATTEMPTS = 4;
let container: Container<OutboxRecord>;
let clock: number;
let sent: MailMessage[];
let whatsapps: WhatsAppMessage[];
let failing: Set<string>;
let logs: string[];
let mailbox: Outbox;

const at = (ms: number) => new Date(ms).toISOString();

/** Another instance of the app on the same store (its own Outbox object). */
function instance(random = () => 0.5, email = sendMail, leaseMs?: number) {
  return new Outbox(
    container,
    { email: { send: email }, whatsapp: { send: async (message) => (whatsapps.push(message), { provider: 'test', messageId: `SM${whatsapps.length}`, status: 'queued' }) } },
    createAppLogger('debug', (_level, line) => logs.push(line)),
    { maxAttempts: MAX_ATTEMPTS, now: () => new Date(clock), random, ...(leaseMs ? { leaseMs } : {}) },
  );
}

async function sendMail(message: MailMessage) {
  if (failing.has(message.to) || failing.has('*')) throw new Error(`550 mailbox unavailable: ${message.to}`);
  sent.push(message);
  return { provider: 'test', messageId: `msg-${sent.length}`, status: '202' };
}

const all = async () => (await container.query({ limit: 1000 })).items;
const only = async () => {
  const items = await all();
  expect(items).toHaveLength(1);
  return items[0]!;
};

beforeEach(async () => {
  container = await SqliteDocumentStore.open(':memory:').container<OutboxRecord>(outbox);
  clock = Date.parse('2026-12-01T10:00:00Z');
  sent = [];
  whatsapps = [];
  failing = new Set();
  logs = [];
  mailbox = instance();
});

const outcome = { to: 'jane.doe@example.com', subject: 'You are verified', text: 'Your profile now carries the verified badge.' };

describe('once per cause', () => {
  it('stores and sends the same cause once, however often it is enqueued', async () => {
    await mailbox.enqueue(outcome, 'verification:req-1:outcome:user-1');
    await mailbox.enqueue(outcome, 'verification:req-1:outcome:user-1');
    await instance().enqueue(outcome, 'verification:req-1:outcome:user-1');
    expect(sent).toEqual([outcome]);
    const record = await only();
    expect(record).toMatchObject({ status: 'sent', attempts: 1, cause: 'verification:req-1:outcome:user-1', receipt: { provider: 'test', messageId: 'msg-1', status: '202' } });
    expect(record).not.toHaveProperty('text'); // links in mails are single-use secrets

    await mailbox.enqueue(outcome, 'verification:req-2:outcome:user-1');
    expect(sent).toHaveLength(2);
  });

  it('does not send a message again that was marked sent, on any later run', async () => {
    await mailbox.enqueue(outcome, 'password-reset:token-1');
    clock += LEASE_MS + 24 * 3_600_000;
    expect(await mailbox.deliverPending()).toEqual({ sent: 0, failed: 0 });
    expect(await instance().deliverPending()).toEqual({ sent: 0, failed: 0 });
    expect(sent).toHaveLength(1);
  });

  it('lets only one of two timer runs on two instances send a due message', async () => {
    failing.add('*');
    await mailbox.enqueue(outcome, 'c1');
    failing.clear();
    clock += 3_600_000;
    const runs = await Promise.all([instance().deliverPending(), instance().deliverPending()]);
    expect(runs.map((run) => run.sent).sort()).toEqual([0, 1]);
    expect(sent).toHaveLength(1);
  });

  it('leaves a message to its first attempt until that attempt’s lease ends (an instance that stopped mid-send)', async () => {
    // The first instance stores the message and never hears back from the provider.
    void instance(undefined, () => new Promise(() => undefined)).enqueue(outcome, 'c1');
    await expect.poll(async () => (await all()).length).toBe(1);
    expect(await mailbox.deliverPending()).toEqual({ sent: 0, failed: 0 });
    await mailbox.enqueue(outcome, 'c1'); // a re-run step: still claimed, not sent twice
    expect(sent).toHaveLength(0);
    clock += LEASE_MS;
    expect(await mailbox.deliverPending()).toEqual({ sent: 1, failed: 0 });
    expect(await only()).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('takes the lease length from its options (OUTBOX_LEASE_SECONDS)', async () => {
    void instance(undefined, () => new Promise(() => undefined), 5_000).enqueue(outcome, 'c1');
    await expect.poll(async () => (await all()).length).toBe(1);
    clock += 4_999;
    expect(await instance(undefined, sendMail, 5_000).deliverPending()).toEqual({ sent: 0, failed: 0 });
    clock += 1;
    expect(await instance(undefined, sendMail, 5_000).deliverPending()).toEqual({ sent: 1, failed: 0 });
  });

  it('sends WhatsApp messages once per cause too, with the provider’s answer recorded', async () => {
    await mailbox.enqueueWhatsApp({ to: '+525512345678', text: 'Your PCQI expires in 7 days' }, 'credential:e1:c-pcqi:2026-11-20:remind-7');
    await mailbox.enqueueWhatsApp({ to: '+525512345678', text: 'Your PCQI expires in 7 days' }, 'credential:e1:c-pcqi:2026-11-20:remind-7');
    expect(whatsapps).toHaveLength(1);
    expect(await only()).toMatchObject({ channel: 'whatsapp', status: 'sent', receipt: { messageId: 'SM1' } });
  });
});

describe('retries', () => {
  it('waits longer after each failure, within its jitter, and parks the message as dead after the limit', async () => {
    failing.add(outcome.to);
    await mailbox.enqueue(outcome, 'c1');
    const waits: number[] = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const record = await only();
      expect(record).toMatchObject({ status: 'pending', attempts: attempt, lastError: expect.stringContaining('550 mailbox unavailable') });
      const wait = Date.parse(record.nextAttemptAt) - clock;
      expect(wait).toBeGreaterThanOrEqual(30_000 * 2 ** (attempt - 1)); // half the step ...
      expect(wait).toBeLessThanOrEqual(60_000 * 2 ** (attempt - 1)); // ... to the whole step
      waits.push(wait);
      clock += wait - 1;
      expect(await mailbox.deliverPending()).toEqual({ sent: 0, failed: 0 }); // not due yet
      clock += 1;
      expect(await mailbox.deliverPending()).toEqual({ sent: 0, failed: 1 });
    }
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    const dead = await only();
    expect(dead).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, deadAt: at(clock), lastError: 'Error: 550 mailbox unavailable: j***@e***.com' });
    expect(logs.join('\n')).toContain('j***@e***.com');
    expect(logs.join('\n')).not.toContain(outcome.to);
    clock += 365 * 24 * 3_600_000;
    expect(await mailbox.deliverPending()).toEqual({ sent: 0, failed: 0 });
  });

  it('sends the one good message behind 1,000 failing ones on the next run', async () => {
    failing.add('*');
    for (let index = 0; index < 1000; index++, clock++) await mailbox.enqueue({ ...outcome, to: `bounce${index}@example.com` }, `c${index}`);
    await mailbox.enqueue(outcome, 'good'); // the provider was down for this one too
    const good = (await mailbox.list({ limit: 1 })).items[0]!;
    expect((await all()).every((record) => record.id === good.id || record.nextAttemptAt < good.nextAttemptAt!)).toBe(true);
    failing.clear();
    for (let index = 0; index < 1000; index++) failing.add(`bounce${index}@example.com`);
    clock += 3_600_000; // every one of them is due, the good one last
    expect(await mailbox.deliverPending()).toEqual({ sent: 1, failed: 1000 });
    expect(sent).toEqual([outcome]);
  });
});

describe('admin view and retry', () => {
  async function deadMessage() {
    failing.add(outcome.to);
    await mailbox.enqueue(outcome, 'c1');
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      clock += 24 * 3_600_000;
      await mailbox.deliverPending();
    }
    const record = await only();
    expect(record.status).toBe('dead');
    return record;
  }

  it('lists by status with the address masked and no text', async () => {
    const dead = await deadMessage();
    await mailbox.enqueue({ ...outcome, to: 'sam@example.org' }, 'c2');
    const page = await mailbox.list({ status: 'dead', limit: 10 });
    expect(page.items).toEqual([expect.objectContaining({ id: dead.id, status: 'dead', to: 'j***@e***.com', subject: outcome.subject, attempts: MAX_ATTEMPTS, nextAttemptAt: null })]);
    expect(JSON.stringify(page)).not.toContain(outcome.text);
    expect((await mailbox.list({ status: 'sent', limit: 10 })).items.map((item) => item.to)).toEqual(['s***@e***.org']);
  });

  it('resets a dead message and sends it now; refuses a sent one, a running attempt and an unknown id', async () => {
    const dead = await deadMessage();
    failing.clear();
    const retried = await mailbox.retry(dead.id);
    expect(retried).toMatchObject({ id: dead.id, status: 'sent', attempts: 1, deadAt: null });
    expect(sent).toEqual([outcome]);
    await expect(mailbox.retry(dead.id)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/already sent/) });
    await expect(mailbox.retry('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(AppError);

    void instance(undefined, () => new Promise(() => undefined)).enqueue(outcome, 'hanging');
    await expect.poll(async () => (await all()).length).toBe(2);
    const hanging = (await all()).find((record) => record.cause === 'hanging')!;
    await expect(mailbox.retry(hanging.id)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/attempt .* is running/) });
  });

  it('gives a retried message its full number of attempts again', async () => {
    const dead = await deadMessage();
    const retried = await mailbox.retry(dead.id); // still failing
    expect(retried).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: expect.any(String) });
  });
});
