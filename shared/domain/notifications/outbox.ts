import { randomUUID } from 'node:crypto';
import type { Container, Document } from '../../data/document-store';
import type { AppLogger } from '../../observability/app-logger';
import { maskEmail } from '../identity/secrets';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Delivers one email: SendGrid in Azure, files under the data dir locally. */
export interface Mailer {
  send(message: MailMessage, id: string): Promise<void>;
}

export interface OutboxRecord extends Document {
  status: 'pending' | 'sent';
  to: string;
  subject: string;
  /** Only while pending: links in it are single-use secrets, so the text is dropped once sent. */
  text?: string;
  createdAt: string;
  attempts: number;
  lastError?: string;
  sentAt?: string;
}

/**
 * The notifications outbox: a message is stored first, then delivered; one that fails stays
 * pending and the outbox timer retries it, so a mail outage never loses or blocks a request.
 */
export class Outbox {
  constructor(private readonly container: Container<OutboxRecord>, private readonly mailer: Mailer, private readonly logger: AppLogger) {}

  async enqueue(message: MailMessage): Promise<void> {
    const record = await this.container.create({ id: randomUUID(), status: 'pending', ...message, createdAt: new Date().toISOString(), attempts: 0 });
    await this.deliver(record);
  }

  /**
   * Retries what is still pending (called by the timer); returns how many were sent. Only
   * messages older than a minute: younger ones may still be in their first delivery.
   */
  async deliverPending(limit = 50): Promise<number> {
    const settled = new Date(Date.now() - 60_000).toISOString();
    const page = await this.container.query({
      where: { and: [{ field: 'status', op: 'eq', value: 'pending' }, { field: 'createdAt', op: 'lt', value: settled }] },
      orderBy: [{ field: 'createdAt' }],
      limit,
    });
    let sent = 0;
    for (const record of page.items) if (await this.deliver(record)) sent++;
    return sent;
  }

  private async deliver(record: OutboxRecord & { _etag: string }): Promise<boolean> {
    try {
      await this.mailer.send({ to: record.to, subject: record.subject, text: record.text ?? '' }, record.id);
    } catch (error) {
      this.logger.warn('Email delivery failed; it stays in the outbox', { id: record.id, to: maskEmail(record.to), error: String(error) });
      await this.container.patch(record.id, record.id, [{ op: 'increment', path: 'attempts', value: 1 }, { op: 'set', path: 'lastError', value: String(error).slice(0, 300) }]).catch(() => undefined);
      return false;
    }
    const { text: _sentText, ...rest } = record;
    await this.container.replace({ ...rest, status: 'sent', attempts: record.attempts + 1, sentAt: new Date().toISOString() }).catch(() => undefined);
    this.logger.info('Email sent', { id: record.id, to: maskEmail(record.to), subject: record.subject });
    return true;
  }
}
