import { z } from 'zod';
import { countryCode, currencyCode, INDUSTRIES, languageCode, plainText } from '../../experts/profile-schema';
import { findCertification, findSpecialization } from '../../experts/taxonomy';

/**
 * What a buyer (or an RFQ) asks the matcher for. Strict: an unknown field is refused rather than
 * ignored, and every id is checked against the taxonomy, so a typo is a 400 naming the field,
 * not a silently weaker match. The budget is hourly, in one currency.
 */
const knownIds = (known: (id: string) => unknown, what: string) =>
  z
    .array(z.string().refine((id) => known(id) !== undefined, `is not a known ${what}`))
    .max(20)
    .optional();

export function needSchema(today: () => string = () => new Date().toISOString().slice(0, 10)) {
  return z.strictObject({
    title: plainText(200).pipe(z.string().min(3, 'say in a few words what you need')),
    description: plainText(5000).optional(),
    specializations: knownIds(findSpecialization, 'specialization (GET /api/v1/specializations)'),
    certifications: knownIds(findCertification, 'certification (GET /api/v1/specializations)'),
    industry: z.enum(INDUSTRIES).optional(),
    jurisdictions: z
      .array(z.string().regex(/^([A-Z]{2}|EU)$/, 'must be an ISO 3166-1 alpha-2 country code or EU'))
      .max(20)
      .optional(),
    languages: z.array(languageCode).max(10).optional(),
    budget: z.strictObject({ amount: z.number().positive().max(100_000), currency: currencyCode }).optional(),
    deadline: z.iso
      .date()
      // The buyer's today and the server's can differ by a day across time zones; allow yesterday's UTC date.
      .refine((date) => Date.parse(date) >= Date.parse(today()) - 86_400_000, 'must not be in the past')
      .optional(),
    country: countryCode.optional(),
    limit: z.number().int().min(1).max(50).default(10),
  });
}

export type Need = z.output<ReturnType<typeof needSchema>>;
/** A need as callers write it (limit optional), for the in-process entry. */
export type NeedInput = z.input<ReturnType<typeof needSchema>>;
