import { publicAccess } from '../shared/http/auth';
import { defineEndpoint } from '../shared/http/endpoint';
import { metricsExposition } from '../shared/observability/metrics';

export const metrics = defineEndpoint({
  name: 'metrics',
  method: 'GET',
  route: 'metrics',
  summary: 'Prometheus metrics of this instance',
  tags: ['meta'],
  auth: publicAccess,
  responses: { 200: { description: 'Metrics in the Prometheus text format', contentType: 'text/plain; version=0.0.4' } },
  handler: async () => {
    const { contentType, text } = await metricsExposition();
    return { raw: text, contentType };
  },
});
