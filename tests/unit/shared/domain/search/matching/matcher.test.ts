import { describe, expect, it } from 'vitest';
import { ExpertIndex } from '../../../../../../shared/domain/search/expert-index';
import { ExposureCounter } from '../../../../../../shared/domain/search/matching/fairness';
import { suggest } from '../../../../../../shared/domain/search/matching/matcher';
import { needSchema } from '../../../../../../shared/domain/search/matching/need';
import type { SemanticSignals } from '../../../../../../shared/domain/search/semantic';
import { cert, expert, NOW, parseNeed, TODAY } from '../../../../../helpers/matching-experts';

function pool(): ExpertIndex {
  const index = new ExpertIndex();
  index.put(
    expert('eu-1', {
      name: 'Anna Weber',
      headline: 'EU organic consultant for bakeries',
      languages: ['de', 'en'],
      country: 'DE',
      timeZone: 'Europe/Berlin',
      specializations: [{ id: 'eu-organic', years: 11, level: 'expert' }],
      certifications: [cert('eu-organic-inspector')],
      jurisdictions: ['EU', 'DE'],
      hourlyRate: { amount: 120, currency: 'EUR' },
      rating: { average: 4.8, count: 30 },
    }),
  );
  index.put(
    expert('us-1', {
      name: 'Bob Miller',
      headline: 'USDA organic inspector',
      languages: ['en'],
      country: 'US',
      timeZone: 'America/Chicago',
      specializations: [{ id: 'usda-organic', years: 20, level: 'authority' }],
      certifications: [cert('usda-organic-inspector')],
      jurisdictions: ['US'],
    }),
  );
  index.put(
    expert('us-2', {
      name: 'Carla Ruiz',
      headline: 'Organic system plans for farms',
      languages: ['es', 'en'],
      specializations: [{ id: 'usda-organic', years: 6, level: 'expert' }],
      certifications: [cert('usda-organic-inspector')],
      jurisdictions: ['US'],
    }),
  );
  index.put(
    expert('pc-1', {
      name: 'Dan Cole',
      headline: 'FSMA preventive controls lead',
      specializations: [{ id: 'fsma-preventive-controls', years: 12, level: 'expert' }],
      certifications: [cert('pcqi')],
      languages: ['en', 'es'],
    }),
  );
  return index;
}

const euNeed = () => parseNeed({ title: 'EU organic certification for our bakery line', languages: ['de'], budget: { amount: 150, currency: 'EUR' }, country: 'DE' });
const usdaOnly = () => parseNeed({ title: 'Organic inspector for our farm', certifications: ['eu-organic-inspector'], specializations: ['usda-organic'], jurisdictions: ['US'] });

describe('suggest', () => {
  it('ranks experts meeting the requirements with a breakdown, reasons and the concepts it read', async () => {
    const result = await suggest(pool(), euNeed(), { now: NOW });
    expect(result.mode).toBe('lexical');
    expect(result.fallback).toBeUndefined();
    expect(result.need.specializations.map((concept) => concept.id)).toEqual(expect.arrayContaining(['eu-organic']));
    expect(result.need.requirements).toEqual(['Organic Inspector (EU 2018/848)', 'EU organic (Regulation 2018/848)']);
    expect(result.items.map((item) => item.expert.id)).toEqual(['eu-1']);
    const [top] = result.items;
    expect(top!.meetsRequirements).toBe(true);
    expect(top!.reasons).toEqual(
      expect.arrayContaining(['certified Organic Inspector (EU 2018/848)', 'speaks German', 'within budget (EUR 120/h)', '11 years in EU organic (Regulation 2018/848)', 'works in your time zone']),
    );
    expect(top!.breakdown).toMatchObject({ language: { score: 1, weight: 0.15 }, price: { score: 1, weight: 0.07 } });
    expect(top!.breakdown.availability).toBeUndefined();
    expect(top!.score).toBeGreaterThan(0.7);
  });

  it('returns near-misses, flagged and saying what they lack, when nobody meets the requirements', async () => {
    const result = await suggest(pool(), usdaOnly(), { now: NOW });
    expect(result.items.length).toBeGreaterThan(0);
    expect(result.items.every((item) => !item.meetsRequirements)).toBe(true);
    // Fewest gaps first: the USDA organic experts lack only the EU certification.
    expect(
      result.items
        .slice(0, 2)
        .map((item) => item.expert.id)
        .sort(),
    ).toEqual(['us-1', 'us-2']);
    expect(result.items[0]!.cautions).toContain('holds Organic Inspector (USDA NOP), not Organic Inspector (EU 2018/848)');
    for (const item of result.items) expect(item.reasons.length).toBeGreaterThan(0);
  });

  it('spreads near-ties by exposure and records who was suggested', async () => {
    const index = new ExpertIndex();
    for (const id of ['twin-a', 'twin-b']) index.put(expert(id, { name: 'Pat Lee', headline: 'Kosher supervisor', specializations: [{ id: 'kosher', years: 10, level: 'expert' }] }));
    const exposure = new ExposureCounter();
    const need = parseNeed({ title: 'Kosher supervision', limit: 1 });
    const first = await suggest(index, need, { now: NOW, exposure });
    const second = await suggest(index, need, { now: NOW, exposure });
    expect(first.items[0]!.expert.id).toBe('twin-a');
    expect(second.items[0]!.expert.id).toBe('twin-b');
    expect(exposure.exposure('twin-a', NOW.getTime())).toBe(1);
  });

  it('scores only the candidates, however large the index', async () => {
    const index = pool();
    for (let i = 0; i < 50; i++) index.put(expert(`filler-${i}`, { headline: 'Kosher supervisor', specializations: [{ id: 'kosher', years: 3, level: 'practitioner' }] }));
    const result = await suggest(index, parseNeed({ title: 'kosher supervision', limit: 50 }), { now: NOW, candidates: 5 });
    expect(result.items).toHaveLength(5);
  });
});

describe('modes', () => {
  const similar: SemanticSignals = {
    similarities: async () =>
      new Map([
        ['eu-1', 0.93],
        ['us-1', 0.4],
      ]),
  };

  it('adds embedding similarity as a factor in hybrid mode', async () => {
    const result = await suggest(pool(), euNeed(), { now: NOW, semantic: similar });
    expect(result.mode).toBe('hybrid');
    expect(result.items[0]!.breakdown.semantic).toEqual({ score: 0.93, weight: 0.2 });
    expect(result.items[0]!.reasons).toContain('profile is close in meaning to your request');
  });

  it('re-ranks with explanations when the signals can', async () => {
    const signals: SemanticSignals = {
      ...similar,
      rerank: async (_text, candidates) => candidates.map((candidate) => ({ id: candidate.id, score: candidate.id === 'us-2' ? 1 : 0, explanation: `model says ${candidate.id}` })),
    };
    const result = await suggest(pool(), parseNeed({ title: 'USDA organic system plan' }), { now: NOW, semantic: signals });
    expect(result.mode).toBe('hybrid+rerank');
    expect(result.items[0]!.expert.id).toBe('us-2');
    expect(result.items[0]!.reasons).toContain('model says us-2');
  });

  it('falls back to lexical and says why when the signals fail or are too slow', async () => {
    // The status, never the message (which may quote the endpoint or part of a key).
    const unauthorized = Object.assign(new Error('401 Incorrect API key provided: sk-abc***xyz'), { status: 401 });
    const failed = await suggest(pool(), euNeed(), { now: NOW, semantic: { similarities: async () => Promise.reject(unauthorized) } });
    expect(failed).toMatchObject({ mode: 'lexical', fallback: 'semantic signals failed: HTTP 401' });
    expect(JSON.stringify(failed)).not.toMatch(/sk-abc/);
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.4:443'), { code: 'ECONNREFUSED' });
    expect((await suggest(pool(), euNeed(), { now: NOW, semantic: { similarities: async () => Promise.reject(refused) } })).fallback).toBe('semantic signals failed: ECONNREFUSED');
    expect(failed.items[0]!.breakdown.semantic).toBeUndefined();
    const slow: SemanticSignals = { similarities: () => new Promise(() => {}) };
    const timedOut = await suggest(pool(), euNeed(), { now: NOW, semantic: slow, semanticTimeoutMs: 20 });
    expect(timedOut).toMatchObject({ mode: 'lexical', fallback: 'semantic signals failed: no answer within 20 ms' });
    expect(timedOut.items.map((item) => item.expert.id)).toEqual(['eu-1']);
  });

  it('keeps hybrid and says so when only the re-rank fails', async () => {
    const result = await suggest(pool(), euNeed(), { now: NOW, semantic: { ...similar, rerank: async () => Promise.reject(new TypeError('bad JSON from the model')) } });
    expect(result).toMatchObject({ mode: 'hybrid', fallback: 're-rank failed: TypeError' });
  });
});

describe('need schema', () => {
  it('names each bad field', () => {
    const result = needSchema(() => TODAY).safeParse({
      title: '',
      specializations: ['astrology'],
      certifications: ['wizard'],
      languages: ['xx'],
      budget: { amount: -5, currency: 'ZZZ' },
      deadline: '2026-11-01',
      country: 'ZZ',
      limit: 500,
      surprise: true,
    });
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((issue) => issue.path.join('.') || issue.message);
    expect(fields).toEqual(expect.arrayContaining(['title', 'specializations.0', 'certifications.0', 'languages.0', 'budget.amount', 'budget.currency', 'deadline', 'country', 'limit']));
    expect(result.error!.issues.some((issue) => issue.code === 'unrecognized_keys')).toBe(true);
    expect(needSchema(() => TODAY).parse({ title: 'HACCP plan' }).limit).toBe(10);
  });
});

describe('candidate generation', () => {
  it('finds candidates by words, concepts and named certifications, skipping words most of a large pool uses unless nothing else is left', async () => {
    const index = new ExpertIndex();
    for (let i = 0; i < 1_200; i++)
      index.put(expert(`common-${String(i).padStart(4, '0')}`, { headline: 'Food safety advisor', specializations: [{ id: 'gmp-sanitation', years: 5, level: 'expert' }] }));
    index.put(expert('kosher', { headline: 'Food safety and kosher supervision', specializations: [{ id: 'kosher', years: 9, level: 'expert' }] }));
    const kosher = await suggest(index, parseNeed({ title: 'food safety for kosher supervision', limit: 3 }), { now: NOW, candidates: 3 });
    expect(kosher.items[0]!.expert.id).toBe('kosher');
    expect(kosher.items[0]!.breakdown.text!.score).toBe(1);
    const vague = await suggest(index, parseNeed({ title: 'food safety advisor', limit: 3 }), { now: NOW, candidates: 3 });
    expect(vague.items).toHaveLength(3);
    for (const item of vague.items) expect(item.reasons.length).toBeGreaterThan(0);
  });
});
