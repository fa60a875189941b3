import { z } from 'zod';
import { countryCode, currencyCode, languageCode } from '../shared/domain/experts/profile-schema';
import { pricingSchema } from '../shared/domain/experts/services';
import { findSpecialization } from '../shared/domain/experts/taxonomy';
import { publicAccess } from '../shared/http/auth';
import { queryNumber } from '../shared/http/query';
import { idList, searchPaging } from '../shared/http/search-query';
import { defineEndpoint, search } from '../shared/composition';

/** The pricing models the services schema allows (fixed, hourly, packages). */
const PRICING_MODELS: string[] = pricingSchema.options.map((option) => option.shape.model.value);

const serviceSearchQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    specializations: idList((id) => findSpecialization(id) !== undefined, 'specialization (GET /api/v1/specializations)'),
    specializationsMode: z.enum(['any', 'all']).default('any'),
    pricingModel: idList((model) => PRICING_MODELS.includes(model), `pricing model (${PRICING_MODELS.join(', ')})`),
    currency: currencyCode.optional(),
    minPrice: queryNumber(z.number().min(0)).optional(),
    maxPrice: queryNumber(z.number().min(0)).optional(),
    maxDeliveryDays: queryNumber(z.number().int().min(1).max(365)).optional(),
    country: countryCode.optional(),
    languages: idList((code) => languageCode.safeParse(code).success, 'ISO 639-1 language'),
    minRating: queryNumber(z.number().min(1).max(5)).optional(),
    sort: z.enum(['relevance', 'price', 'price_desc', 'delivery', 'rating']).default('relevance'),
    limit: queryNumber(z.number().int().min(1).max(50).default(20)),
    cursor: z.string().max(500).optional(),
  })
  .refine((query) => query.currency || (query.minPrice === undefined && query.maxPrice === undefined && !query.sort.startsWith('price')), {
    path: ['currency'],
    message: 'is needed to filter or sort by price (prices are compared within one currency)',
  })
  .refine((query) => query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice, { path: ['maxPrice'], message: 'must not be below minPrice' });

const facet = z.array(z.object({ value: z.string(), count: z.number() }));

export const searchServices = defineEndpoint({
  name: 'searchServices',
  method: 'GET',
  route: 'v1/search/services',
  summary: 'Find published services of public experts: words, filters, facets, sorts, cursor pages',
  description:
    'Words match titles, descriptions and the specialization (its names, synonyms and acronyms, so "FSVP" finds FSVP services that never spell it out). Lists take comma-separated values; a parent specialization matches its children. fromPrice is the least the service costs: the fixed price, the cheapest tier, or the hourly rate times the estimated hours; price filters and sorts compare it within one currency. deliveryDays is the quickest delivery (the quickest tier). Expert filters (country, languages, minRating) apply to the service\'s expert. Only published services of verified, published experts. Facet counts cover every match, not just the page.',
  tags: ['search'],
  auth: publicAccess,
  query: serviceSearchQuery,
  responses: {
    200: {
      description: 'A page of services, each with a short summary of its expert, and facet counts',
      schema: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            description: z.string(),
            specializationId: z.string(),
            pricing: pricingSchema,
            currency: z.string(),
            fromPrice: z.number(),
            deliveryDays: z.number(),
            expert: z.object({ id: z.string(), name: z.string(), country: z.string(), rating: z.object({ average: z.number(), count: z.number() }) }),
            score: z.number(),
          }),
        ),
        total: z.number(),
        facets: z.object({ specializations: facet, pricingModel: facet, currency: facet, country: facet }),
        nextCursor: z.string().nullable(),
      }),
    },
  },
  handler: async ({ query }) => {
    const paging = searchPaging(query);
    const results = await (await search()).service.services(paging.search);
    return {
      body: {
        items: results.items.map(({ service, expert, score }) => ({
          id: service.id,
          title: service.title,
          description: service.description,
          specializationId: service.specializationId,
          pricing: service.pricing,
          currency: service.currency,
          fromPrice: service.fromPrice,
          deliveryDays: service.deliveryDays,
          expert: { id: expert.id, name: expert.name, country: expert.country, rating: { average: expert.rating.average, count: expert.rating.count } },
          score: Math.round(score * 1000) / 1000,
        })),
        total: results.total,
        facets: results.facets,
        nextCursor: paging.nextCursor(results.next),
      },
    };
  },
});
