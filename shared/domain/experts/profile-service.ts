import type { Container, Stored } from '../../data/document-store';
import { AppError } from '../../errors';
import { profileInputSchema, type ProfileInput, type ProfilePatch } from './profile-schema';
import { applyProfileInput } from './profile-view';
import type { ExpertDocument, ExpertProfile } from './records';

/** Whether anyone may see the expert: published by them and verified by an admin. The one place this rule is written. */
export const isPublic = (profile: Pick<ExpertProfile, 'published' | 'verification'>): boolean => profile.published && profile.verification.status === 'verified';

/** Who is looking at a profile, when they signed in. */
export interface Viewer {
  userId: string;
  roles: readonly string[];
}

/**
 * An expert's own profile and how others see it: the rules behind the profile endpoints.
 * `ifMatch` is the caller's check of the version it read (the HTTP layer's If-Match), given the
 * current ETag; a replacement also carries it to the store, so a concurrent change is a 412.
 */
export class ExpertProfileService {
  constructor(
    private readonly deps: {
      profiles: Container<ExpertProfile>;
      documents: Container<ExpertDocument>;
      /** Counts a view of the expert's profile by someone else, for their analytics. */
      countView: (expertId: string) => Promise<void>;
      now: () => Date;
    },
  ) {}

  /** The profile whole, or null: for the reviewing admin. */
  read(expertId: string): Promise<Stored<ExpertProfile> | null> {
    return this.deps.profiles.read(expertId, expertId);
  }

  async own(expertId: string): Promise<Stored<ExpertProfile>> {
    const profile = await this.deps.profiles.read(expertId, expertId);
    if (!profile) throw new AppError('not_found', 'You have no expert profile yet: PUT /api/v1/experts/profile creates it.');
    return profile;
  }

  /** Creates the profile, or replaces it (after `ifMatch`). */
  async put(expertId: string, input: ProfileInput, ifMatch: (etag: string) => void): Promise<{ profile: Stored<ExpertProfile>; created: boolean }> {
    await this.assertLinkedDocuments(expertId, input);
    const current = await this.deps.profiles.read(expertId, expertId);
    if (!current) return { profile: await this.deps.profiles.create(applyProfileInput(null, input, expertId, this.deps.now())), created: true };
    ifMatch(current._etag);
    return { profile: await this.deps.profiles.replace(applyProfileInput(current, input, expertId, this.deps.now()), { ifMatch: current._etag }), created: false };
  }

  /** Changes some fields; the merged profile must still be a whole, valid one. */
  async patch(expertId: string, changes: ProfilePatch, ifMatch: (etag: string) => void): Promise<Stored<ExpertProfile>> {
    const current = await this.own(expertId);
    ifMatch(current._etag);
    const { id: _i, published: _p, verification: _v, rating: _r, responsiveness: _rs, createdAt: _c, updatedAt: _u, _etag: _e, _ts: _t, ...input } = current;
    const merged = profileInputSchema.safeParse({ ...input, ...changes });
    if (!merged.success) {
      throw new AppError('validation', 'The change would leave the profile invalid.', {
        issues: merged.error.issues.map((issue) => ({ field: `body.${issue.path.join('.')}`, message: issue.message })),
      });
    }
    await this.assertLinkedDocuments(expertId, merged.data);
    return this.deps.profiles.replace(applyProfileInput(current, merged.data, expertId, this.deps.now()), { ifMatch: current._etag });
  }

  /** Shows or hides the profile (it is public only once verified, too). */
  async setPublished(expertId: string, published: boolean): Promise<Stored<ExpertProfile>> {
    await this.own(expertId);
    return this.deps.profiles.patch(expertId, expertId, [
      { op: 'set', path: 'published', value: published },
      { op: 'set', path: 'updatedAt', value: this.deps.now().toISOString() },
    ]);
  }

  /**
   * A profile as `viewer` may see it: whole for its owner and admins (`privileged`), else only
   * when public; anything else is as absent as a missing one. A view by someone other than the
   * expert counts in their analytics.
   */
  async view(expertId: string, viewer: Viewer | null): Promise<{ profile: Stored<ExpertProfile>; privileged: boolean }> {
    const profile = await this.deps.profiles.read(expertId, expertId);
    const privileged = !!viewer && (viewer.userId === expertId || viewer.roles.includes('admin'));
    if (!profile || (!privileged && !isPublic(profile))) throw new AppError('not_found', 'No such expert profile.');
    if (viewer?.userId !== expertId) await this.deps.countView(expertId);
    return { profile, privileged };
  }

  /** Whether the expert is public (services and reviews are shown only then). */
  async isPublic(expertId: string): Promise<boolean> {
    const profile = await this.deps.profiles.read(expertId, expertId);
    return !!profile && isPublic(profile);
  }

  /** Every linked document must be one of the expert's, and uploaded. */
  private async assertLinkedDocuments(expertId: string, input: ProfileInput): Promise<void> {
    const issues: { field: string; message: string }[] = [];
    for (const [index, certification] of input.certifications.entries()) {
      if (!certification.documentId) continue;
      const document = await this.deps.documents.read(expertId, certification.documentId);
      if (!document) issues.push({ field: `body.certifications.${index}.documentId`, message: 'is not one of your documents' });
      else if (document.status !== 'uploaded') issues.push({ field: `body.certifications.${index}.documentId`, message: 'has not finished uploading (POST .../complete)' });
    }
    if (issues.length) throw new AppError('validation', 'A certification links to a document that cannot be used.', { issues });
  }
}
