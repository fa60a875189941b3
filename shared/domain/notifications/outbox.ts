import { StoreError } from '../../data/errors';
import { AppError } from '../../errors';
import type { Container, Document, Page, Stored } from '../../data/document-store';
import type { AppLogger } from '../../observability/app-logger';
import { AttemptPolicy, type AttemptState } from '../delivery/attempts';
import { causeId } from './cause-id';
import { maskEmail, maskPhone } from '../identity/secrets';
import type { MailMessage, Mailer, ProviderReceipt, WhatsAppMessage, WhatsAppSender } from './ports';

export type OutboxChannel = 'email' | 'whatsapp';
export type OutboxStatus = 'pending' | 'sent' | 'dead';

/** The timer takes what is due (`nextAttemptAt`), soonest first. */
export interface OutboxRecord extends Document, AttemptState {
  /** Why the message exists (`verification:<requestId>:outcome:<userId>`); the id is derived from it. */
  cause: string;
  channel: OutboxChannel;
  status: OutboxStatus;
  to: string;
  subject?: string;
  /** Only until sent: links in it are single-use secrets, so the text is dropped once sent. */
  text?: string;
  createdAt: string;
  sentAt?: string;
  receipt?: ProviderReceipt;
}

/** What admins see of a message: no text, the address masked. */
export interface OutboxView {
  id: string;
  cause: string;
  channel: OutboxChannel;
  status: OutboxStatus;
  to: string;
  subject: string | null;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  receipt: ProviderReceipt | null;
  deadAt: string | null;
}

export interface OutboxOptions {
  /** Attempts before a message is parked as dead (OUTBOX_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** How long an attempt owns a message (OUTBOX_LEASE_SECONDS; `LEASE_MS` by default). */
  leaseMs?: number;
  now?: () => Date;
  /** 0 ≤ x < 1, for the jitter. */
  random?: () => number;
}

/** How long an attempt owns a message by default: longer than the providers' request timeouts (30 s). */
export const LEASE_MS = 2 * 60_000;
/** Messages tried at once by the timer. */
const PAGE = 20;

const isStoreError = (error: unknown, ...kinds: StoreError['kind'][]) => error instanceof StoreError && kinds.includes(error.kind);

/**
 * The notifications outbox (email and WhatsApp). A message is stored under an id derived from
 * its cause, only if absent, then delivered: the same cause twice is one message. Delivery takes
 * a lease first (a write with If-Match), so two instances never send one message at once, and
 * the write that records the provider's answer is the one that marks it sent. A failed attempt
 * waits with exponential backoff and jitter, up to `maxAttempts`, then the message is parked as
 * dead for an admin to retry.
 *
 * Exactly once on our side; at least once at the provider boundary: a crash between the
 * provider's acceptance and our write leaves the message pending, and it is sent again once its
 * lease ends (neither SendGrid nor Twilio takes an idempotency key).
 */
export class Outbox {
  private readonly attempts: AttemptPolicy;
  private readonly now: () => Date;

  constructor(
    private readonly container: Container<OutboxRecord>,
    private readonly senders: { email: Mailer; whatsapp: WhatsAppSender },
    private readonly logger: AppLogger,
    options: OutboxOptions,
  ) {
    this.attempts = new AttemptPolicy({ ...options, leaseMs: options.leaseMs ?? LEASE_MS });
    this.now = this.attempts.now;
  }

  /** Stores and sends an email once per `cause`. Throws only when the store write fails. */
  async enqueue(message: MailMessage, cause: string): Promise<void> {
    await this.put({ channel: 'email', to: message.to, subject: message.subject, text: message.text }, cause);
  }

  /** The same for a WhatsApp message. */
  async enqueueWhatsApp(message: WhatsAppMessage, cause: string): Promise<void> {
    await this.put({ channel: 'whatsapp', to: message.to, text: message.text }, cause);
  }

  /**
   * One pass of the timer: tries every message that is due, soonest first, each at most once
   * (a failed one moves behind the others, so failing messages cannot hold back newer ones).
   */
  async deliverPending(): Promise<{ sent: number; failed: number }> {
    const tried = new Set<string>();
    const summary = { sent: 0, failed: 0 };
    for (;;) {
      const page = await this.container.query({
        where: {
          and: [
            { field: 'status', op: 'eq', value: 'pending' },
            { field: 'nextAttemptAt', op: 'lte', value: this.now().toISOString() },
          ],
        },
        orderBy: [{ field: 'nextAttemptAt' }],
        limit: PAGE,
      });
      // A message whose claim or outcome could not be written is still due: stop rather than loop on it.
      const fresh = page.items.filter((record) => !tried.has(record.id));
      if (!fresh.length) return summary;
      for (const record of fresh) tried.add(record.id);
      for (const outcome of await Promise.all(fresh.map((record) => this.attempt(record)))) {
        if (outcome === 'sent') summary.sent++;
        else if (outcome === 'failed') summary.failed++;
      }
    }
  }

  /** Newest first. */
  async list(options: { status?: OutboxStatus; limit: number; continuation?: string }): Promise<Page<OutboxView>> {
    const page = await this.container.query({
      ...(options.status ? { where: { field: 'status', op: 'eq', value: options.status } } : {}),
      orderBy: [{ field: 'createdAt', direction: 'desc' }],
      limit: options.limit,
      continuation: options.continuation,
    });
    return { items: page.items.map(toView), continuation: page.continuation };
  }

  /**
   * An admin's retry of a dead (or pending) message: its attempts start again from zero and it is
   * tried now. A 404 when there is no such message, a 409 when it was sent or an attempt is running.
   */
  async retry(id: string): Promise<OutboxView> {
    const record = await this.container.read(id, id);
    if (!record) throw new AppError('not_found', 'No such message in the outbox.');
    if (record.status === 'sent') throw new AppError('conflict', 'The message was already sent; it is not sent twice.');
    if (this.attempts.running(record)) throw new AppError('conflict', 'An attempt to send the message is running; try again in a few minutes.');
    try {
      await this.attempt(await this.container.replace(this.attempts.restarted(record), { ifMatch: record._etag }));
    } catch (error) {
      if (isStoreError(error, 'precondition_failed')) throw new AppError('conflict', 'The message changed meanwhile; look at it again.');
      throw error;
    }
    return toView((await this.container.read(id, id))!);
  }

  private async put(message: Pick<OutboxRecord, 'channel' | 'to' | 'subject' | 'text'>, cause: string): Promise<void> {
    // One cause may have an email and a WhatsApp message: one record each.
    const id = causeId(`${message.channel}:${cause}`);
    const now = this.now();
    let created: Stored<OutboxRecord>;
    try {
      // Created already claimed: the lease is this first attempt's.
      created = await this.container.create({ id, cause, ...message, status: 'pending', createdAt: now.toISOString(), attempts: 1, ...this.attempts.lease() });
    } catch (error) {
      if (!isStoreError(error, 'conflict')) throw error;
      // The same cause again (a re-run step): nothing new. Try it now only if it is still due.
      const existing = await this.container.read(id, id);
      if (existing?.status === 'pending' && existing.nextAttemptAt <= now.toISOString()) await this.attempt(existing);
      return;
    }
    await this.send(created);
  }

  /** Claims a due message (If-Match), then sends it; 'skipped' when another attempt got it first. */
  private async attempt(record: Stored<OutboxRecord>): Promise<'sent' | 'failed' | 'skipped'> {
    let claimed: Stored<OutboxRecord>;
    try {
      claimed = await this.container.replace({ ...record, attempts: record.attempts + 1, ...this.attempts.lease() }, { ifMatch: record._etag });
    } catch (error) {
      if (isStoreError(error, 'precondition_failed', 'not_found')) return 'skipped';
      this.logger.warn('Outbox: could not claim a message', { id: record.id, error: String(error) });
      return 'skipped';
    }
    return this.send(claimed);
  }

  private async send(claimed: Stored<OutboxRecord>): Promise<'sent' | 'failed'> {
    const to = claimed.channel === 'email' ? maskEmail(claimed.to) : maskPhone(claimed.to);
    let receipt: ProviderReceipt;
    try {
      receipt =
        claimed.channel === 'email'
          ? await this.senders.email.send({ to: claimed.to, subject: claimed.subject ?? '', text: claimed.text ?? '' }, claimed.id)
          : await this.senders.whatsapp.send({ to: claimed.to, text: claimed.text ?? '' }, claimed.id);
    } catch (error) {
      // Provider errors may quote the address; it is kept and shown masked like everywhere else.
      const lastError = String(error).replaceAll(claimed.to, to).slice(0, 300);
      const dead = this.attempts.exhausted(claimed.attempts);
      const { claimedUntil: _claim, ...released } = claimed;
      const next: OutboxRecord = dead
        ? { ...released, status: 'dead', deadAt: this.now().toISOString(), lastError }
        : { ...released, nextAttemptAt: this.attempts.retryAt(claimed.attempts), lastError };
      if (dead) this.logger.error('Outbox: message parked as dead after its last attempt', { id: claimed.id, channel: claimed.channel, to, attempts: claimed.attempts, error: lastError });
      else this.logger.warn('Outbox: delivery failed; it will be retried', { id: claimed.id, channel: claimed.channel, to, attempts: claimed.attempts, retryAt: next.nextAttemptAt, error: lastError });
      // If this write is lost the lease simply runs out and the message is tried again.
      await this.container.replace(next, { ifMatch: claimed._etag }).catch(() => undefined);
      return 'failed';
    }
    const { text: _sentText, lastError: _lastError, claimedUntil: _claim, ...rest } = claimed;
    try {
      await this.container.replace({ ...rest, status: 'sent', sentAt: this.now().toISOString(), receipt }, { ifMatch: claimed._etag });
    } catch (error) {
      // The residual at-least-once window: the provider has it, our mark did not land.
      this.logger.error('Outbox: sent, but marking it sent failed; it may be sent again when its lease ends', { id: claimed.id, channel: claimed.channel, to, error: String(error) });
    }
    this.logger.info('Outbox: message sent', { id: claimed.id, channel: claimed.channel, to, subject: claimed.subject, providerId: receipt.messageId });
    return 'sent';
  }
}

function toView(record: Stored<OutboxRecord>): OutboxView {
  return {
    id: record.id,
    cause: record.cause,
    channel: record.channel,
    status: record.status,
    to: record.channel === 'email' ? maskEmail(record.to) : maskPhone(record.to),
    subject: record.subject ?? null,
    createdAt: record.createdAt,
    attempts: record.attempts,
    nextAttemptAt: record.status === 'pending' ? record.nextAttemptAt : null,
    lastError: record.lastError ?? null,
    sentAt: record.sentAt ?? null,
    receipt: record.receipt ?? null,
    deadAt: record.deadAt ?? null,
  };
}
