import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from '../../shared/data/document-store';
import { expertProfiles, verificationRequests } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { newVerificationRequest, type VerificationRequest } from '../../shared/domain/experts/verification';
import { expertProfile, openHostStore } from '../helpers/expert-profiles';
import { type RunningHost, waitFor } from '../helpers/host-process';
import { api, mailsTo, registerUser, startIdentityHost } from '../helpers/identity';

// The daily credentialExpiry timer, run by hand through the host's admin API as an operator
// would. Certifications are dated relative to today, so the job runs on the real clock; the
// day-by-day walk over a moving clock is in tests/unit/credential-expiry.test.ts.

let host: RunningHost;
let store: ReturnType<typeof openHostStore>;
let profiles: Container<ExpertProfile>;
let requests: Container<VerificationRequest>;

beforeAll(async () => {
  host = await startIdentityHost();
  store = openHostStore(host);
  profiles = await store.container<ExpertProfile>(expertProfiles);
  requests = await store.container<VerificationRequest>(verificationRequests);
});
afterAll(async () => {
  await store?.close();
  await host?.stop();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const cert = (id: string, name: string, expiresOn: string) => ({ id, name, issuer: 'FSPCA', number: `${id.toUpperCase()}-1`, expiresOn });

async function runJob(): Promise<void> {
  const runs = () => host.output().split('Credential expiry: ').length - 1;
  const before = runs();
  expect((await fetch(`${host.baseUrl}/admin/functions/credentialExpiry`, { method: 'POST', body: '{}' })).status).toBe(202);
  await waitFor(() => runs() > before, 10_000, 'the credentialExpiry run');
}

function whatsAppMessages(): string[] {
  const dir = path.join(host.dataDir, 'whatsapp');
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith('.txt'))
      .sort()
      .map((file) => readFileSync(path.join(dir, file), 'utf8'));
  } catch {
    return [];
  }
}

describe('credential expiry timer', () => {
  it('reminds at 90, 30 and 7 days by email and opted-in WhatsApp, takes off the badge an expired certification held, and never repeats itself', async () => {
    const expert = await registerUser(api(host), 'expert');
    const expertId = expert.user.id;
    const request = newVerificationRequest('req-1', expertId, new Date(Date.now() - 200 * 86_400_000));
    request.status = 'approved';
    request.checks = ['c-pcqi', 'c-90'].map((certificationEntryId) => ({ certificationEntryId, documentId: null, overall: 'passed', results: [] }));
    await requests.create(request);
    await profiles.create(
      expertProfile(expertId, {
        certifications: [cert('c-90', 'FSVP QI', day(90)), cert('c-30', 'HACCP', day(30)), cert('c-7', 'SQF Practitioner', day(7)), cert('c-pcqi', 'PCQI', day(-1)), cert('c-later', 'IAQI', day(200))],
        verification: { status: 'verified', requestId: 'req-1', verifiedAt: new Date().toISOString() },
        whatsapp: { number: '+14155550123', optIn: true },
      }),
    );

    await runJob();
    const subjects = () =>
      mailsTo(host, expert.email)
        .map((mail) => mail.subject)
        .filter((subject) => subject.startsWith('Your certification'));
    await waitFor(() => subjects().length === 4, 5_000, 'four notices');
    expect(subjects().sort()).toEqual([
      'Your certification FSVP QI expires in 90 days',
      'Your certification HACCP expires in 30 days',
      'Your certification PCQI has expired',
      'Your certification SQF Practitioner expires in 7 days',
    ]);
    const profile = (await profiles.read(expertId, expertId))!;
    expect(profile.verification).toEqual({ status: 'unverified', reason: `PCQI expired on ${day(-1)}; renew it on your profile and submit it for verification again.` });
    expect(mailsTo(host, expert.email).find((mail) => mail.subject.includes('PCQI'))!.text).toContain('Your verified badge has been removed');
    const messages = whatsAppMessages();
    expect(messages).toHaveLength(4);
    expect(messages.every((message) => message.includes('To: whatsapp:+14155550123'))).toBe(true);

    // A second run the same day (a retry, or an operator's) sends nothing again.
    await runJob();
    expect(subjects()).toHaveLength(4);
    expect(whatsAppMessages()).toHaveLength(4);
    expect(host.output()).toMatch(/Credential expiry: \d+ profile\(s\), 0 notice\(s\), 0 badge\(s\) removed, 0 failure\(s\)/);
  });
});
