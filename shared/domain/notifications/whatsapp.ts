import type { ProviderReceipt } from './outbox';

/** A WhatsApp message to one number (E.164, e.g. +14155550100). */
export interface WhatsAppMessage {
  to: string;
  text: string;
}

/**
 * Sends WhatsApp messages: Twilio in Azure, files under the data dir locally. Only to people who
 * opted in; WhatsApp is an extra channel beside email, never the only one. Callers go through the
 * outbox (`Outbox.enqueueWhatsApp`), which keeps each message once-only and retries it.
 */
export interface WhatsAppSender {
  send(message: WhatsAppMessage, id: string): Promise<ProviderReceipt>;
}
