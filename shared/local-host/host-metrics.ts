import { Counter, Registry } from 'prom-client';

/** One line of a scraped metric, in the shape prom-client's registry formats. */
interface ExportedValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Counts and a duration histogram for one (function, trigger, status) series, as plain numbers. */
class InvocationSeries {
  count = 0;
  sum = 0;
  readonly buckets = new Float64Array(DURATION_BUCKETS.length);

  constructor(readonly labels: { function: string; trigger: string; status: string }) {}

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    const index = DURATION_BUCKETS.findIndex((bound) => seconds <= bound);
    if (index >= 0) this.buckets[index]!++;
  }
}

/**
 * The host's own telemetry (what Application Insights shows for the real host), at /admin/metrics.
 * Invocations are counted on the hot path as plain numbers and turned into Prometheus series only
 * when scraped: prom-client's per-call label hashing showed in HTTP profiles.
 */
export class HostMetrics {
  readonly registry = new Registry();
  private readonly series = new Map<object, { succeeded: InvocationSeries; failed: InvocationSeries }>();
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

  constructor() {
    this.registry.registerMetric(this.exported('host_function_invocations_total', 'Function invocations by function, trigger type and outcome', 'counter', () => this.invocationValues()) as never);
    this.registry.registerMetric(this.exported('host_function_duration_seconds', 'Function invocation duration', 'histogram', () => this.durationValues()) as never);
  }

  /** `fn` is any object identifying the function (its registration); names come from `name`/`trigger`. */
  recordInvocation(fn: { name: string; trigger: { type?: string } }, status: 'succeeded' | 'failed', durationMs: number): void {
    let pair = this.series.get(fn);
    if (!pair) {
      const base = { function: fn.name, trigger: fn.trigger.type ?? 'unknown' };
      pair = { succeeded: new InvocationSeries({ ...base, status: 'succeeded' }), failed: new InvocationSeries({ ...base, status: 'failed' }) };
      this.series.set(fn, pair);
    }
    pair[status].observe(durationMs / 1000);
  }

  recordDelivery(entity: string, outcome: 'completed' | 'abandoned' | 'dead-lettered'): void {
    this.deliveries.inc({ entity, outcome });
  }

  recordDeadLetter(entity: string, reason: string): void {
    this.deadLetters.inc({ entity, reason });
  }

  private *allSeries(): Generator<InvocationSeries> {
    for (const pair of this.series.values()) {
      if (pair.succeeded.count) yield pair.succeeded;
      if (pair.failed.count) yield pair.failed;
    }
  }

  private invocationValues(): ExportedValue[] {
    return [...this.allSeries()].map((series) => ({ value: series.count, labels: series.labels }));
  }

  private durationValues(): ExportedValue[] {
    const values: ExportedValue[] = [];
    for (const series of this.allSeries()) {
      const labels = { function: series.labels.function, trigger: series.labels.trigger };
      let cumulative = 0;
      DURATION_BUCKETS.forEach((bound, index) => {
        cumulative += series.buckets[index]!;
        values.push({ metricName: 'host_function_duration_seconds_bucket', value: cumulative, labels: { ...labels, status: series.labels.status, le: bound } });
      });
      values.push({ metricName: 'host_function_duration_seconds_bucket', value: series.count, labels: { ...labels, status: series.labels.status, le: '+Inf' } });
      values.push({ metricName: 'host_function_duration_seconds_sum', value: series.sum, labels: { ...labels, status: series.labels.status } });
      values.push({ metricName: 'host_function_duration_seconds_count', value: series.count, labels: { ...labels, status: series.labels.status } });
    }
    return values;
  }

  /** A metric the registry formats like its own: prom-client calls `get()` at scrape time. */
  private exported(name: string, help: string, type: 'counter' | 'histogram', values: () => ExportedValue[]) {
    return {
      name,
      help,
      type,
      aggregator: 'sum',
      get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
      reset: () => this.series.clear(),
    };
  }
}
