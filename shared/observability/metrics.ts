import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The app's Prometheus metrics, served at `GET /api/metrics`. One registry per process: each
 * instance is scraped on its own, so nothing here needs to agree across instances.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by function, method and status',
  labelNames: ['function', 'method', 'status'] as const,
  registers: [metricsRegistry],
});

const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by function, method and status',
  labelNames: ['function', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

const invocationErrors = new Counter({
  name: 'function_invocation_errors_total',
  help: 'Invocations that ended in an unexpected error, by function and trigger kind',
  labelNames: ['function', 'trigger'] as const,
  registers: [metricsRegistry],
});

const messagesDelivered = new Counter({
  name: 'servicebus_messages_delivered_total',
  help: 'Service Bus messages handed to a function, by function and entity',
  labelNames: ['function', 'entity'] as const,
  registers: [metricsRegistry],
});

const messagesDeadLettered = new Counter({
  name: 'servicebus_messages_dead_lettered_total',
  help: 'Service Bus messages moved to a dead-letter sub-queue, by entity',
  labelNames: ['entity'] as const,
  registers: [metricsRegistry],
});

const workflowRecoveries = new Counter({
  name: 'workflow_recoveries_total',
  help: 'Records the workflow watchdog reconciled, by workflow and action (woken, restarted, parked, gave_up, healthy)',
  labelNames: ['workflow', 'action'] as const,
  registers: [metricsRegistry],
});

export function recordWorkflowRecovery(workflow: string, action: string): void {
  workflowRecoveries.inc({ workflow, action });
}

export function recordHttpRequest(fn: string, method: string, status: number, seconds: number): void {
  const labels = { function: fn, method, status: String(status) };
  httpRequests.inc(labels);
  httpDuration.observe(labels, seconds);
}

export function recordInvocationError(fn: string, trigger: string): void {
  invocationErrors.inc({ function: fn, trigger });
}

export function recordMessageDelivered(fn: string, entity: string): void {
  messagesDelivered.inc({ function: fn, entity });
}

export function recordMessageDeadLettered(entity: string): void {
  messagesDeadLettered.inc({ entity });
}

/** The exposition text and the content type that goes with it. */
export async function metricsExposition(): Promise<{ contentType: string; text: string }> {
  return { contentType: metricsRegistry.contentType, text: await metricsRegistry.metrics() };
}
