import { z } from 'zod';
import { AutocompleteFeed } from '../shared/domain/search/autocomplete-feed';
import { getExperts } from '../shared/experts-container';
import { publicAccess } from '../shared/http/auth';
import { defineEndpoint } from '../shared/http/endpoint';
import { queryNumber } from '../shared/http/query';

let feed: Promise<AutocompleteFeed> | undefined;
const autocompleteFeed = () => (feed ??= getExperts().then(({ profiles }) => new AutocompleteFeed(profiles)));

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
  handler: async ({ query }) => {
    const index = await (await autocompleteFeed()).fresh();
    return { headers: { 'Cache-Control': 'public, max-age=30' }, body: { items: index.suggest(query.q, query.limit) } };
  },
});
