import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { durableRuntime } from '../adapters/durable/durable-runtime';
import { getConfig } from '../config';
import type { WorkflowRuntime } from '../domain/workflows/supervision';
import { endpointKit } from '../http/endpoint';
import { type App, composeApp } from './root';

let root: App | undefined;

/** This process's app, composed from its settings on first use. */
export function appRoot(): App {
  root ??= composeApp(getConfig());
  return root;
}

/** The app's endpoint kit: every HTTP function is declared with it. */
export const { defineEndpoint } = endpointKit({ settings: () => getConfig().http, services: () => appRoot().endpoints() });

// Each area's module, for the functions of that area.
export const identity = () => appRoot().identity();
export const notifications = () => appRoot().notifications();
export const realtime = () => appRoot().realtime();
export const experts = () => appRoot().experts();
export const search = () => appRoot().search();
export const workflows = () => appRoot().workflows();
export const rfq = () => appRoot().rfq();

/**
 * The app setting Service Bus triggers and output bindings connect with: in Azure its
 * `__fullyQualifiedNamespace` and `__credential` parts (Bicep sets them, managed identity);
 * the local host serves every Service Bus binding from its own broker whatever the name.
 */
export const SERVICE_BUS_CONNECTION = 'ServiceBusConnection';

/** Service Bus SDK-type bindings (`sdkBinding: true`): register the factory once in the function file, then settle each message. */
export { registerServiceBusMessageFactory, type ServiceBusMessageContext } from '../adapters/servicebus/message-context';
export const events = () => appRoot().events();

/** The Durable client input binding, for functions that start or signal orchestrations. */
export const durableClientInput = df.input.durableClient();

/** The workflow runtime of an invocation that declares `durableClientInput`; its client is made only when a workflow is touched. */
export function workflowRuntime(context: InvocationContext): WorkflowRuntime {
  let runtime: WorkflowRuntime | undefined;
  const client = () => (runtime ??= durableRuntime(df.getClient(context)));
  return {
    state: (instanceId) => client().state(instanceId),
    start: (orchestration, instanceId, input) => client().start(orchestration, instanceId, input),
    terminate: (instanceId, reason) => client().terminate(instanceId, reason),
    raise: (instanceId, event, data) => client().raise(instanceId, event, data),
  };
}
