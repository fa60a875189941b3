import { z } from 'zod';
import { findCertification, findSpecialization } from '../shared/domain/experts/taxonomy';
import { countryCode, currencyCode, INDUSTRIES, languageCode } from '../shared/domain/experts/profile-schema';
import { expertEventTally } from '../shared/expert-services-container';
import { publicAccess } from '../shared/http/auth';
import { defineEndpoint } from '../shared/http/endpoint';
import { decodeCursor, encodeCursor } from '../shared/http/pagination';
import { strongEtag } from '../shared/http/etag';
import { AppError } from '../shared/errors';
import { queryList, queryNumber } from '../shared/http/query';
import { getSearchFeed } from '../shared/search-container';
import { expertSummary } from '../shared/domain/search/expert-summary';

export const autocomplete = defineEndpoint({
  name: 'searchAutocomplete',
  method: 'GET',
  route: 'v1/search/autocomplete',
  summary: 'Suggestions as you type: specializations, certifications and expert names, tolerant of small typos',
  description: 'Prefix matching with one slip per word of four letters or more ("hacp" finds HACCP, "fmsa" finds FSMA). Expert names appear once their profile is public (verified and published), within two seconds.',
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
  handler: async ({ query }) => ({ headers: { 'Cache-Control': 'public, max-age=30' }, body: { items: (await getSearchFeed()).autocomplete.suggest(query.q, query.limit) } }),
});

/** A comma-separated or repeated list of known ids. */
const idList = (known: (id: string) => boolean, what: string) =>
  queryList(z.string())
    .transform((values) => values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(known, `is not a known ${what}`)).max(20))
    .optional();

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
    sort: z.enum(['relevance', 'rating', 'rate', 'rate_desc']).default('relevance'),
    limit: queryNumber(z.number().int().min(1).max(50).default(20)),
    cursor: z.string().max(500).optional(),
  })
  .refine((query) => query.currency || (query.minRate === undefined && query.maxRate === undefined && !query.sort.startsWith('rate')), {
    path: ['currency'],
    message: 'is needed to filter or sort by rate (rates are compared within one currency)',
  })
  .refine((query) => !query.availableFrom === !query.availableTo, { path: ['availableTo'], message: 'give availableFrom and availableTo together' })
  .refine((query) => !query.availableFrom || !query.availableTo || (query.availableFrom <= query.availableTo && Date.parse(query.availableTo) - Date.parse(query.availableFrom) <= 61 * 86_400_000), {
    path: ['availableTo'],
    message: 'must be on or after availableFrom, at most 62 days later',
  });

const cursorSchema = z.object({ value: z.number(), id: z.string(), query: z.string() });
const facet = z.array(z.object({ value: z.string(), count: z.number() }));

export const searchExperts = defineEndpoint({
  name: 'searchExperts',
  method: 'GET',
  route: 'v1/search/experts',
  summary: 'Find public experts: words, filters, facets, sorts, cursor pages',
  description:
    'Words match names, headlines, bios and expertise (specialization and certification names with their synonyms and acronyms, so "FSVP" finds FSVP experts whose profiles never spell it out); experts covering the specializations the words name rank higher. Lists take comma-separated values; a parent specialization matches its children. Only verified, published profiles; certifications count only while unexpired. Facet counts cover every match, not just the page.',
  tags: ['search'],
  auth: publicAccess,
  query: searchQuery,
  responses: {
    200: {
      description: 'A page of experts with facet counts',
      schema: z.object({
        items: z.array(z.object({ id: z.string(), name: z.string(), headline: z.string(), country: z.string(), languages: z.array(z.string()), rate: z.object({ amount: z.number(), currency: z.string() }), rating: z.object({ average: z.number(), count: z.number() }), specializations: z.array(z.string()), certifications: z.array(z.string()), score: z.number() })),
        total: z.number(),
        facets: z.object({ specializations: facet, certifications: facet, industries: facet, jurisdictions: facet, languages: facet, country: facet }),
        nextCursor: z.string().nullable(),
      }),
    },
  },
  handler: async ({ query }) => {
    const { cursor, ...rest } = query;
    // A cursor continues the query that produced it, and only that one.
    const fingerprint = strongEtag(rest);
    const after = cursor ? decodeCursor(cursor, cursorSchema) : undefined;
    if (after && after.query !== fingerprint) throw new AppError('validation', 'The cursor belongs to another query; start again from the first page.', { issues: [{ field: 'query.cursor', message: 'belongs to another query' }] });
    const results = (await getSearchFeed()).experts.search({ ...rest, ...(after ? { after: { value: after.value, id: after.id } } : {}) });
    // Each expert on the page appeared in a search (their analytics), written in batches.
    const tally = expertEventTally();
    for (const { expert } of results.items) tally.add(expert.id, 'searchAppearance');
    await tally.flushIfDue();
    return {
      body: {
        items: results.items.map(({ expert, score }) => ({ ...expertSummary(expert), score: Math.round(score * 1000) / 1000 })),
        total: results.total,
        facets: results.facets,
        nextCursor: results.next ? encodeCursor({ ...results.next, query: fingerprint }) : null,
      },
    };
  },
});
