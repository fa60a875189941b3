import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcTypedData } from '../core-types';
import type { FunctionRegistry, RegisteredFunction } from '../function-registry';
import type { HostMetrics } from '../host-metrics';
import type { HttpHost } from '../http/http-host';
import type { Invoker } from '../invoker';
import type { HostLogger } from '../logger';
import { resolveSettingReference } from '../setting-reference';
import { LocalServiceBusBroker } from './broker';
import { parseEntitySettings } from './entity-settings';
import { EntityNotFoundError } from './errors';
import { parseRestMessages, toRestReceived, toRestView } from './rest-messages';
import { subscriptionPath } from './paths';
import type { OutgoingMessage } from './types';
import { ServiceBusDispatcher } from './dispatcher';
import { SettlementService } from './settlement-service';

export interface ServiceBusHostOptions {
  file: string;
  /** `LocalServiceBus.entities` from local.settings.json: per-entity settings by name or `topic/subscriptions/sub`. */
  entitySettings: Record<string, Record<string, unknown>>;
  maxConcurrentCalls: number;
  autoComplete: boolean;
}

/**
 * Service Bus for the local host: the broker, a dispatcher per triggered function, output
 * bindings, and the REST-style admin endpoints for sending messages and reading dead letters.
 */
export class ServiceBusHost {
  readonly broker: LocalServiceBusBroker;
  private readonly dispatchers: ServiceBusDispatcher[] = [];
  private readonly settlement: SettlementService;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger,
    private readonly metrics: HostMetrics,
    private readonly options: ServiceBusHostOptions,
  ) {
    this.broker = LocalServiceBusBroker.open(options.file);
    this.settlement = new SettlementService(this.broker, logger);
    invoker.outputHandlers.set('servicebus', (fn, name, data) => this.sendOutput(fn, name, data));
  }

  /** Creates the entities the app's triggers and outputs name, with their configured settings; serves settlement to SDK bindings. */
  async prepare(): Promise<void> {
    for (const [name, raw] of Object.entries(this.options.entitySettings)) {
      const { kind, settings } = parseEntitySettings(name, raw);
      const [topic, , subscription] = name.split('/');
      if (subscription) {
        this.broker.ensureSubscription(topic!, subscription, settings);
      } else if (kind === 'topic') {
        this.broker.ensureTopic(name, settings);
      } else {
        this.broker.ensureQueue(name, settings);
      }
    }
    const triggered = this.registry.byTriggerType('serviceBusTrigger');
    // `sdkBinding: true` in @azure/functions marks the trigger as deferred binding.
    const sdkBinding = (fn: RegisteredFunction) => (fn.trigger.properties as Record<string, unknown> | undefined)?.supportsDeferredBinding === 'true';
    if (triggered.some(sdkBinding)) this.logger.info(`Service Bus settlement for SDK bindings on ${await this.settlement.start()}`);
    for (const fn of triggered) {
      // A disabled function's entity still exists and keeps its messages, as in Azure; nobody receives them.
      const path = this.ensureTriggerEntity(fn);
      if (fn.disabled) continue;
      this.dispatchers.push(
        new ServiceBusDispatcher(this.broker, fn, path, this.invoker, this.logger, this.metrics, {
          maxConcurrentCalls: this.options.maxConcurrentCalls,
          autoComplete: fn.trigger.autoCompleteMessages !== false && this.options.autoComplete,
          cardinality: fn.trigger.cardinality === 'many' ? 'many' : 'one',
          settlement: sdkBinding(fn) ? this.settlement : null,
        }),
      );
    }
    for (const fn of this.registry.functions.values()) {
      for (const binding of Object.values(fn.metadata.bindings)) {
        if (binding.direction !== 'out' || (binding.type ?? '').toLowerCase() !== 'servicebus') continue;
        this.ensureSendEntity(binding.queueName, binding.topicName);
      }
    }
  }

  start(): void {
    for (const dispatcher of this.dispatchers) dispatcher.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.dispatchers.map((dispatcher) => dispatcher.stop()));
    await this.settlement.stop();
  }

  close(): void {
    this.broker.close();
  }

  /** The admin API's manual invocation: the input is the message body, handed to the function directly. */
  async invokeNow(fn: RegisteredFunction, input: unknown): Promise<void> {
    const body = typeof input === 'string' ? input : JSON.stringify(input ?? null);
    await this.invoker.invoke(fn, {
      trigger: { string: body },
      triggerMetadata: {
        MessageId: { string: randomUUID().replace(/-/g, '') },
        DeliveryCount: { int: 1 },
        EnqueuedTimeUtc: { json: JSON.stringify(new Date().toISOString()) },
      },
    });
  }

  addRoutes(http: HttpHost): void {
    http.addHostRoute(['GET'], 'admin/servicebus', (_req, res) =>
      json(
        res,
        200,
        this.broker.listEntities().map((entity) => ({ ...entity, ...(entity.kind === 'topic' ? {} : this.broker.stats(entity.path)) })),
      ),
    );
    http.addHostRoute(['POST'], 'admin/servicebus/{entity}/messages', (req, res, params) => this.ingest(req, res, params.entity!));
    http.addHostRoute(['DELETE'], 'admin/servicebus/{queue}/messages/head', (req, res, params) => this.receiveAndDelete(req, res, params.queue!));
    http.addHostRoute(['DELETE'], 'admin/servicebus/{topic}/subscriptions/{subscription}/messages/head', (req, res, params) =>
      this.receiveAndDelete(req, res, subscriptionPath(params.topic!, params.subscription!)),
    );
    http.addHostRoute(['GET'], 'admin/servicebus/{queue}/deadletter', (req, res, params) => this.readDeadLetters(req, res, params.queue!));
    http.addHostRoute(['GET'], 'admin/servicebus/{topic}/subscriptions/{subscription}/deadletter', (req, res, params) =>
      this.readDeadLetters(req, res, subscriptionPath(params.topic!, params.subscription!)),
    );
  }

  private ensureTriggerEntity(fn: RegisteredFunction): string {
    const queue = optionalSetting(fn.trigger.queueName);
    if (queue) {
      this.broker.ensureQueue(queue);
      return queue;
    }
    const topic = optionalSetting(fn.trigger.topicName);
    const subscription = optionalSetting(fn.trigger.subscriptionName);
    if (!topic || !subscription) throw new Error(`Function '${fn.name}': a Service Bus trigger needs queueName, or topicName and subscriptionName.`);
    this.broker.ensureTopic(topic);
    this.broker.ensureSubscription(topic, subscription);
    return subscriptionPath(topic, subscription);
  }

  private ensureSendEntity(queueName: unknown, topicName: unknown): string {
    const queue = optionalSetting(queueName);
    if (queue) {
      this.broker.ensureQueue(queue);
      return queue;
    }
    const topic = optionalSetting(topicName);
    if (!topic) throw new Error('A Service Bus output binding needs queueName or topicName.');
    this.broker.ensureTopic(topic);
    return topic;
  }

  private sendOutput(fn: RegisteredFunction, bindingName: string, data: RpcTypedData): void {
    const binding = fn.metadata.bindings[bindingName]!;
    const entity = optionalSetting(binding.queueName) ?? optionalSetting(binding.topicName)!;
    this.broker.send(entity, outputMessages(data));
  }

  /** Service Bus REST "Send message" / "Send batch": 201 Created; duplicates are accepted and dropped. */
  private async ingest(req: IncomingMessage, res: ServerResponse, entity: string): Promise<void> {
    let messages: OutgoingMessage[];
    try {
      messages = await parseRestMessages(req);
    } catch (error) {
      return json(res, 400, { Message: (error as Error).message });
    }
    try {
      const result = this.broker.send(entity, messages);
      res.writeHead(201, { 'content-length': '0', 'x-local-accepted': String(result.accepted), 'x-local-duplicates': String(result.duplicates) }).end();
    } catch (error) {
      if (error instanceof EntityNotFoundError) return json(res, 404, { Message: error.message });
      throw error;
    }
  }

  /**
   * Service Bus REST "Receive and Delete Message": 200 with the first message, or 204 when none
   * arrives within `timeout` seconds (60 by default, as the REST API; at most 60 here). For a
   * consumer outside the app, such as a test reading what the app published to a subscription.
   */
  private async receiveAndDelete(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const requested = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('timeout') ?? 60);
    const deadline = Date.now() + (Number.isFinite(requested) && requested > 0 ? Math.min(requested, 60) * 1000 : 0);
    try {
      for (;;) {
        const message = this.broker.receiveAndDelete(path);
        if (message) {
          const { headers, body } = toRestReceived(message);
          res.writeHead(200, { ...headers, 'content-length': body.length }).end(body);
          return;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          res.writeHead(204, { 'content-length': '0' }).end();
          return;
        }
        await this.messageAvailable(path, left);
      }
    } catch (error) {
      if (error instanceof EntityNotFoundError) return json(res, 404, { Message: error.message });
      throw error;
    }
  }

  /** Resolves when `path` may have a message: one was sent or abandoned to it, a scheduled one or a lock comes due, or `maxMs` passed. */
  private messageAvailable(path: string, maxMs: number): Promise<void> {
    const next = this.broker.nextVisibleAt(path);
    const wait = next ? Math.min(maxMs, Math.max(0, next.getTime() - Date.now())) : maxMs;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      };
      const timer = setTimeout(done, wait);
      const unsubscribe = this.broker.onMessageAvailable((available) => {
        if (available.toLowerCase() === path.toLowerCase()) done();
      });
    });
  }

  private readDeadLetters(req: IncomingMessage, res: ServerResponse, path: string): void {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const limit = Math.min(Number(query.get('limit') ?? 100) || 100, 1000);
    try {
      json(res, 200, this.broker.peekDeadLetters(path, { limit }).map(toRestView));
    } catch (error) {
      if (error instanceof EntityNotFoundError) return json(res, 404, { Message: error.message });
      throw error;
    }
  }
}

function optionalSetting(value: unknown): string | undefined {
  return typeof value === 'string' && value ? resolveSettingReference(value) : undefined;
}

/** An output value becomes one message, or one per element when the function returned an array. */
export function outputMessages(data: RpcTypedData): OutgoingMessage[] {
  const toBody = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  if (data.bytes) return [{ body: Buffer.from(data.bytes) }];
  if (typeof data.string === 'string') return [{ body: Buffer.from(data.string) }];
  if (typeof data.json === 'string') {
    const value: unknown = JSON.parse(data.json);
    return Array.isArray(value) ? value.map((item) => ({ body: toBody(item) })) : [{ body: toBody(value) }];
  }
  if (data.collectionString?.string) return data.collectionString.string.map((item) => ({ body: Buffer.from(item) }));
  if (typeof data.int === 'number' || typeof data.double === 'number') return [{ body: toBody(data.int ?? data.double) }];
  return [];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}
