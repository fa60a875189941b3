import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { expertDocuments, expertProfiles } from '../../../../../shared/domain/experts/containers';
import { ExpertProfileService, isPublic } from '../../../../../shared/domain/experts/profile-service';
import type { ProfileInput } from '../../../../../shared/domain/experts/profile-schema';
import type { ExpertDocument, ExpertProfile } from '../../../../../shared/domain/experts/records';
import { AppError } from '../../../../../shared/errors';
import { expertProfile } from '../../../../helpers/expert-profiles';

let profiles: Container<ExpertProfile>;
let documents: Container<ExpertDocument>;
let views: string[];
let service: ExpertProfileService;
const now = new Date('2026-12-01T10:00:00Z');
/** The expert's own input: the stored profile less what the marketplace keeps. */
const input = (overrides: Partial<ProfileInput> = {}): ProfileInput => {
  const { id: _i, published: _p, verification: _v, rating: _r, createdAt: _c, updatedAt: _u, ...rest } = expertProfile('e1');
  return { ...rest, ...overrides } as ProfileInput;
};
const noIfMatch = () => {
  throw new AppError('precondition_required', 'If-Match is required.');
};

beforeEach(async () => {
  const store = SqliteDocumentStore.open(':memory:');
  profiles = await store.container<ExpertProfile>(expertProfiles);
  documents = await store.container<ExpertDocument>(expertDocuments);
  views = [];
  service = new ExpertProfileService({ profiles, documents, countView: async (id) => void views.push(id), now: () => now });
});

describe('expert profiles', () => {
  it('is public only when published and verified: the one rule', () => {
    expect(isPublic({ published: true, verification: { status: 'verified' } })).toBe(true);
    expect(isPublic({ published: false, verification: { status: 'verified' } })).toBe(false);
    expect(isPublic({ published: true, verification: { status: 'pending', requestId: 'r1' } })).toBe(false);
  });

  it('creates without If-Match, then replaces only after the If-Match check of the current ETag', async () => {
    const first = await service.put('e1', input(), noIfMatch);
    expect(first).toMatchObject({ created: true, profile: { id: 'e1', published: false, verification: { status: 'unverified' } } });
    await expect(service.put('e1', input({ headline: 'Changed' }), noIfMatch)).rejects.toMatchObject({ kind: 'precondition_required' });
    const checked: string[] = [];
    const second = await service.put('e1', input({ headline: 'Changed' }), (etag) => void checked.push(etag));
    expect(checked).toEqual([first.profile._etag]);
    expect(second).toMatchObject({ created: false, profile: { headline: 'Changed' } });
  });

  it('refuses a certification linked to a document that is not the expert’s or not uploaded, naming the field', async () => {
    await documents.create({ id: 'd1', expertId: 'e1', fileName: 'a.pdf', contentType: 'application/pdf', maxBytes: 1, blobName: 'b', status: 'awaiting_upload', createdAt: now.toISOString() });
    const certification = { id: 'c1', certificationId: 'pcqi', name: 'PCQI', issuer: 'FSPCA' };
    const linked = (documentId: string) => input({ certifications: [{ ...certification, documentId }] as ProfileInput['certifications'] });
    await expect(service.put('e1', linked('d1'), noIfMatch)).rejects.toMatchObject({
      kind: 'validation',
      issues: [{ field: 'body.certifications.0.documentId', message: expect.stringContaining('has not finished uploading') }],
    });
    await expect(service.put('e1', linked('someone-elses'), noIfMatch)).rejects.toMatchObject({ issues: [{ message: 'is not one of your documents' }] });
  });

  it('patches a subset, and refuses a change that leaves the profile invalid', async () => {
    const { profile } = await service.put('e1', input(), noIfMatch);
    const ok = () => undefined;
    expect((await service.patch('e1', { headline: 'PCQI and FSVP' }, ok)).headline).toBe('PCQI and FSVP');
    await expect(service.patch('e1', { name: '' }, ok)).rejects.toMatchObject({ kind: 'validation', issues: [expect.objectContaining({ field: 'body.name' })] });
    await expect(service.patch('nobody', { headline: 'x' }, ok)).rejects.toMatchObject({ kind: 'not_found' });
    expect(profile.id).toBe('e1');
  });

  it('shows a profile whole to its owner and admins, to others only when public, and counts views by others', async () => {
    await profiles.create(expertProfile('e1', { published: true, verification: { status: 'unverified' } }));
    await expect(service.view('e1', null)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await service.view('e1', { userId: 'e1', roles: ['expert'] })).privileged).toBe(true);
    expect((await service.view('e1', { userId: 'a1', roles: ['admin'] })).privileged).toBe(true);
    await profiles.patch('e1', 'e1', [{ op: 'set', path: 'verification', value: { status: 'verified', requestId: 'r1' } }]);
    expect((await service.view('e1', { userId: 'c1', roles: ['client'] })).privileged).toBe(false);
    expect(views).toEqual(['e1', 'e1']); // the admin's and the client's; not the owner's, nor the refused one
    expect(await service.isPublic('e1')).toBe(true);
    expect(await service.isPublic('nobody')).toBe(false);
  });
});
