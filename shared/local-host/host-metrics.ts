import { Counter, Histogram, Registry } from 'prom-client';

/** The host's own telemetry (what Application Insights shows for the real host), at /admin/metrics. */
export class HostMetrics {
  readonly registry = new Registry();
  private readonly invocations = new Counter({
    name: 'host_function_invocations_total',
    help: 'Function invocations by function, trigger type and outcome',
    labelNames: ['function', 'trigger', 'status'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'host_function_duration_seconds',
    help: 'Function invocation duration',
    labelNames: ['function', 'trigger'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'host_servicebus_deliveries_total',
    help: 'Service Bus messages delivered to functions, by entity path and outcome',
    labelNames: ['entity', 'outcome'],
    registers: [this.registry],
  });
  private readonly deadLetters = new Counter({
    name: 'host_servicebus_dead_letters_total',
    help: 'Service Bus messages moved to a dead-letter sub-queue, by entity path and reason',
    labelNames: ['entity', 'reason'],
    registers: [this.registry],
  });

  /** Labelled series are looked up once per label set: label hashing per call showed in profiles. */
  private readonly series = new Map<string, { count: { inc(): void }; duration: { observe(value: number): void } }>();

  recordInvocation(fn: string, trigger: string, status: 'succeeded' | 'failed', durationMs: number): void {
    const key = `${fn}\u0000${trigger}\u0000${status}`;
    let series = this.series.get(key);
    if (!series) {
      series = { count: this.invocations.labels(fn, trigger, status), duration: this.duration.labels(fn, trigger) };
      this.series.set(key, series);
    }
    series.count.inc();
    series.duration.observe(durationMs / 1000);
  }

  recordDelivery(entity: string, outcome: 'completed' | 'abandoned' | 'dead-lettered'): void {
    this.deliveries.inc({ entity, outcome });
  }

  recordDeadLetter(entity: string, reason: string): void {
    this.deadLetters.inc({ entity, reason });
  }
}
