import { z } from 'zod';
import { publicAccess } from '../shared/http/auth';
import { notModified, strongEtag } from '../shared/http/etag';
import { ancestry, certifications, specializations } from '../shared/domain/experts/taxonomy';
import { defineEndpoint } from '../shared/composition';

const certification = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  acronyms: z.array(z.string()),
  jurisdictions: z.array(z.string()).describe('ISO 3166-1 alpha-2 codes, EU, or GLOBAL'),
});

const taxonomy = z.object({
  specializations: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      parentId: z.string().nullable(),
      path: z.array(z.string()).describe('Ids from the root down to this specialization'),
      description: z.string(),
      synonyms: z.array(z.string()),
      acronyms: z.array(z.string()),
      certifications: z.array(z.string()).describe('Ids of certifications that evidence it'),
      jurisdictions: z.array(z.string()),
    }),
  ),
  certifications: z.array(certification),
});

// The taxonomy changes only with a deployment, so its representation and ETag are computed once.
const body = {
  specializations: specializations.map((entry) => ({
    ...entry,
    path: ancestry(entry.id)
      .map((node) => node.id)
      .reverse(),
  })),
  certifications,
};
const etag = strongEtag(body);

export const listSpecializations = defineEndpoint({
  name: 'listSpecializations',
  method: 'GET',
  route: 'v1/specializations',
  summary: 'The food-industry specialization taxonomy and the certifications that evidence each specialization',
  description: 'A hierarchy (parentId, path) with synonyms and acronyms, typical jurisdictions and related certifications. Cacheable: send If-None-Match with the ETag for a 304.',
  tags: ['experts'],
  auth: publicAccess,
  responses: {
    200: { description: 'The taxonomy', schema: taxonomy },
    304: { description: 'Unchanged since the ETag in If-None-Match' },
  },
  handler: ({ request }) => {
    const headers = { ETag: etag, 'Cache-Control': 'public, max-age=3600' };
    if (notModified(request, etag)) return { status: 304, headers };
    return { headers, body };
  },
});
