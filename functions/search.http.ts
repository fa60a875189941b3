import { z } from 'zod';
import { findCertification, findSpecialization } from '../shared/domain/experts/taxonomy';
import { countryCode, currencyCode, INDUSTRIES, languageCode } from '../shared/domain/experts/profile-schema';
import { publicAccess } from '../shared/http/auth';
import { queryNumber } from '../shared/http/query';
import { idList, searchPaging } from '../shared/http/search-query';
import { expertSummary, expertSummarySchema } from '../shared/domain/search/expert-summary';
import type { ExpertResults } from '../shared/domain/search/expert-index';
import { defineEndpoint, search } from '../shared/composition';

export const autocomplete = defineEndpoint({
  name: 'searchAutocomplete',
  method: 'GET',
  route: 'v1/search/autocomplete',
  summary: 'Suggestions as you type: specializations, certifications, expert names and service titles, tolerant of small typos',
  description:
    'Prefix matching with one slip per word of four letters or more ("hacp" finds HACCP, "fmsa" finds FSMA). Expert names appear once their profile is public (verified and published), service titles once published by a public expert, within two seconds.',
  tags: ['search'],
  auth: publicAccess,
  query: z.object({
    q: z.string().trim().min(1, 'type at least one character').max(100),
    limit: queryNumber(z.number().int().min(1).max(20).default(8)),
  }),
  responses: {
    200: {
      description: 'Suggestions, best first',
      schema: z.object({ items: z.array(z.object({ kind: z.enum(['specialization', 'certification', 'expert', 'service']), id: z.string(), label: z.string(), score: z.number() })) }),
    },
  },
  handler: async ({ query }) => ({ headers: { 'Cache-Control': 'public, max-age=30' }, body: { items: await (await search()).service.autocomplete(query.q, query.limit) } }),
});

const searchQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    specializations: idList((id) => findSpecialization(id) !== undefined, 'specialization (GET /api/v1/specializations)'),
    specializationsMode: z.enum(['any', 'all']).default('any'),
    certifications: idList((id) => findCertification(id) !== undefined, 'certification'),
    industries: idList((id) => (INDUSTRIES as readonly string[]).includes(id), 'industry'),
    jurisdictions: idList((code) => /^([A-Z]{2}|EU)$/.test(code), 'jurisdiction (ISO 3166-1 alpha-2 or EU)'),
    languages: idList((code) => languageCode.safeParse(code).success, 'ISO 639-1 language'),
    country: countryCode.optional(),
    currency: currencyCode.optional(),
    minRate: queryNumber(z.number().min(0)).optional(),
    maxRate: queryNumber(z.number().min(0)).optional(),
    minRating: queryNumber(z.number().min(1).max(5)).optional(),
    availableFrom: z.iso.date().optional(),
    availableTo: z.iso.date().optional(),
    sort: z.enum(['relevance', 'rating', 'rate', 'rate_desc', 'responsiveness']).default('relevance'),
    limit: queryNumber(z.number().int().min(1).max(50).default(20)),
    cursor: z.string().max(500).optional(),
  })
  .refine((query) => query.currency || (query.minRate === undefined && query.maxRate === undefined && !query.sort.startsWith('rate')), {
    path: ['currency'],
    message: 'is needed to filter or sort by rate (rates are compared within one currency)',
  })
  .refine((query) => query.minRate === undefined || query.maxRate === undefined || query.minRate <= query.maxRate, { path: ['maxRate'], message: 'must not be below minRate' })
  .refine((query) => !query.availableFrom === !query.availableTo, { path: ['availableTo'], message: 'give availableFrom and availableTo together' })
  .refine((query) => !query.availableFrom || !query.availableTo || (query.availableFrom <= query.availableTo && Date.parse(query.availableTo) - Date.parse(query.availableFrom) <= 61 * 86_400_000), {
    path: ['availableTo'],
    message: 'must be on or after availableFrom, at most 62 days later',
  });

const facet = z.array(z.object({ value: z.string(), count: z.number() }));

export const searchExperts = defineEndpoint({
  name: 'searchExperts',
  method: 'GET',
  route: 'v1/search/experts',
  summary: 'Find public experts: words, filters, facets, sorts, cursor pages',
  description:
    'Words match names, headlines, bios, expertise (specialization and certification names with their synonyms and acronyms, so "FSVP" finds FSVP experts whose profiles never spell it out) and the titles and descriptions of the expert\'s published services; experts covering the specializations the words name rank higher. Lists take comma-separated values; a parent specialization matches its children. Only verified, published profiles; certifications count only while unexpired. Facet counts cover every match, not just the page.',
  tags: ['search'],
  auth: publicAccess,
  query: searchQuery,
  responses: {
    200: {
      description: 'A page of experts with facet counts',
      schema: z.object({
        items: z.array(expertSummarySchema.extend({ score: z.number() })),
        total: z.number(),
        facets: z.object({ specializations: facet, certifications: facet, industries: facet, jurisdictions: facet, languages: facet, country: facet }),
        nextCursor: z.string().nullable(),
      }),
    },
  },
  handler: async ({ query }) => {
    const paging = searchPaging(query);
    const results = await (await search()).service.experts(paging.search);
    return { raw: `${pageJson(results)},"nextCursor":${JSON.stringify(paging.nextCursor(results.next))}}`, contentType: 'application/json' };
  },
});

/** Each page of results is written as JSON once: the index answers a popular search with the same results object many times. */
const pagesJson = new WeakMap<ExpertResults, string>();

/** The page as JSON, without its closing brace (the cursor, which depends on the request, follows). */
function pageJson(results: ExpertResults): string {
  let json = pagesJson.get(results);
  if (json === undefined) {
    const items = results.items.map(({ expert, score }) => ({ ...expertSummary(expert), score: Math.round(score * 1000) / 1000 }));
    json = JSON.stringify({ items, total: results.total, facets: results.facets }).slice(0, -1);
    pagesJson.set(results, json);
  }
  return json;
}
