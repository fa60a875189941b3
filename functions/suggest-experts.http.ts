import { z } from 'zod';
import { expertSummary, expertSummarySchema } from '../shared/domain/search/expert-summary';
import { FACTORS } from '../shared/domain/search/matching/scoring';
import { needSchema } from '../shared/domain/search/matching/need';
import { requireRoles } from '../shared/http/auth';
import { defineEndpoint, search } from '../shared/composition';

const concept = z.object({ id: z.string(), matched: z.string() });
const factor = z.object({ score: z.number(), weight: z.number() });

export const suggestExpertsEndpoint = defineEndpoint({
  name: 'suggestExperts',
  method: 'POST',
  route: 'v1/search/suggest-experts',
  summary: 'Suggest experts for a need: ranked, with a score, a breakdown by factor, reasons and cautions',
  description:
    'Reads the need with the taxonomy (specializations, certifications, jurisdictions by name, synonym or acronym), keeps experts who meet its hard requirements (a certification it names, held and current; a place-specific area such as EU organic; its explicit specializations, certifications and jurisdictions) and ranks them on text relevance, expertise, certifications, language, availability before the deadline, price against the hourly budget (same currency only), Bayesian rating, responsiveness, time-zone overlap and industry. When nobody meets the requirements, the nearest misses come back with `meetsRequirements: false` and cautions naming what is missing. `mode` says whether embedding similarity (`hybrid`) and a re-rank (`hybrid+rerank`) were used; `fallback` says why not when a configured service failed.',
  tags: ['search'],
  auth: requireRoles('client', 'agent', 'admin'),
  body: needSchema(),
  responses: {
    200: {
      description: 'Suggestions, best first',
      schema: z.object({
        mode: z.enum(['lexical', 'hybrid', 'hybrid+rerank']),
        fallback: z.string().optional(),
        need: z.object({ specializations: z.array(concept), certifications: z.array(concept), jurisdictions: z.array(concept), requirements: z.array(z.string()) }),
        items: z.array(
          z.object({
            expert: expertSummarySchema,
            score: z.number(),
            meetsRequirements: z.boolean(),
            breakdown: z.partialRecord(z.enum(Object.keys(FACTORS) as [keyof typeof FACTORS]), factor),
            reasons: z.array(z.string()).min(1),
            cautions: z.array(z.string()),
          }),
        ),
      }),
    },
  },
  handler: async ({ body }) => {
    const result = await (await search()).suggestions.suggest(body);
    return {
      body: {
        ...result,
        items: result.items.map(({ expert, ...item }) => ({ expert: expertSummary(expert), ...item })),
      },
    };
  },
});
