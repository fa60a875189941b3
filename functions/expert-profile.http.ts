import { z } from 'zod';
import { AppError } from '../shared/errors';
import { profileInputSchema, profilePatchSchema, type ProfileInput } from '../shared/domain/experts/profile-schema';
import { applyProfileInput, ownerView, publicView } from '../shared/domain/experts/profile-view';
import { getExperts } from '../shared/experts-container';
import { expertEventTally } from '../shared/expert-services-container';
import { getAuthenticator } from '../shared/identity-container';
import { publicAccess, requireRoles } from '../shared/http/auth';
import { defineEndpoint } from '../shared/http/endpoint';
import { etagHeaders, notModified, requireIfMatch, strongEtag } from '../shared/http/etag';

const tags = ['experts'];
const expertOnly = requireRoles('expert');
const profileSchema = z.object({ id: z.string(), name: z.string(), headline: z.string(), verified: z.boolean() }).loose().describe('The expert profile');
const idParams = z.object({ id: z.string().min(1).max(100) });

async function ownProfile(expertId: string) {
  const profile = await (await getExperts()).profiles.read(expertId, expertId);
  if (!profile) throw new AppError('not_found', 'You have no expert profile yet: PUT /api/v1/experts/profile creates it.');
  return profile;
}

/** Every linked document must be one of the expert's, and uploaded. */
async function assertLinkedDocuments(expertId: string, input: ProfileInput): Promise<void> {
  const { documents } = await getExperts();
  const issues: { field: string; message: string }[] = [];
  for (const [index, certification] of input.certifications.entries()) {
    if (!certification.documentId) continue;
    const document = await documents.read(expertId, certification.documentId);
    if (!document) issues.push({ field: `body.certifications.${index}.documentId`, message: 'is not one of your documents' });
    else if (document.status !== 'uploaded') issues.push({ field: `body.certifications.${index}.documentId`, message: 'has not finished uploading (POST .../complete)' });
  }
  if (issues.length) throw new AppError('validation', 'A certification links to a document that cannot be used.', { issues });
}

const withEtag = (profile: Parameters<typeof ownerView>[0], status = 200) => ({ status, headers: etagHeaders(strongEtag(profile._etag)), body: ownerView(profile) });

export const getOwnProfile = defineEndpoint({
  name: 'getOwnExpertProfile',
  method: 'GET',
  route: 'v1/experts/profile',
  summary: 'Your expert profile, everything included, with its ETag',
  tags,
  auth: expertOnly,
  responses: { 200: { description: 'The profile', schema: profileSchema }, 404: { description: 'No profile yet' } },
  handler: async ({ principal }) => withEtag(await ownProfile(principal.userId)),
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
    const { profiles } = await getExperts();
    await assertLinkedDocuments(principal.userId, body);
    const current = await profiles.read(principal.userId, principal.userId);
    if (!current) return withEtag(await profiles.create(applyProfileInput(null, body, principal.userId, new Date())), 201);
    requireIfMatch(request, strongEtag(current._etag));
    return withEtag(await profiles.replace(applyProfileInput(current, body, principal.userId, new Date()), { ifMatch: current._etag }));
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
  handler: async ({ principal, body, request }) => {
    const { profiles } = await getExperts();
    const current = await ownProfile(principal.userId);
    requireIfMatch(request, strongEtag(current._etag));
    const { id: _i, published: _p, verification: _v, rating: _r, responsiveness: _rs, createdAt: _c, updatedAt: _u, _etag: _e, _ts: _t, ...input } = current;
    // The merged profile must still be a whole, valid profile.
    const merged = profileInputSchema.safeParse({ ...input, ...body });
    if (!merged.success) {
      throw new AppError('validation', 'The change would leave the profile invalid.', {
        issues: merged.error.issues.map((issue) => ({ field: `body.${issue.path.join('.')}`, message: issue.message })),
      });
    }
    await assertLinkedDocuments(principal.userId, merged.data);
    return withEtag(await profiles.replace(applyProfileInput(current, merged.data, principal.userId, new Date()), { ifMatch: current._etag }));
  },
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
    handler: async ({ principal }) => {
      const { profiles } = await getExperts();
      await ownProfile(principal.userId);
      return withEtag(
        await profiles.patch(principal.userId, principal.userId, [
          { op: 'set', path: 'published', value: published },
          { op: 'set', path: 'updatedAt', value: new Date().toISOString() },
        ]),
      );
    },
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
  auth: publicAccess,
  params: idParams,
  responses: { 200: { description: 'The profile', schema: profileSchema }, 304: { description: 'Unchanged' }, 404: { description: 'No such public profile' } },
  handler: async ({ params, request }) => {
    const profile = await (await getExperts()).profiles.read(params.id, params.id);
    // A bad or missing token just means an anonymous viewer here.
    const viewer = await getAuthenticator()
      .authenticate(request)
      .catch(() => null);
    const privileged = !!viewer && (viewer.userId === params.id || viewer.roles.includes('admin'));
    if (!profile || (!privileged && !(profile.published && profile.verification.status === 'verified'))) {
      throw new AppError('not_found', 'No such expert profile.');
    }
    // A view by someone other than the expert counts in their analytics.
    if (viewer?.userId !== params.id) {
      const tally = expertEventTally();
      tally.add(params.id, 'profileView');
      await tally.flushIfDue();
    }
    const etag = strongEtag([profile._etag, privileged]);
    if (notModified(request, etag)) return { status: 304, headers: etagHeaders(etag) };
    return { headers: etagHeaders(etag), body: privileged ? ownerView(profile) : publicView(profile) };
  },
});
