/**
 * The WhatsApp-port contract (shared/domain/notifications/ports.ts `WhatsAppSender`): what the
 * recipient receives, the receipt the outbox keeps, what a resend under the same outbox id does,
 * and how a refusal surfaces. Run against Twilio's adapter on a local fake of its Messages API
 * (whatsapp-twilio.test.ts) and against the local file twin (whatsapp-files.test.ts).
 *
 * As with mail, the outbox retries every rejection until it parks the message as dead, recording
 * `String(error)`; the port does not tell retryable failures from permanent ones.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { WhatsAppSender } from '../../shared/domain/notifications/ports';

/** What the recipient received, as the provider (or the local file) shows it. */
export interface DeliveredWhatsApp {
  channel: string;
  to: string;
  from: string;
  text: string;
  /** The provider's id of the message (the receipt's `messageId`). */
  providerId: string;
}

export interface WhatsAppHarness {
  /** An adapter configured to send from `WHATSAPP_FROM`. */
  sender: WhatsAppSender;
  /** Everything delivered through this harness so far. */
  delivered(): Promise<DeliveredWhatsApp[]>;
  /** A sender whose provider refuses every message, and what its refusal says. */
  refusing(): Promise<{ sender: WhatsAppSender; reason: RegExp }>;
}

export interface WhatsAppContractOptions {
  /**
   * What a second send under the same outbox id does: `once`, the adapter keeps one message per
   * id and answers with the first receipt; `again`, the provider takes no idempotency key, so the
   * message is delivered again (at least once at the provider boundary, as the outbox documents).
   */
  resend: 'once' | 'again';
}

/** Twilio's WhatsApp sandbox sender, the default of TWILIO_WHATSAPP_FROM. */
export const WHATSAPP_FROM = '+14155238886';

const reminder = { to: '+525512345678', text: 'Hola María 👋 your PCQI certificate expires in 7 days (2027-03-31).\nRenew it: https://app.foodxchange.dev/experts/e-1/certifications' };

export function whatsAppSenderContract(adapterName: string, open: () => Promise<WhatsAppHarness>, options: WhatsAppContractOptions): void {
  describe(`WhatsApp contract: ${adapterName}`, () => {
    let harness: WhatsAppHarness;
    beforeEach(async () => {
      harness = await open();
    });

    it('delivers the text as written to the number on WhatsApp, from the configured sender', async () => {
      await harness.sender.send(reminder, 'outbox-1');
      expect(await harness.delivered()).toEqual([expect.objectContaining({ channel: 'whatsapp', to: reminder.to, from: WHATSAPP_FROM, text: reminder.text })]);
    });

    it('answers with a receipt naming the provider and its id of the message', async () => {
      const receipt = await harness.sender.send(reminder, 'outbox-2');
      const [delivered] = await harness.delivered();
      expect(receipt).toEqual({ provider: expect.stringMatching(/\S/), messageId: delivered!.providerId, status: expect.stringMatching(/\S/) });
    });

    it('delivers two messages with the same text under different ids as two messages', async () => {
      const first = await harness.sender.send(reminder, 'outbox-3');
      const second = await harness.sender.send(reminder, 'outbox-4');
      expect(second.messageId).not.toBe(first.messageId);
      expect(await harness.delivered()).toHaveLength(2);
    });

    if (options.resend === 'once') {
      it('keeps a resend under the same outbox id to one message, answering with the first receipt', async () => {
        const first = await harness.sender.send(reminder, 'outbox-5');
        expect(await harness.sender.send(reminder, 'outbox-5')).toEqual(first);
        expect(await harness.delivered()).toHaveLength(1);
      });
    } else {
      it('delivers a resend under the same outbox id again: at least once, never lost', async () => {
        await harness.sender.send(reminder, 'outbox-5');
        await harness.sender.send(reminder, 'outbox-5');
        expect((await harness.delivered()).map((message) => message.text)).toEqual([reminder.text, reminder.text]);
      });
    }

    it('rejects a message its provider refuses, saying why in what the outbox records, and delivers nothing', async () => {
      const { sender, reason } = await harness.refusing();
      const failure = await sender.send(reminder, 'outbox-6').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(String(failure)).toMatch(reason);
      expect(await harness.delivered()).toEqual([]);
    });
  });
}
