import { afterEach, describe, expect, it } from 'vitest';
import { expertProfiles } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { expertProfile, openHostStore } from '../helpers/expert-profiles';
import { projectRoot, type RunningHost, startHost, tempDir, waitFor } from '../helpers/host-process';
import { ADMIN, api, type Api, IDENTITY_TEST_ENV, login, mailsTo, registerUser } from '../helpers/identity';
import { enqueueRfqEvent, rfqEvent, rfqQueueDrained } from '../helpers/rfq-events';

// A burst of RFQs on rfq-events, the host killed (kill -9 of its process group) as soon as the
// first invitation is out, and started again on the same data: every RFQ reaches the expert
// exactly once, in the inbox and by email, and the buyer is told once per RFQ.

const RFQS = 12;
// A mail an attempt owned when the host died is tried again once its lease ends: five seconds here.
const ENV = { ...IDENTITY_TEST_ENV, OUTBOX_LEASE_SECONDS: '5' };
const hosts: RunningHost[] = [];

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

async function start(dataDir: string): Promise<{ host: RunningHost; client: Api; adminToken: string }> {
  const host = await startHost({ app: projectRoot, dataDir, env: ENV, args: ['--no-azurite'], detached: true });
  hosts.push(host);
  const client = api(host);
  return { host, client, adminToken: (await login(client, ADMIN.email, ADMIN.password)).accessToken };
}

/** The RFQ ids of the expert's rfq.invitation inbox items, one entry per item. */
async function invitedTo(client: Api, token: string): Promise<string[]> {
  const response = await client.call('GET', 'v1/notifications?limit=100', { token });
  return (response.body as { items: { type: string; data?: { rfqId?: string } }[] }).items.filter((item) => item.type === 'rfq.invitation').map((item) => item.data!.rfqId!);
}

describe('RFQ intake and matching survive a crash', () => {
  it('invites once per RFQ after kill -9 in the middle of a burst: nothing lost, nothing doubled', async () => {
    const dataDir = tempDir('fx-rfq-crash-');
    const first = await start(dataDir);
    const expert = await registerUser(first.client, 'expert');
    const store = openHostStore(first.host);
    await (await store.container<ExpertProfile>(expertProfiles)).upsert(
      expertProfile(expert.user.id, {
        published: true,
        verification: { status: 'verified', verifiedAt: '2026-01-10T00:00:00Z' },
        headline: 'FSVP for fresh produce exporters',
        specializations: [{ id: 'fsvp', years: 10, level: 'expert' }],
      }),
    );
    await store.close();
    await waitFor(
      async () => {
        const response = await first.client.call('POST', 'v1/search/suggest-experts', { body: { title: 'FSVP support for produce' }, token: first.adminToken });
        return (response.body as { items: { expert: { id: string } }[] }).items.some((item) => item.expert.id === expert.user.id) || undefined;
      },
      15_000,
      'the search index to know the expert',
    );

    const stamp = Date.now();
    const rfqIds = Array.from({ length: RFQS }, (_, n) => `RFQ-C${stamp}-${String(n).padStart(2, '0')}`);
    await Promise.all(
      rfqIds.map((rfqId) =>
        enqueueRfqEvent(first.host, rfqEvent('created', { id: `${rfqId}-created-1`, subject: rfqId, data: { rfqId, title: `FSVP support for fresh blueberry exports to the US (${rfqId})` } })),
      ),
    );
    await waitFor(async () => ((await invitedTo(first.client, expert.accessToken)).length > 0 ? true : undefined), 30_000, 'the first invitation');
    await first.host.stop('SIGKILL');
    hosts.splice(hosts.indexOf(first.host), 1);

    const second = await start(dataDir);
    const invitationMails = (host: RunningHost) => mailsTo(host, expert.email).filter((mail) => mail.subject.startsWith('New request for quote'));
    const token = (await login(second.client, expert.email, expert.password)).accessToken;
    await rfqQueueDrained(second.host);
    await waitFor(async () => ((await invitedTo(second.client, token)).length >= RFQS ? true : undefined), 60_000, 'an invitation for every RFQ');
    await waitFor(
      async () => {
        // Mail queued before the crash goes out with the outbox's next pass; run it now.
        await fetch(`${second.host.baseUrl}/admin/functions/outboxRetry`, { method: 'POST', body: '{}' });
        return invitationMails(second.host).length >= RFQS && mailsTo(second.host, 'lucia@andes.example').length >= RFQS ? true : undefined;
      },
      60_000,
      'an invitation email for every RFQ, and the buyer told of each',
    );

    expect((await invitedTo(second.client, token)).sort()).toEqual([...rfqIds].sort());
    const mails = invitationMails(second.host);
    expect(mails).toHaveLength(RFQS);
    for (const rfqId of rfqIds) expect(mails.filter((mail) => mail.subject.includes(rfqId))).toHaveLength(1);
    const buyerMails = mailsTo(second.host, 'lucia@andes.example');
    for (const rfqId of rfqIds) expect(buyerMails.filter((mail) => mail.subject.includes(rfqId))).toHaveLength(1);
  }, 180_000);
});
