import type { ModelBindingData } from '@azure/functions-extensions-base';
// `require`, not `import`: the package's ES build is another copy (and exports only a default), so a
// bundler following `import` would register the factory in a registry @azure/functions (CommonJS) never asks.
import extensionsBase = require('@azure/functions-extensions-base');
import { type AmqpMessage, decodeSdkBindingContent } from './amqp-decoding';
import { SettlementClient } from './settlement-client';

/**
 * SDK-type binding of the Service Bus trigger (`sdkBinding: true`, `autoCompleteMessages: false`):
 * the function receives the messages with actions that settle each one, dead-lettering with a
 * reason included, the mechanism the Azure Functions Node.js guide documents ("SDK types", Azure
 * Service Bus) through `@azure/functions-extensions-servicebus`. That package is not installable
 * here (see docs/rfq.md), so this module plays its part with the same shapes: it registers the
 * factory `@azure/functions` asks for binding data of source `AzureServiceBusReceivedMessage`
 * and settles through the host's Settlement service. Once the package is a dependency, importing
 * it first makes its own factory win (both register only when none is registered).
 */

export const SDK_BINDING_SOURCE = 'AzureServiceBusReceivedMessage';

export type ServiceBusReceivedMessage = AmqpMessage;

export interface ServiceBusMessageActions {
  complete(message: ServiceBusReceivedMessage): Promise<void>;
  abandon(message: ServiceBusReceivedMessage): Promise<void>;
  /** As the package's: the second argument (properties to change) is not supported here. */
  deadletter(message: ServiceBusReceivedMessage, propertiesToModify: undefined, deadletterReason: string, deadletterErrorDescription: string): Promise<void>;
  renewMessageLock(message: ServiceBusReceivedMessage): Promise<void>;
}

/** What an SDK-binding Service Bus function receives: the messages (always a list) and their actions. */
export interface ServiceBusMessageContext {
  messages: ServiceBusReceivedMessage[];
  actions: ServiceBusMessageActions;
}

export function registerServiceBusMessageFactory(client: SettlementClient = new SettlementClient()): void {
  const resolver = extensionsBase.ResourceFactoryResolver.getInstance();
  if (resolver.hasResourceFactory(SDK_BINDING_SOURCE)) return;
  const actions: ServiceBusMessageActions = {
    complete: (message) => client.complete(message.lockToken),
    abandon: (message) => client.abandon(message.lockToken),
    deadletter: (message, _properties, reason, description) => client.deadLetter(message.lockToken, reason, description),
    renewMessageLock: (message) => client.renewLock(message.lockToken),
  };
  resolver.registerResourceFactory(SDK_BINDING_SOURCE, (data) => ({
    messages: (Array.isArray(data) ? data : [data]).map((item: ModelBindingData) => {
      if (!item.content) throw new Error('The Service Bus binding data has no content.');
      return decodeSdkBindingContent(item.content);
    }),
    actions,
  }));
}
