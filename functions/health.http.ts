import { z } from 'zod';
import { publicAccess } from '../shared/http/auth';
import { checkReadiness } from '../shared/health/readiness';
import { appRoot, defineEndpoint } from '../shared/composition';

const liveness = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });

const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checkedAt: z.iso.datetime(),
  dependencies: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['up', 'down']),
      latencyMs: z.number(),
      error: z.string().optional(),
    }),
  ),
});

export const health = defineEndpoint({
  name: 'health',
  method: 'GET',
  route: 'health',
  summary: 'Liveness: the app is loaded and answering',
  tags: ['meta'],
  auth: publicAccess,
  responses: { 200: { description: 'The app is alive', schema: liveness } },
  handler: () => ({ body: { status: 'ok', uptimeSeconds: Math.round(process.uptime()) } }),
});

export const healthReady = defineEndpoint({
  name: 'healthReady',
  method: 'GET',
  route: 'health/ready',
  summary: 'Readiness: every dependency the app uses answers, with per-dependency status and latency',
  tags: ['meta'],
  auth: publicAccess,
  responses: {
    200: { description: 'Every dependency is up', schema: readiness },
    503: { description: 'At least one dependency is down; the body says which', schema: readiness },
  },
  handler: async () => {
    const report = await checkReadiness(appRoot().dependencyChecks());
    return { status: report.status === 'ready' ? 200 : 503, body: report };
  },
});
