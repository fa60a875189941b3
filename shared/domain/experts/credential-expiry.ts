import { StoreError } from '../../data/errors';
import type { Container, Document, Stored } from '../../data/document-store';
import type { AppLogger } from '../../observability/app-logger';
import type { DeclaredCertificationInput } from './profile-schema';
import type { ExpertProfile } from './records';
import type { VerificationRequest } from './verification';

/**
 * Credential expiry, run once a day: experts are reminded 90, 30 and 7 days before a declared
 * certification expires, and told when it has; an expired certification stops counting, and a
 * verified badge that rested on it comes off (the profile's verification reason says why) until
 * the expert renews it and is verified again.
 *
 * A certification is valid through its `expiresOn` day (UTC) and expired from the day after.
 * Expiry is a fact of the date, so what counts is computed (`isCertificationCurrent`) rather than
 * stored as a flag that would lag a day behind and that profile edits would have to carry.
 */

export type NoticeKind = 'remind-90' | 'remind-30' | 'remind-7' | 'expired';

/** One notice sent, written once its messages are in the outbox: id = certification entry, expiry date, kind. */
export interface CredentialNotice extends Document {
  expertId: string;
  certificationEntryId: string;
  expiresOn: string;
  kind: NoticeKind;
  createdAt: string;
}

/**
 * Email to the expert's account address (and their inbox); WhatsApp to a number the expert opted
 * in with. Each is stored once per `cause`, so handing the same notice over again sends nothing new.
 */
export interface CredentialNotifier {
  email(expertId: string, subject: string, text: string, cause: string): Promise<void>;
  whatsapp(number: string, text: string, cause: string): Promise<void>;
}

export interface ExpiryRunSummary {
  profiles: number;
  notices: number;
  badgesRemoved: number;
  failures: number;
}

/**
 * Past news is not sent: an expiry more than this many days ago gets no "expired" notice (a job
 * that was down for a while still catches up; notices are kept longer than this, see containers).
 */
const EXPIRED_NOTICE_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export const utcToday = (now: Date): string => now.toISOString().slice(0, 10);

/** Whole days from `today` to `expiresOn` (both ISO dates): 0 on the last valid day, negative once expired. */
export const daysUntil = (expiresOn: string, today: string): number => Math.round((Date.parse(expiresOn) - Date.parse(today)) / DAY_MS);

/** Whether a certification still counts on `today` (for matching and for the badge). */
export const isCertificationCurrent = (certification: Pick<DeclaredCertificationInput, 'expiresOn'>, today: string): boolean => !certification.expiresOn || certification.expiresOn >= today;

/**
 * The notice a certification is due on `today`. Only the most urgent one: a certification added
 * with 20 days left is reminded at 30, not at 90 as well.
 */
export function dueNotice(expiresOn: string, today: string): NoticeKind | null {
  const days = daysUntil(expiresOn, today);
  if (days < 0) return -days <= EXPIRED_NOTICE_WINDOW_DAYS ? 'expired' : null;
  if (days <= 7) return 'remind-7';
  if (days <= 30) return 'remind-30';
  if (days <= 90) return 'remind-90';
  return null;
}

export interface CredentialExpiryDeps {
  profiles: Container<ExpertProfile>;
  requests: Container<VerificationRequest>;
  notices: Container<CredentialNotice>;
  notifier: CredentialNotifier;
  logger: AppLogger;
  now: () => Date;
}

type Certification = DeclaredCertificationInput & { expiresOn: string };

export class CredentialExpiry {
  constructor(private readonly deps: CredentialExpiryDeps) {}

  /** One daily pass over every profile; a failure on one profile is logged and the rest go on. */
  async run(): Promise<ExpiryRunSummary> {
    const today = utcToday(this.deps.now());
    const summary: ExpiryRunSummary = { profiles: 0, notices: 0, badgesRemoved: 0, failures: 0 };
    let continuation: string | undefined;
    do {
      // A full scan: the port cannot filter on fields of array elements. It is one pass a day.
      const page = await this.deps.profiles.query({ limit: 100, continuation });
      for (const profile of page.items) {
        summary.profiles++;
        try {
          await this.checkProfile(profile, today, summary);
        } catch (error) {
          summary.failures++;
          this.deps.logger.error('Credential expiry check failed for a profile', { expertId: profile.id, error: String(error) });
        }
      }
      continuation = page.continuation ?? undefined;
    } while (continuation);
    return summary;
  }

  private async checkProfile(profile: Stored<ExpertProfile>, today: string, summary: ExpiryRunSummary): Promise<void> {
    const dated = profile.certifications.filter((certification): certification is Certification => certification.expiresOn !== undefined);
    const badgeReason = await this.removeBadgeIfExpired(profile, dated, today);
    if (badgeReason) summary.badgesRemoved++;
    for (const certification of dated) {
      const kind = dueNotice(certification.expiresOn, today);
      if (kind && (await this.notify(profile, certification, kind, today, badgeReason))) summary.notices++;
    }
  }

  /**
   * Takes the badge off a verified profile when a certification the verification checked has
   * expired; returns the reason written on the profile, or null. The patch applies only while the
   * profile still carries the badge of the same request, so it never undoes a newer approval.
   */
  private async removeBadgeIfExpired(profile: Stored<ExpertProfile>, dated: Certification[], today: string): Promise<string | null> {
    if (profile.verification.status !== 'verified') return null;
    const expired = dated.filter((certification) => !isCertificationCurrent(certification, today));
    if (!expired.length) return null;
    const checked = await this.checkedCertifications(profile);
    const lost = expired.filter((certification) => checked === null || checked.has(certification.id));
    if (!lost.length) return null;
    const reason = `${lost.map((certification) => `${certification.name} expired on ${certification.expiresOn}`).join('; ')}; renew ${lost.length > 1 ? 'them' : 'it'} on your profile and submit it for verification again.`;
    const { requestId } = profile.verification;
    try {
      await this.deps.profiles.patch(
        profile.id,
        profile.id,
        [
          { op: 'set', path: 'verification', value: { status: 'unverified', reason } },
          { op: 'set', path: 'updatedAt', value: this.deps.now().toISOString() },
        ],
        {
          condition: {
            and: [
              { field: 'verification.status', op: 'eq', value: 'verified' },
              requestId === undefined ? { field: 'verification.requestId', op: 'defined', value: false } : { field: 'verification.requestId', op: 'eq', value: requestId },
            ],
          },
        },
      );
    } catch (error) {
      // The badge changed meanwhile (removed, or a new verification approved): nothing to take off.
      if (error instanceof StoreError && error.kind === 'precondition_failed') return null;
      throw error;
    }
    this.deps.logger.info('Verified badge removed: a certification expired', { expertId: profile.id, certifications: lost.map((certification) => certification.id) });
    return reason;
  }

  /** The certification entries the approved request checked; null when it cannot be found (then every one counts). */
  private async checkedCertifications(profile: ExpertProfile): Promise<Set<string> | null> {
    const requestId = profile.verification.requestId;
    const request = requestId ? await this.deps.requests.read(profile.id, requestId) : null;
    return request ? new Set(request.checks.map((check) => check.certificationEntryId)) : null;
  }

  /**
   * Sends one notice once: its messages go to the outbox under a cause naming the expert, the
   * certification and the reminder window (expiry date and kind), which stores each once and
   * retries it; then the notice record is written. A run that stopped in between hands the same
   * causes over again and nothing is sent twice; one that could not even queue the email leaves
   * no record, so the next run tries again. WhatsApp goes beside the email, never instead.
   */
  private async notify(profile: ExpertProfile, certification: Certification, kind: NoticeKind, today: string, badgeReason: string | null): Promise<boolean> {
    const id = `${certification.id}.${certification.expiresOn}.${kind}`;
    if (await this.deps.notices.read(profile.id, id)) return false;
    const cause = `credential:${profile.id}:${certification.id}:${certification.expiresOn}:${kind}`;
    const { subject, text } = noticeText(certification, kind, today, profile.verification.status === 'verified' || badgeReason !== null, badgeReason);
    await this.deps.notifier.email(profile.id, subject, text, cause);
    if (profile.whatsapp?.optIn) {
      await this.deps.notifier.whatsapp(profile.whatsapp.number, `${subject}\n\n${text}`, cause).catch((error: unknown) => {
        this.deps.logger.warn('WhatsApp credential notice could not be queued; the email was', { expertId: profile.id, error: String(error) });
      });
    }
    try {
      await this.deps.notices.create({ id, expertId: profile.id, certificationEntryId: certification.id, expiresOn: certification.expiresOn, kind, createdAt: this.deps.now().toISOString() });
    } catch (error) {
      // A run racing this one wrote it first; the outbox kept the messages to one.
      if (error instanceof StoreError && error.kind === 'conflict') return false;
      throw error;
    }
    return true;
  }
}

function noticeText(certification: Certification, kind: NoticeKind, today: string, verified: boolean, badgeReason: string | null): { subject: string; text: string } {
  const what = `${certification.name} (${certification.issuer}, no. ${certification.number})`;
  if (kind === 'expired') {
    return {
      subject: `Your certification ${certification.name} has expired`,
      text: [
        `Your ${what} expired on ${certification.expiresOn}. It no longer counts when clients are matched with experts.`,
        badgeReason ? `Your verified badge has been removed: ${badgeReason}` : 'Renew it and update the certification on your FoodXchange profile.',
      ].join('\n\n'),
    };
  }
  const days = daysUntil(certification.expiresOn, today);
  return {
    subject: `Your certification ${certification.name} expires in ${days} day${days === 1 ? '' : 's'}`,
    text: [
      `Your ${what} expires on ${certification.expiresOn}.`,
      `Renew it before then and update the certification on your FoodXchange profile. Once expired it no longer counts when clients are matched with experts${verified ? ', and your verified badge is removed until you renew it and are verified again' : ''}.`,
    ].join('\n\n'),
  };
}
