import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { credentialNotices, expertProfiles, verificationRequests } from '../../../../../shared/domain/experts/containers';
import { type CredentialNotice, CredentialExpiry, dueNotice, isCertificationCurrent } from '../../../../../shared/domain/experts/credential-expiry';
import type { ExpertProfile } from '../../../../../shared/domain/experts/records';
import { newVerificationRequest, type VerificationRequest } from '../../../../../shared/domain/experts/verification';
import { outbox } from '../../../../../shared/domain/notifications/containers';
import { Outbox, type OutboxRecord } from '../../../../../shared/domain/notifications/outbox';
import { expertProfile } from '../../../../helpers/expert-profiles';

// The daily job on a clock the test moves, against the embedded store: which notice is due on
// which day, that each is sent once however often the job runs, and when the badge comes off.

const pcqi = { id: 'c-pcqi', certificationId: 'pcqi', name: 'PCQI', issuer: 'FSPCA', number: 'PCQI-2024-118733', expiresOn: '2026-11-20' };
const haccp = { id: 'c-haccp', certificationId: 'haccp-certified', name: 'HACCP Certification', issuer: 'International HACCP Alliance', number: 'IHA-5521', expiresOn: '2027-06-30' };

let clock: Date;
let profiles: Container<ExpertProfile>;
let requests: Container<VerificationRequest>;
let notices: Container<CredentialNotice>;
let emails: { expertId: string; subject: string; text: string }[];
let whatsapps: { number: string; text: string }[];
let failEmail: boolean;
let job: CredentialExpiry;

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const on = (day: string) => (clock = new Date(`${day}T06:00:00Z`));

beforeEach(async () => {
  const store = SqliteDocumentStore.open(':memory:');
  profiles = await store.container<ExpertProfile>(expertProfiles);
  requests = await store.container<VerificationRequest>(verificationRequests);
  notices = await store.container<CredentialNotice>(credentialNotices);
  emails = [];
  whatsapps = [];
  failEmail = false;
  job = new CredentialExpiry({
    profiles,
    requests,
    notices,
    notifier: {
      email: async (expertId, subject, text) => {
        if (failEmail) throw new Error('store down');
        emails.push({ expertId, subject, text });
      },
      whatsapp: async (number, text) => void whatsapps.push({ number, text }),
    },
    logger,
    now: () => clock,
  });
});

/** A verified profile whose approved request checked the given certification entries. */
async function verifiedProfile(id: string, certifications: ExpertProfile['certifications'], checked: string[]) {
  const request = newVerificationRequest('req-1', id, new Date('2026-01-10T00:00:00Z'));
  request.status = 'approved';
  request.checks = checked.map((certificationEntryId) => ({ certificationEntryId, documentId: null, overall: 'passed', results: [] }));
  await requests.create(request);
  await profiles.create(expertProfile(id, { certifications, verification: { status: 'verified', requestId: 'req-1', verifiedAt: '2026-01-12T00:00:00Z' } }));
}

describe('which notice is due', () => {
  it('is the most urgent threshold reached, then "expired" for 30 days, then nothing', () => {
    expect(dueNotice('2026-11-20', '2026-08-21')).toBe(null); // 91 days
    expect(dueNotice('2026-11-20', '2026-08-22')).toBe('remind-90');
    expect(dueNotice('2026-11-20', '2026-10-21')).toBe('remind-30');
    expect(dueNotice('2026-11-20', '2026-11-13')).toBe('remind-7');
    expect(dueNotice('2026-11-20', '2026-11-20')).toBe('remind-7'); // the last valid day
    expect(dueNotice('2026-11-20', '2026-11-21')).toBe('expired');
    expect(dueNotice('2026-11-20', '2026-12-20')).toBe('expired');
    expect(dueNotice('2026-11-20', '2026-12-21')).toBe(null);
  });

  it('counts a certification through its expiry day, and one without a date always', () => {
    expect(isCertificationCurrent({ expiresOn: '2026-11-20' }, '2026-11-20')).toBe(true);
    expect(isCertificationCurrent({ expiresOn: '2026-11-20' }, '2026-11-21')).toBe(false);
    expect(isCertificationCurrent({}, '2099-01-01')).toBe(true);
  });
});

describe('the daily run', () => {
  it('reminds at 90, 30 and 7 days and at expiry, each once, however often it runs', async () => {
    await profiles.create(expertProfile('u-1', { certifications: [pcqi] }));
    const subjects = () => emails.map((email) => email.subject);
    for (const day of ['2026-08-21', '2026-08-22', '2026-08-22', '2026-09-30', '2026-10-21', '2026-10-22', '2026-11-13', '2026-11-20', '2026-11-21', '2026-11-21', '2026-12-01']) {
      on(day);
      await job.run();
    }
    expect(subjects()).toEqual([
      'Your certification PCQI expires in 90 days',
      'Your certification PCQI expires in 30 days',
      'Your certification PCQI expires in 7 days',
      'Your certification PCQI has expired',
    ]);
    expect(emails.every((email) => email.expertId === 'u-1')).toBe(true);
    expect(emails[0]!.text).toContain('PCQI (FSPCA, no. PCQI-2024-118733) expires on 2026-11-20');
    expect(whatsapps).toEqual([]); // not opted in
  });

  it('sends only the current threshold for a certification added late, and starts again for a renewed one', async () => {
    await profiles.create(expertProfile('u-1', { certifications: [pcqi] }));
    on('2026-11-01'); // 19 days left: the 30-day notice, not the 90-day one too
    await job.run();
    expect(emails.map((email) => email.subject)).toEqual(['Your certification PCQI expires in 19 days']);

    const current = (await profiles.read('u-1', 'u-1'))!;
    await profiles.replace({ ...current, certifications: [{ ...pcqi, expiresOn: '2029-11-20' }] });
    on('2029-08-25');
    await job.run();
    expect(emails.map((email) => email.subject)).toEqual(['Your certification PCQI expires in 19 days', 'Your certification PCQI expires in 87 days']);
  });

  it('also sends to WhatsApp while the expert opts in', async () => {
    await profiles.create(expertProfile('u-1', { certifications: [pcqi], whatsapp: { number: '+14155550123', optIn: true } }));
    await profiles.create(expertProfile('u-2', { certifications: [{ ...pcqi, id: 'c-2' }], whatsapp: { number: '+14155550124', optIn: false } }));
    on('2026-11-13');
    await job.run();
    expect(emails).toHaveLength(2);
    expect(whatsapps).toEqual([{ number: '+14155550123', text: expect.stringContaining('Your certification PCQI expires in 7 days') }]);
  });

  it('takes the badge off when a checked certification expires, says why on the profile, and tells the expert', async () => {
    await verifiedProfile('u-1', [pcqi, haccp], ['c-pcqi', 'c-haccp']);
    on('2026-11-20');
    expect(await job.run()).toMatchObject({ badgesRemoved: 0 });
    expect((await profiles.read('u-1', 'u-1'))!.verification.status).toBe('verified');

    on('2026-11-21');
    expect(await job.run()).toMatchObject({ profiles: 1, badgesRemoved: 1, failures: 0 });
    const profile = (await profiles.read('u-1', 'u-1'))!;
    expect(profile.verification).toEqual({ status: 'unverified', reason: 'PCQI expired on 2026-11-20; renew it on your profile and submit it for verification again.' });
    const expired = emails.find((email) => email.subject === 'Your certification PCQI has expired')!;
    expect(expired.text).toContain('Your verified badge has been removed: PCQI expired on 2026-11-20');

    // Nothing more the next day: the badge is already off and the notice was sent.
    const before = emails.length;
    on('2026-11-22');
    expect(await job.run()).toMatchObject({ badgesRemoved: 0, notices: 0 });
    expect(emails).toHaveLength(before);
  });

  it('keeps the badge when the expired certification was not part of the verification', async () => {
    await verifiedProfile('u-1', [pcqi, haccp], ['c-haccp']);
    on('2026-11-21');
    expect(await job.run()).toMatchObject({ badgesRemoved: 0, notices: 1 });
    expect((await profiles.read('u-1', 'u-1'))!.verification.status).toBe('verified');
    expect(emails[0]!.text).toContain('Renew it and update the certification');
  });

  it('removes the badge for an old expiry without sending past news', async () => {
    await verifiedProfile('u-1', [pcqi], ['c-pcqi']);
    on('2027-03-01'); // 101 days after expiry: the job was not running (or the profile was imported)
    expect(await job.run()).toMatchObject({ badgesRemoved: 1, notices: 0 });
    expect((await profiles.read('u-1', 'u-1'))!.verification.status).toBe('unverified');
  });

  it('never undoes a newer approval: the badge comes off only while it is the one that was read', async () => {
    await verifiedProfile('u-1', [pcqi], ['c-pcqi']);
    on('2026-11-21');
    // Between the job's read and its write, a new verification is approved.
    const stale = (await profiles.read('u-1', 'u-1'))!;
    await profiles.patch('u-1', 'u-1', [{ op: 'set', path: 'verification', value: { status: 'verified', requestId: 'req-2', verifiedAt: clock.toISOString() } }]);
    const racing = new CredentialExpiry({
      profiles: { ...profiles, query: async () => ({ items: [stale], continuation: null }), patch: profiles.patch.bind(profiles) } as Container<ExpertProfile>,
      requests,
      notices,
      notifier: { email: async () => undefined, whatsapp: async () => undefined },
      logger,
      now: () => clock,
    });
    expect(await racing.run()).toMatchObject({ badgesRemoved: 0, failures: 0 });
    expect((await profiles.read('u-1', 'u-1'))!.verification).toMatchObject({ status: 'verified', requestId: 'req-2' });
  });

  it('tries a notice again on the next run when the email could not even be queued', async () => {
    await profiles.create(expertProfile('u-1', { certifications: [pcqi] }));
    on('2026-11-13');
    failEmail = true;
    expect(await job.run()).toMatchObject({ notices: 0, failures: 1 });
    failEmail = false;
    expect(await job.run()).toMatchObject({ notices: 1, failures: 0 });
    expect(emails.map((email) => email.subject)).toEqual(['Your certification PCQI expires in 7 days']);
  });

  it('sends nothing twice when a run stopped after queuing its messages and before writing the notice', async () => {
    const store = SqliteDocumentStore.open(':memory:');
    const messages = await store.container<OutboxRecord>(outbox);
    const delivered: string[] = [];
    const receipt = { provider: 'test', messageId: null, status: 'ok' };
    const mail = new Outbox(
      messages,
      { email: { send: async (message) => (delivered.push(`email ${message.subject}`), receipt) }, whatsapp: { send: async (message) => (delivered.push(`whatsapp ${message.to}`), receipt) } },
      logger,
      { maxAttempts: 8, now: () => clock },
    );
    const withOutbox = new CredentialExpiry({
      profiles,
      requests,
      notices,
      notifier: {
        email: (expertId, subject, text, cause) => mail.enqueue({ to: `${expertId}@example.com`, subject, text }, cause),
        whatsapp: (number, text, cause) => mail.enqueueWhatsApp({ to: number, text }, cause),
      },
      logger,
      now: () => clock,
    });
    await profiles.create(expertProfile('u-1', { certifications: [pcqi], whatsapp: { number: '+14155550123', optIn: true } }));
    on('2026-11-13');
    await withOutbox.run();
    await notices.delete('u-1', 'c-pcqi.2026-11-20.remind-7'); // as if the run had died before writing it
    on('2026-11-14');
    expect(await withOutbox.run()).toMatchObject({ notices: 1, failures: 0 });
    expect(await withOutbox.run()).toMatchObject({ notices: 0, failures: 0 });
    expect(delivered).toEqual(['email Your certification PCQI expires in 7 days', 'whatsapp +14155550123']);
    expect(new Set((await messages.query()).items.map((message) => message.cause))).toEqual(new Set(['credential:u-1:c-pcqi:2026-11-20:remind-7']));
  });

  it('goes through every page of profiles', async () => {
    for (let i = 0; i < 130; i++) await profiles.create(expertProfile(`u-${i}`, { certifications: [{ ...pcqi, id: `c-${i}` }] }));
    on('2026-11-13');
    expect(await job.run()).toMatchObject({ profiles: 130, notices: 130 });
    expect(new Set(emails.map((email) => email.expertId)).size).toBe(130);
  });
});
