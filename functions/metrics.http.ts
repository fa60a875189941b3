import { publicAccess } from '../shared/http/auth';
import { metricsExposition } from '../shared/observability/metrics';
import { defineEndpoint } from '../shared/composition';

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
