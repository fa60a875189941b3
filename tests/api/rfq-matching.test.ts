import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertProfiles } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { expertProfile, openHostStore } from '../helpers/expert-profiles';
import { type RunningHost, tempDir, waitFor } from '../helpers/host-process';
import { ADMIN, api, type Api, login, mailsTo, registerUser, startIdentityHost } from '../helpers/identity';
import { rfqEvent, enqueueRfqEvent, rfqQueueDrained } from '../helpers/rfq-events';

const enqueue = (event: Record<string, unknown> | string, messageId?: string) => enqueueRfqEvent(host, event, messageId);
const queueDrained = () => rfqQueueDrained(host);

// Auto-matching through the local host: two verified public experts arranged in the store, one
// meeting the RFQ's hard requirements (FSVP, US) and one not (EU only); an RFQ created on
// rfq-events; then what each person sees: the invited expert's inbox, email and WhatsApp, the
// buyer's one email, foodxchange.rfq.matched on a subscription of marketplace-events, and who
// may read the RFQ.

const TOPIC = 'marketplace-events';
const CONSUMER = 'rfq-consumer';

let host: RunningHost;
let client: Api;
let adminToken: string;
const invited = { id: '', email: '', token: '' };
const other = { id: '', token: '' };
const WHATSAPP = '+15551234567';

function consumerSettings(): string {
  const file = path.join(tempDir('fx-rfq-settings-'), 'settings.json');
  writeFileSync(file, JSON.stringify({ IsEncrypted: false, Values: {}, LocalServiceBus: { entities: { [`${TOPIC}/subscriptions/${CONSUMER}`]: {} } } }));
  return file;
}

beforeAll(async () => {
  host = await startIdentityHost({}, { settings: consumerSettings() });
  client = api(host);
  adminToken = (await login(client, ADMIN.email, ADMIN.password)).accessToken;
  const first = await registerUser(client, 'expert');
  Object.assign(invited, { id: first.user.id, email: first.email, token: first.accessToken });
  const second = await registerUser(client, 'expert');
  Object.assign(other, { id: second.user.id, token: second.accessToken });
  const store = openHostStore(host);
  const profiles = await store.container<ExpertProfile>(expertProfiles);
  const verified = { published: true, verification: { status: 'verified' as const, verifiedAt: '2026-01-10T00:00:00Z' } };
  await profiles.upsert(
    expertProfile(invited.id, {
      ...verified,
      headline: 'FSVP for fresh produce exporters',
      specializations: [{ id: 'fsvp', years: 10, level: 'expert' }],
      whatsapp: { number: WHATSAPP, optIn: true },
    }),
  );
  await profiles.upsert(expertProfile(other.id, { ...verified, headline: 'FSVP for EU importers', specializations: [{ id: 'fsvp', years: 8, level: 'expert' }], jurisdictions: ['EU'] }));
  await store.close();
  // Matching reads the search index, which follows the store within seconds: wait until it knows both.
  await waitFor(
    async () => {
      const response = await client.call('POST', 'v1/search/suggest-experts', { body: { title: 'FSVP support for produce' }, token: adminToken });
      const ids = (response.body as { items: { expert: { id: string } }[] }).items.map((item) => item.expert.id);
      return ids.includes(invited.id) && ids.includes(other.id) ? true : undefined;
    },
    15_000,
    'the search index to know both experts',
  );
}, 90_000);
afterAll(async () => {
  await host?.stop();
});

interface Notification {
  type: string;
  link?: string;
  data?: { rfqId?: string };
}

async function invitationIn(token: string, rfqId: string): Promise<Notification | undefined> {
  const response = await client.call('GET', 'v1/notifications', { token });
  return (response.body as { items: Notification[] }).items.find((item) => item.type === 'rfq.invitation' && item.data?.rfqId === rfqId);
}

function whatsAppMessagesTo(number: string): string[] {
  const dir = path.join(host.dataDir, 'whatsapp');
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith('.txt'))
      .map((file) => readFileSync(path.join(dir, file), 'utf8'))
      .filter((text) => text.includes(number));
  } catch {
    return [];
  }
}

interface Matched {
  type: string;
  subject: string;
  data: { rfqId: string; version: number; invitedExpertIds: string[]; nearMissCount: number };
}

/** The next foodxchange.rfq.matched event of `rfqId` on the consumer's subscription, running the relay while none is waiting. */
async function matchedEventOf(rfqId: string): Promise<Matched> {
  return waitFor(
    async () => {
      await fetch(`${host.baseUrl}/admin/functions/eventsRelay`, { method: 'POST', body: '{}' });
      const response = await fetch(`${host.baseUrl}/admin/servicebus/${TOPIC}/subscriptions/${CONSUMER}/messages/head?timeout=2`, { method: 'DELETE' });
      if (response.status === 204) return undefined;
      const event = JSON.parse(await response.text()) as Matched;
      return event.type === 'foodxchange.rfq.matched' && event.subject === rfqId ? event : undefined;
    },
    20_000,
    `foodxchange.rfq.matched for ${rfqId} on ${TOPIC}`,
  );
}

describe('RFQ auto-matching through the host', () => {
  it('invites the expert meeting the hard requirements (inbox, email, WhatsApp), tells the buyer once, publishes rfq.matched, and only the invited expert can read the RFQ', async () => {
    const rfqId = `RFQ-M${Date.now()}`;
    const buyerEmail = `buyer-${Date.now()}@andes.example`;
    const created = rfqEvent('created', {
      id: `${rfqId}-created-1`,
      subject: rfqId,
      data: { rfqId, buyer: { companyId: 'C-981', companyName: 'Andes Fruit Exports', contactName: 'Lucía Rojas', contactEmail: buyerEmail, country: 'CL' } },
    });
    await enqueue(created);

    const notification = await waitFor(() => invitationIn(invited.token, rfqId), 20_000, 'the rfq.invitation in the invited expert’s inbox');
    expect(notification.link).toBe(`/api/v1/rfqs/${rfqId}`);
    await waitFor(() => (mailsTo(host, invited.email).some((mail) => mail.subject.includes('FSVP support')) ? true : undefined), 15_000, 'the invitation email');
    await waitFor(() => (mailsTo(host, buyerEmail).length ? true : undefined), 15_000, 'the buyer’s email');
    await waitFor(() => (whatsAppMessagesTo(WHATSAPP).some((text) => text.includes(rfqId)) ? true : undefined), 15_000, 'the WhatsApp message');

    const matched = await matchedEventOf(rfqId);
    expect(matched.data).toEqual({ rfqId, version: 1, invitedExpertIds: [invited.id], nearMissCount: 0 });

    const seen = await client.call('GET', `v1/rfqs/${rfqId}`, { token: invited.token });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ rfqId, status: 'open', version: 1, data: { title: 'FSVP support for fresh blueberry exports to the US' } });
    expect(seen.body).not.toHaveProperty('invitedExpertIds');
    expect((await client.call('GET', `v1/rfqs/${rfqId}`, { token: other.token })).status).toBe(404);
    expect((await client.call('GET', 'v1/rfqs/RFQ-never-sent', { token: invited.token })).status).toBe(404);
    const asAdmin = await client.call('GET', `v1/rfqs/${rfqId}`, { token: adminToken });
    expect(asAdmin.body).toMatchObject({ invitedExpertIds: [invited.id], matching: { status: 'done', version: 1 } });

    const mine = await client.call('GET', 'v1/rfqs/invitations', { token: invited.token });
    expect(mine.status).toBe(200);
    expect((mine.body as { items: { rfqId: string }[] }).items[0]).toMatchObject({ rfqId, version: 1, rfq: { title: 'FSVP support for fresh blueberry exports to the US', status: 'open' } });
    expect((await client.call('GET', 'v1/rfqs/invitations', { token: other.token })).body).toMatchObject({ items: [] });
    expect(await invitationIn(other.token, rfqId)).toBeUndefined();

    // The same event again (a redelivery) sends nothing twice.
    await enqueue({ ...created, id: `${rfqId}-created-1` });
    await queueDrained();
    expect(mailsTo(host, invited.email).filter((mail) => mail.subject.includes('FSVP support'))).toHaveLength(1);
    expect(mailsTo(host, buyerEmail)).toHaveLength(1);
  });
});
