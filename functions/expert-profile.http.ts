import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { profileInputSchema, profilePatchSchema } from '../shared/domain/experts/profile-schema';
import { ownerView, publicView } from '../shared/domain/experts/profile-view';
import { publicWithViewer, requireRoles } from '../shared/http/auth';
import { etagHeaders, notModified, requireIfMatch, strongEtag } from '../shared/http/etag';
import { defineEndpoint, experts } from '../shared/composition';

const tags = ['experts'];
const expertOnly = requireRoles('expert');
const profileSchema = z.object({ id: z.string(), name: z.string(), headline: z.string(), verified: z.boolean() }).loose().describe('The expert profile');
const idParams = z.object({ id: z.string().min(1).max(100) });

/** The If-Match check of a change, against the profile's current ETag. */
const ifMatchOf = (request: HttpRequest) => (etag: string) => requireIfMatch(request, strongEtag(etag));

const withEtag = (profile: Parameters<typeof ownerView>[0], status = 200) => ({ status, headers: etagHeaders(strongEtag(profile._etag)), body: ownerView(profile) });

export const getOwnProfile = defineEndpoint({
  name: 'getOwnExpertProfile',
  method: 'GET',
  route: 'v1/experts/profile',
  summary: 'Your expert profile, everything included, with its ETag',
  tags,
  auth: expertOnly,
  responses: { 200: { description: 'The profile', schema: profileSchema }, 404: { description: 'No profile yet' } },
  handler: async ({ principal }) => withEtag(await (await experts()).profiles.own(principal.userId)),
});

export const putOwnProfile = defineEndpoint({
  name: 'putOwnExpertProfile',
  method: 'PUT',
  route: 'v1/experts/profile',
  summary: 'Create your expert profile, or replace it (If-Match with the ETag you read)',
  description:
    'The badge, rating and publication are not part of the body (sending them is a 400). Changing the name or certifications of a verified profile takes the badge off until a new verification is approved.',
  tags,
  auth: expertOnly,
  body: profileInputSchema,
  responses: {
    200: { description: 'Replaced', schema: profileSchema },
    201: { description: 'Created', schema: profileSchema },
    412: { description: 'The profile changed since you read it' },
    428: { description: 'Replacing needs If-Match' },
  },
  handler: async ({ principal, body, request }) => {
    const { profile, created } = await (await experts()).profiles.put(principal.userId, body, ifMatchOf(request));
    return withEtag(profile, created ? 201 : 200);
  },
});

export const patchOwnProfile = defineEndpoint({
  name: 'patchOwnExpertProfile',
  method: 'PATCH',
  route: 'v1/experts/profile',
  summary: 'Change some fields of your profile (If-Match with the ETag you read)',
  tags,
  auth: expertOnly,
  body: profilePatchSchema,
  responses: { 200: { description: 'Updated', schema: profileSchema }, 412: { description: 'The profile changed since you read it' }, 428: { description: 'Needs If-Match' } },
  handler: async ({ principal, body, request }) => withEtag(await (await experts()).profiles.patch(principal.userId, body, ifMatchOf(request))),
});

for (const [name, published] of [
  ['publish', true],
  ['unpublish', false],
] as const) {
  defineEndpoint({
    name: `${name}OwnExpertProfile`,
    method: 'POST',
    route: `v1/experts/profile/${name}`,
    summary: published ? 'Publish your profile (it is public once verified)' : 'Hide your profile from everyone but you and admins',
    tags,
    auth: expertOnly,
    responses: { 200: { description: 'The profile', schema: profileSchema } },
    handler: async ({ principal }) => withEtag(await (await experts()).profiles.setPublished(principal.userId, published)),
  });
}

export const getProfile = defineEndpoint({
  name: 'getExpertProfile',
  method: 'GET',
  route: 'v1/experts/profile/{id}',
  summary: 'An expert profile: public when verified and published; the owner and admins see it whole',
  description:
    'Anyone may call it. With a valid access token of the owner or an admin the whole profile comes back; otherwise only a verified, published profile, without certificate numbers or documents (404 otherwise).',
  tags,
  auth: publicWithViewer,
  params: idParams,
  responses: { 200: { description: 'The profile', schema: profileSchema }, 304: { description: 'Unchanged' }, 404: { description: 'No such public profile' } },
  handler: async ({ params, request, principal }) => {
    const { profile, privileged } = await (await experts()).profiles.view(params.id, principal);
    const etag = strongEtag([profile._etag, privileged]);
    if (notModified(request, etag)) return { status: 304, headers: etagHeaders(etag) };
    return { headers: etagHeaders(etag), body: privileged ? ownerView(profile) : publicView(profile) };
  },
});
