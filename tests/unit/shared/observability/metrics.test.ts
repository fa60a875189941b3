import { describe, expect, it, vi } from 'vitest';
import { publicAccess } from '../../../../shared/http/auth';
import { testEndpointKit } from '../../../helpers/endpoint-kit';
import { recordInvocationError, recordMessageDeadLettered, recordMessageDelivered } from '../../../../shared/observability/metrics';
import { metrics as metricsHandler } from '../../../../functions/metrics.http';
import { call } from '../../../helpers/http-client';

const { createHandler } = testEndpointKit();

vi.hoisted(() => {
  // Outside the Functions runtime app.http only warns that it skips registration.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

describe('GET /api/metrics', () => {
  it('exposes the recorded series in the Prometheus text format', async () => {
    const common = { method: 'GET', route: 'v1/m', summary: 's', tags: ['t'], auth: publicAccess, responses: {} } as const;
    await call(createHandler({ ...common, name: 'okFn', handler: () => ({ body: 1 }) }));
    await call(
      createHandler({
        ...common,
        name: 'failingFn',
        handler: () => {
          throw new Error('x');
        },
      }),
    );
    recordMessageDelivered('rfqReceived', 'rfq-events');
    recordMessageDeadLettered('rfq-events');
    recordInvocationError('rfqReceived', 'serviceBusTrigger');

    const { response } = await call(metricsHandler, { url: 'http://localhost/api/metrics' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    expect(text).toContain('http_requests_total{function="okFn",method="GET",status="200"} 1');
    expect(text).toContain('http_requests_total{function="failingFn",method="GET",status="500"} 1');
    expect(text).toMatch(/http_request_duration_seconds_count\{function="okFn",method="GET",status="200"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.005",function="okFn",method="GET",status="200"\} \d/);
    expect(text).toContain('function_invocation_errors_total{function="failingFn",trigger="http"} 1');
    expect(text).toContain('function_invocation_errors_total{function="rfqReceived",trigger="serviceBusTrigger"} 1');
    expect(text).toContain('servicebus_messages_delivered_total{function="rfqReceived",entity="rfq-events"} 1');
    expect(text).toContain('servicebus_messages_dead_lettered_total{entity="rfq-events"} 1');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });
});
