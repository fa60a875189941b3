/** Public types of the local Service Bus broker. */

export type ApplicationPropertyValue = string | number | boolean | null;
export type ApplicationProperties = Record<string, ApplicationPropertyValue>;

/** Settings of an entity that messages are received from (a queue or a subscription). */
export interface ReceiverSettings {
  /** Deliveries before a message is dead-lettered with `MaxDeliveryCountExceeded`. Service Bus default: 10. */
  maxDeliveryCount: number;
  /** How long a peek-lock lasts. Service Bus default: 1 minute. */
  lockDurationMs: number;
  /** Time to live applied to messages (the smaller of this and the message's own wins); `null` = never expire. */
  defaultMessageTimeToLiveMs: number | null;
  /** Move expired messages to the dead-letter sub-queue instead of dropping them. Default: false. */
  deadLetteringOnMessageExpiration: boolean;
}

/** Settings of an entity that messages are sent to (a queue or a topic). */
export interface SenderSettings {
  /** How long an accepted messageId is remembered to drop duplicates; 0 turns detection off. Default: 10 minutes. */
  duplicateDetectionWindowMs: number;
}

export type QueueSettings = ReceiverSettings & SenderSettings;
export type SubscriptionSettings = ReceiverSettings;
export type TopicSettings = SenderSettings;

export type EntityKind = 'queue' | 'topic' | 'subscription';

export type EntityInfo =
  | { kind: 'queue'; path: string; name: string; settings: QueueSettings }
  | { kind: 'topic'; path: string; name: string; settings: TopicSettings }
  | { kind: 'subscription'; path: string; name: string; topicName: string; settings: SubscriptionSettings };

export interface OutgoingMessage {
  body: Buffer;
  /** Default: 32 random hex digits. Used for duplicate detection. */
  messageId?: string;
  correlationId?: string;
  sessionId?: string;
  contentType?: string;
  subject?: string;
  timeToLiveMs?: number;
  /** A time in the future makes the message invisible until then. */
  scheduledEnqueueTimeUtc?: Date;
  applicationProperties?: ApplicationProperties;
}

export interface SendResult {
  accepted: number;
  /** Messages dropped because their messageId was already accepted within the duplicate-detection window. */
  duplicates: number;
  /** Sequence numbers of the accepted messages, in send order. */
  sequenceNumbers: number[];
}

/** What every stored message carries, whichever sub-queue it is in. */
export interface BrokerMessage {
  sequenceNumber: number;
  messageId: string;
  body: Buffer;
  deliveryCount: number;
  enqueuedTimeUtc: Date;
  expiresAtUtc: Date | null;
  correlationId?: string;
  sessionId?: string;
  contentType?: string;
  subject?: string;
  applicationProperties: ApplicationProperties;
}

export interface ReceivedMessage extends BrokerMessage {
  lockToken: string;
  lockedUntilUtc: Date;
}

export interface DeadLetteredMessage extends BrokerMessage {
  deadLetterReason?: string;
  deadLetterErrorDescription?: string;
  deadLetteredAtUtc: Date;
}

export interface DeadLetterOptions {
  reason?: string;
  description?: string;
}

export interface PeekOptions {
  /** Default: 100. */
  limit?: number;
  /** Inclusive lower bound. */
  fromSequenceNumber?: number;
}

export interface EntityStats {
  /** Visible now (neither locked nor scheduled in the future). Expired messages count until a receive sweeps them. */
  active: number;
  locked: number;
  scheduled: number;
  deadLetter: number;
}

export interface BrokerOptions {
  /** Clock in epoch milliseconds; tests inject one to move time without sleeping. */
  now?: () => number;
  /** SQLite busy timeout. Default: 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * Release the locks a previous process held (default true): that process is gone, so its messages must be
   * redelivered. Turn off only for a second, read-mostly connection to a file a live broker is using.
   */
  releaseLocksOnOpen?: boolean;
  /** Where an exception thrown by an `onMessageAvailable` listener goes. Default: console.error. */
  onListenerError?: (error: unknown) => void;
}

export type MessageAvailableListener = (entityPath: string) => void;
