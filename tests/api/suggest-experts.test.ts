import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertProfiles } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { expertProfile, openHostStore, seededDataDir } from '../helpers/expert-profiles';
import { waitFor, type RunningHost } from '../helpers/host-process';
import { ADMIN, api, login, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// The matcher through the host: 300 seeded public experts plus two organic experts arranged in
// the store (the EU one is a registered expert, so its analytics can be read back).
let host: RunningHost;
let client: Api;
const tokens: Record<'client' | 'agent' | 'admin' | 'expert', string> = { client: '', agent: '', admin: '', expert: '' };
let euExpertId = '';
const usdaExpertId = 'usda-organic-expert';

const certification = (certificationId: string, name: string) => ({
  id: `c-${certificationId}`,
  certificationId,
  name,
  issuer: 'issuer',
  number: 'N-1',
  issuedOn: '2025-01-15',
  expiresOn: '2029-01-15',
});
const week = { weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, slots: [{ start: '09:00', end: '17:00' }] })), exceptions: [] };

beforeAll(async () => {
  host = await startIdentityHost({ ANALYTICS_FLUSH_SECONDS: '0' }, { dataDir: seededDataDir(300, 5) });
  client = api(host);
  for (const role of ['client', 'agent', 'expert'] as const) tokens[role] = (await registerUser(client, role)).accessToken;
  tokens.admin = (await login(client, ADMIN.email, ADMIN.password)).accessToken;
  const euExpert = await registerUser(client, 'expert');
  euExpertId = euExpert.user.id;
  tokens.expert = euExpert.accessToken;
  const store = openHostStore(host);
  const profiles = await store.container<ExpertProfile>(expertProfiles);
  const verified = { published: true, verification: { status: 'verified' as const, verifiedAt: '2026-01-10T00:00:00Z' }, availability: week };
  await profiles.upsert(
    expertProfile(euExpertId, {
      ...verified,
      name: 'Anna Weber',
      headline: 'EU organic certification for bakeries',
      specializations: [{ id: 'eu-organic', years: 11, level: 'expert' }],
      certifications: [certification('eu-organic-inspector', 'Organic Inspector (EU 2018/848)')],
      jurisdictions: ['EU', 'DE'],
      languages: ['de', 'en'],
      country: 'DE',
      timeZone: 'Europe/Berlin',
      hourlyRate: { amount: 120, currency: 'EUR' },
      rating: { average: 4.9, count: 25 },
    }),
  );
  await profiles.upsert(
    expertProfile(usdaExpertId, {
      ...verified,
      name: 'Bob Miller',
      headline: 'Organic certification for bakeries',
      specializations: [{ id: 'usda-organic', years: 20, level: 'authority' }],
      certifications: [certification('usda-organic-inspector', 'Organic Inspector (USDA NOP)')],
      jurisdictions: ['US'],
      languages: ['en', 'de'],
      country: 'US',
      timeZone: 'America/Chicago',
      rating: { average: 4.9, count: 60 },
    }),
  );
  await store.close();
}, 90_000);
afterAll(async () => {
  await host?.stop();
});

const post = (body: unknown, token: string | null = tokens.client) => client.call('POST', 'v1/search/suggest-experts', { body, token: token ?? undefined });
const ids = (response: { body: { items: { expert: { id: string } }[] } }) => response.body.items.map((item) => item.expert.id);
const euNeed = {
  title: 'EU organic certification for our bakery line',
  description: 'New organic sourdough line in Germany.',
  languages: ['de'],
  budget: { amount: 150, currency: 'EUR' },
  country: 'DE',
  deadline: '2099-01-31',
};

describe('POST /api/v1/search/suggest-experts', () => {
  it('is for clients, sales agents and admins: 401 without a token, 403 for experts', async () => {
    expect((await post(euNeed, null)).status).toBe(401);
    const expert = await post(euNeed, tokens.expert);
    expect(expert.status).toBe(403);
    expect(expert.headers.get('content-type')).toMatch(/problem\+json/);
    for (const role of ['client', 'agent', 'admin'] as const) expect((await post(euNeed, tokens[role])).status, role).toBe(200);
  });

  it('suggests only EU organic experts for an EU organic need, each with a breakdown and reasons', async () => {
    const response = await waitFor(
      async () => {
        const answer = await post(euNeed);
        return ids(answer).includes(euExpertId) ? answer : undefined;
      },
      10_000,
      'the arranged expert to be indexed',
    );
    expect(response.body.mode).toBe('lexical');
    expect(response.body.need.requirements).toEqual(['Organic Inspector (EU 2018/848)', 'EU organic (Regulation 2018/848)']);
    expect(ids(response)).not.toContain(usdaExpertId);
    for (const item of response.body.items) {
      expect(item.meetsRequirements).toBe(true);
      expect(item.expert.certifications).toContain('eu-organic-inspector');
      expect(item.reasons.length).toBeGreaterThan(0);
      expect(item.score).toBeGreaterThan(0);
      expect(item.score).toBeLessThanOrEqual(1);
    }
    const anna = response.body.items.find((item: { expert: { id: string } }) => item.expert.id === euExpertId);
    expect(anna.reasons).toEqual(expect.arrayContaining(['speaks German', 'within budget (EUR 120/h)', '11 years in EU organic (Regulation 2018/848)']));
    expect(anna.breakdown.language).toEqual({ score: 1, weight: 0.15 });
    expect(anna.breakdown.availability.score).toBe(1);

    const usda = await post({ title: 'USDA organic certification for our bakery', languages: ['de'] });
    expect(ids(usda)).toContain(usdaExpertId);
    expect(ids(usda)).not.toContain(euExpertId);
  });

  it('returns near-misses with what they lack when nobody meets the requirements', async () => {
    const response = await post({ title: 'Organic inspection of our bakery', specializations: ['usda-organic'], certifications: ['eu-organic-inspector'], limit: 5 });
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeGreaterThan(0);
    for (const item of response.body.items) {
      expect(item.meetsRequirements).toBe(false);
      expect(item.cautions.length).toBeGreaterThan(0);
      expect(item.reasons.length).toBeGreaterThan(0);
    }
    const bob = response.body.items.find((item: { expert: { id: string } }) => item.expert.id === usdaExpertId);
    expect(bob.cautions).toContain('holds Organic Inspector (USDA NOP), not Organic Inspector (EU 2018/848)');
  });

  it('names every bad field in a 400 problem', async () => {
    const cases: [unknown, string[]][] = [
      [{ description: 'no title' }, ['body.title']],
      [{ title: 'HACCP plan', specializations: ['astrology'], certifications: ['wizard'] }, ['body.specializations.0', 'body.certifications.0']],
      [{ title: 'HACCP plan', deadline: '2020-01-01', budget: { amount: 0, currency: 'EURO' } }, ['body.deadline', 'body.budget.amount', 'body.budget.currency']],
      [{ title: 'HACCP plan', languages: ['xx'], country: 'ZZ', limit: 51 }, ['body.languages.0', 'body.country', 'body.limit']],
      [{ title: 'HACCP plan', jurisdictions: ['usa'], industry: 'astrology' }, ['body.jurisdictions.0', 'body.industry']],
    ];
    for (const [body, fields] of cases) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      expect(
        response.body.errors.map((error: { field: string }) => error.field),
        JSON.stringify(body),
      ).toEqual(expect.arrayContaining(fields));
    }
    const unknown = await post({ title: 'HACCP plan', surprise: 1 });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toMatch(/surprise/);
  });

  it("counts suggestion appearances in the expert's analytics", async () => {
    await post(euNeed);
    const today = new Date().toISOString().slice(0, 10);
    const counted = await waitFor(
      async () => {
        const response = await client.call('GET', `v1/experts/analytics?from=${today}&to=${today}`, { token: tokens.expert });
        return response.body.totals.suggestionAppearances > 0 ? response.body.totals.suggestionAppearances : undefined;
      },
      10_000,
      'suggestion appearances',
    );
    expect(counted).toBeGreaterThan(0);
  });
});
