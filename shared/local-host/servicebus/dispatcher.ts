import type { RpcTypedData } from '../core-types';
import type { RegisteredFunction } from '../function-registry';
import type { HostMetrics } from '../host-metrics';
import type { Invoker } from '../invoker';
import type { HostLogger } from '../logger';
import { SDK_BINDING_CONTENT_TYPE, SDK_BINDING_SOURCE, sdkBindingContent } from './amqp-encoding';
import type { LocalServiceBusBroker } from './broker';
import type { SettlementService } from './settlement-service';
import type { BrokerMessage, ReceivedMessage } from './types';

export interface DispatcherOptions {
  maxConcurrentCalls: number;
  autoComplete: boolean;
  cardinality: 'one' | 'many';
  /**
   * `sdkBinding: true`: the function gets the messages as model binding data and may settle
   * them itself through the settlement service; what it leaves unsettled is settled as usual.
   */
  settlement: SettlementService | null;
}

const MAX_BATCH = 32;

/**
 * Delivers one entity's messages to one function with peek-lock, like the Service Bus
 * extension's message pump: success completes the message, a failure abandons it so it comes
 * back with deliveryCount + 1 until the broker dead-letters it.
 */
export class ServiceBusDispatcher {
  private inFlight = 0;
  private readonly active = new Set<Promise<void>>();
  private stopped = true;
  private wakeTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly maxDeliveryCount: number;

  constructor(
    private readonly broker: LocalServiceBusBroker,
    readonly fn: RegisteredFunction,
    readonly path: string,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger,
    private readonly metrics: HostMetrics,
    private readonly options: DispatcherOptions,
  ) {
    const entity = broker.listEntities().find((candidate) => candidate.path.toLowerCase() === path.toLowerCase());
    this.maxDeliveryCount = entity && 'maxDeliveryCount' in entity.settings ? entity.settings.maxDeliveryCount : 10;
  }

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.broker.onMessageAvailable((path) => {
      if (path.toLowerCase() === this.path.toLowerCase()) this.pump();
    });
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.wakeTimer);
    await Promise.all([...this.active]);
  }

  private pump(): void {
    if (this.stopped) return;
    clearTimeout(this.wakeTimer);
    while (!this.stopped && this.inFlight < this.options.maxConcurrentCalls) {
      if (this.options.cardinality === 'many') {
        const batch = this.broker.receive(this.path, MAX_BATCH);
        if (batch.length === 0) break;
        this.track(this.deliver(batch));
      } else {
        const messages = this.broker.receive(this.path, this.options.maxConcurrentCalls - this.inFlight);
        if (messages.length === 0) break;
        for (const message of messages) this.track(this.deliver([message]));
      }
    }
    this.armWakeUp();
  }

  private track(work: Promise<void>): void {
    this.inFlight++;
    this.active.add(work);
    void work.finally(() => {
      this.inFlight--;
      this.active.delete(work);
      this.pump();
    });
  }

  /** Scheduled messages and expiring locks become visible without a send: wake up for them. */
  private armWakeUp(): void {
    const next = this.broker.nextVisibleAt(this.path);
    if (!next || this.stopped) return;
    const wait = Math.max(0, Math.min(next.getTime() - Date.now(), 2 ** 31 - 1));
    this.wakeTimer = setTimeout(() => this.pump(), wait);
    this.wakeTimer.unref();
  }

  private async deliver(messages: ReceivedMessage[]): Promise<void> {
    const { settlement, cardinality } = this.options;
    for (const message of messages) settlement?.track(message.lockToken, this.path);
    // As the extension does: a message the function settled itself is left alone.
    const unsettled = () => (settlement ? messages.filter((message) => settlement.release(message.lockToken)) : messages);
    try {
      await this.invoker.invoke(this.fn, settlement ? sdkTriggerInput(messages, cardinality) : triggerInput(messages, cardinality));
    } catch {
      for (const message of unsettled()) this.settle(message, 'abandon');
      return;
    }
    const left = unsettled();
    if (this.options.autoComplete) for (const message of left) this.settle(message, 'complete');
  }

  private settle(message: ReceivedMessage, action: 'complete' | 'abandon'): void {
    try {
      if (action === 'complete') {
        this.broker.complete(this.path, message.lockToken);
        this.metrics.recordDelivery(this.path, 'completed');
        return;
      }
      this.broker.abandon(this.path, message.lockToken);
      const exhausted = message.deliveryCount >= this.maxDeliveryCount;
      this.metrics.recordDelivery(this.path, exhausted ? 'dead-lettered' : 'abandoned');
      if (exhausted) {
        this.metrics.recordDeadLetter(this.path, 'MaxDeliveryCountExceeded');
        this.logger.warn(`Message ${message.messageId} on '${this.path}' failed ${message.deliveryCount} times and is dead-lettered.`);
      }
    } catch (error) {
      // The lock expired while the function ran: the broker redelivers it, as Service Bus does.
      this.logger.warn(`Could not ${action} message ${message.messageId} on '${this.path}': ${(error as Error).message}`);
    }
  }
}

function body(message: BrokerMessage): RpcTypedData {
  const text = message.body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(message.body) ? { string: text } : { bytes: message.body };
}

/** Trigger data and metadata as the Service Bus extension sends them to the worker. */
export function triggerInput(messages: ReceivedMessage[], cardinality: 'one' | 'many') {
  if (cardinality === 'one') {
    const message = messages[0]!;
    return { trigger: body(message), triggerMetadata: metadata(message) };
  }
  const perMessage = messages.map(metadata);
  const arrayOf = (key: string): RpcTypedData => ({ json: JSON.stringify(perMessage.map((item) => rpcValue(item[key]))) });
  return {
    trigger: { collectionString: { string: messages.map((message) => message.body.toString('utf8')) } },
    triggerMetadata: Object.fromEntries(
      ['MessageId', 'DeliveryCount', 'EnqueuedTimeUtc', 'CorrelationId', 'SequenceNumber', 'ContentType', 'ApplicationProperties', 'UserProperties'].map((key) => [`${key}Array`, arrayOf(key)]),
    ),
  };
}

/** Trigger data of an SDK-type binding: each message as model binding data, with the same metadata. */
export function sdkTriggerInput(messages: ReceivedMessage[], cardinality: 'one' | 'many') {
  const modelBindingData = messages.map((message) => ({ version: '1.0', source: SDK_BINDING_SOURCE, contentType: SDK_BINDING_CONTENT_TYPE, content: sdkBindingContent(message) }));
  const { triggerMetadata } = triggerInput(messages, cardinality);
  return { trigger: cardinality === 'one' ? { modelBindingData: modelBindingData[0] } : { collectionModelBindingData: { modelBindingData } }, triggerMetadata };
}

function metadata(message: ReceivedMessage): Record<string, RpcTypedData> {
  const entries: Record<string, RpcTypedData> = {
    MessageId: { string: message.messageId },
    DeliveryCount: { int: message.deliveryCount },
    EnqueuedTimeUtc: { json: JSON.stringify(message.enqueuedTimeUtc.toISOString()) },
    SequenceNumber: { int: message.sequenceNumber },
    LockToken: { string: message.lockToken },
    ApplicationProperties: { json: JSON.stringify(message.applicationProperties) },
    UserProperties: { json: JSON.stringify(message.applicationProperties) },
  };
  if (message.expiresAtUtc) entries.ExpiresAtUtc = { json: JSON.stringify(message.expiresAtUtc.toISOString()) };
  if (message.correlationId !== undefined) entries.CorrelationId = { string: message.correlationId };
  if (message.contentType !== undefined) entries.ContentType = { string: message.contentType };
  if (message.sessionId !== undefined) entries.SessionId = { string: message.sessionId };
  if (message.subject !== undefined) entries.Subject = entries.Label = { string: message.subject };
  return entries;
}

function rpcValue(data: RpcTypedData | undefined): unknown {
  if (!data) return null;
  if (data.json !== undefined && data.json !== null) return JSON.parse(data.json);
  return data.string ?? data.int ?? null;
}
