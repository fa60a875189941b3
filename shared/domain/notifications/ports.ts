/** What the notifications area needs of its providers: mail (SendGrid, files) and WhatsApp (Twilio, files). */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** What a provider answered when it accepted a message: kept on the record it marks sent. */
export interface ProviderReceipt {
  provider: string;
  /** The provider's id of the message (SendGrid's X-Message-Id, Twilio's SID, the local file). */
  messageId: string | null;
  status: string;
}

/** Delivers one email: SendGrid in Azure, files under the data dir locally. */
export interface Mailer {
  send(message: MailMessage, id: string): Promise<ProviderReceipt>;
}

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
