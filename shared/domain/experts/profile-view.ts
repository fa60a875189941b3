import type { Stored } from '../../data/document-store';
import type { ProfileInput } from './profile-schema';
import type { ExpertProfile } from './records';

/** The profile as its owner or an admin sees it: everything but store internals. */
export function ownerView(profile: Stored<ExpertProfile>) {
  const { _etag: _e, _ts: _t, ...view } = profile;
  return { ...view, verified: profile.verification.status === 'verified' };
}

/**
 * The public profile: certificate numbers and document links stay private (they are for the
 * reviewing admin), as do the WhatsApp number and why a verification was refused.
 */
export function publicView(profile: Stored<ExpertProfile>) {
  const { verification, certifications, whatsapp: _whatsapp, ...rest } = ownerView(profile);
  return {
    ...rest,
    certifications: certifications.map(({ number: _n, documentId: _d, ...certification }) => certification),
    verification: { status: verification.status, ...(verification.verifiedAt ? { verifiedAt: verification.verifiedAt } : {}) },
  };
}

/**
 * A new version of the profile from the expert's input. The badge attests what an admin checked,
 * so changing the name or the certifications of a verified profile takes the badge off until a
 * new verification is approved; other edits keep it.
 */
export function applyProfileInput(current: ExpertProfile | null, input: ProfileInput, expertId: string, now: Date): ExpertProfile {
  const at = now.toISOString();
  if (!current) {
    return { ...input, id: expertId, published: false, verification: { status: 'unverified' }, rating: { average: 0, count: 0 }, createdAt: at, updatedAt: at };
  }
  const attested = (profile: Pick<ExpertProfile, 'name' | 'certifications'>) => JSON.stringify([profile.name, profile.certifications]);
  const verification =
    current.verification.status === 'verified' && attested(current) !== attested(input)
      ? { status: 'unverified' as const, reason: 'Your name or certifications changed after verification; submit them for verification again.' }
      : current.verification;
  return { ...current, ...input, id: expertId, verification, updatedAt: at };
}
