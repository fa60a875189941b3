/**
 * The mail-port contract (shared/domain/notifications/ports.ts `Mailer`): what a recipient
 * receives, the receipt the outbox keeps, what the outbox id does, and how a refusal surfaces.
 * Run against SendGrid's adapter on a local fake of its Mail Send API (mail-sendgrid.test.ts) and
 * against the local file twin (mail-files.test.ts).
 *
 * The outbox (outbox.ts) sends each message under its id, keeps the receipt when the send
 * resolves, and retries any rejection with backoff until it parks the message as dead, recording
 * `String(error)` for an admin. The port does not tell retryable failures from permanent ones:
 * every rejection is retried, so the promise here is that a refusal rejects, says why, and
 * delivers nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Mailer } from '../../shared/domain/notifications/ports';

/** What one recipient received, as the provider (or the local file) shows it. */
export interface DeliveredMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  /** The outbox id the message carries, to tell a resent twin apart. */
  outboxId: string;
  /** The provider's id of the message (the receipt's `messageId`). */
  providerId: string;
}

export interface MailHarness {
  /** An adapter configured to send from `MAIL_FROM`. */
  mailer: Mailer;
  /** Everything delivered through this harness so far. */
  delivered(): Promise<DeliveredMail[]>;
  /** A mailer whose provider refuses every message, and what its refusal says. */
  refusing(): Promise<{ mailer: Mailer; reason: RegExp }>;
}

export interface MailContractOptions {
  /**
   * What a second send under the same outbox id does (the outbox resends after a crash between
   * the provider's acceptance and its own sent mark): `once`, the adapter keeps one message per id
   * and answers with the first receipt; `again`, the provider takes no idempotency key, so the
   * message is delivered again, carrying the same outbox id.
   */
  resend: 'once' | 'again';
}

export const MAIL_FROM = 'no-reply@foodxchange.dev';

const verified = {
  to: 'maria.garcia@example.com',
  subject: 'Your profile is verified ✅',
  text: 'Hola María,\n\nyour profile now carries the verified badge.\nSee it: https://app.foodxchange.dev/experts/e-1?tab=badge&lang=es\n',
};

export function mailerContract(adapterName: string, open: () => Promise<MailHarness>, options: MailContractOptions): void {
  describe(`mail contract: ${adapterName}`, () => {
    let harness: MailHarness;
    beforeEach(async () => {
      harness = await open();
    });

    it('delivers to the recipient the subject and text as written, from the configured sender', async () => {
      await harness.mailer.send(verified, 'outbox-1');
      expect(await harness.delivered()).toEqual([expect.objectContaining({ ...verified, from: MAIL_FROM })]);
    });

    it('answers with a receipt naming the provider and its id of the message, and the message carries the outbox id', async () => {
      const receipt = await harness.mailer.send(verified, 'outbox-2');
      const [delivered] = await harness.delivered();
      expect(receipt).toEqual({ provider: expect.stringMatching(/\S/), messageId: delivered!.providerId, status: expect.stringMatching(/\S/) });
      expect(delivered!.outboxId).toBe('outbox-2');
    });

    it('delivers two messages with the same text under different ids as two messages', async () => {
      await harness.mailer.send(verified, 'outbox-3');
      await harness.mailer.send(verified, 'outbox-4');
      expect((await harness.delivered()).map((mail) => mail.outboxId).sort()).toEqual(['outbox-3', 'outbox-4']);
    });

    if (options.resend === 'once') {
      it('keeps a resend under the same outbox id to one message, answering with the first receipt', async () => {
        const first = await harness.mailer.send(verified, 'outbox-5');
        const again = await harness.mailer.send(verified, 'outbox-5');
        expect(again).toEqual(first);
        expect(await harness.delivered()).toHaveLength(1);
      });
    } else {
      it('delivers a resend under the same outbox id again, carrying the same id, so the twin can be told apart', async () => {
        await harness.mailer.send(verified, 'outbox-5');
        await harness.mailer.send(verified, 'outbox-5');
        expect((await harness.delivered()).map((mail) => mail.outboxId)).toEqual(['outbox-5', 'outbox-5']);
      });
    }

    it('rejects a message its provider refuses, saying why in what the outbox records, and delivers nothing', async () => {
      const { mailer, reason } = await harness.refusing();
      const failure = await mailer.send(verified, 'outbox-6').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(String(failure)).toMatch(reason);
      expect(await harness.delivered()).toEqual([]);
    });
  });
}
