import { z } from 'zod';
import type { IndexedExpert } from './expert-index';

/** What a list of experts shows of each (search results, suggestions): public profile facts only. */
export const expertSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  headline: z.string(),
  country: z.string(),
  languages: z.array(z.string()),
  rate: z.object({ amount: z.number(), currency: z.string() }),
  rating: z.object({ average: z.number(), count: z.number() }),
  /** Median hours to a first reply, when known. */
  responseHours: z.number().nullable(),
  specializations: z.array(z.string()),
  certifications: z.array(z.string()),
});

export function expertSummary(expert: IndexedExpert): z.output<typeof expertSummarySchema> {
  return {
    id: expert.id,
    name: expert.name,
    headline: expert.headline,
    country: expert.country,
    languages: expert.languages,
    rate: expert.rate,
    rating: { average: expert.rating.average, count: expert.rating.count },
    responseHours: expert.responseHours ?? null,
    specializations: expert.declaredSpecializationIds,
    certifications: expert.certificationIds,
  };
}
