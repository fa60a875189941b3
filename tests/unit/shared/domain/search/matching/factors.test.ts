import { describe, expect, it } from 'vitest';
import { availabilityBeforeDeadline } from '../../../../../../shared/domain/search/matching/factors/availability';
import { certificationFit } from '../../../../../../shared/domain/search/matching/factors/certifications';
import { expertise } from '../../../../../../shared/domain/search/matching/factors/expertise';
import { industryFit } from '../../../../../../shared/domain/search/matching/factors/industry';
import { languageFit } from '../../../../../../shared/domain/search/matching/factors/language';
import { priceFit } from '../../../../../../shared/domain/search/matching/factors/price';
import { rating } from '../../../../../../shared/domain/search/matching/factors/rating';
import { responsiveness } from '../../../../../../shared/domain/search/matching/factors/responsiveness';
import { semanticSimilarity } from '../../../../../../shared/domain/search/matching/factors/semantic';
import { textRelevance } from '../../../../../../shared/domain/search/matching/factors/text';
import { timeZoneOverlap } from '../../../../../../shared/domain/search/matching/factors/time-zone-overlap';
import { countryOffsetHours, utcOffsetHours } from '../../../../../../shared/domain/search/matching/factors/time-zones';
import { cert, context, expert } from '../../../../../helpers/matching-experts';

const weekdays = (...days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[]) => ({ weekly: days.map((day) => ({ day, slots: [{ start: '09:00', end: '17:00' }] })), exceptions: [] });

describe('soft factors', () => {
  it('text relevance: the normalised BM25 score, with a reason only for a close match', () => {
    const text = new Map([
      ['a', 1],
      ['b', 0.3],
    ]);
    expect(textRelevance(expert('a'), context({}, { text }))).toEqual({ score: 1, reason: 'profile closely matches the words of your request' });
    expect(textRelevance(expert('b'), context({}, { text }))).toEqual({ score: 0.3 });
    expect(textRelevance(expert('c'), context({}, { text }))).toEqual({ score: 0 });
  });

  it('expertise: coverage, years and level, with a neighbouring specialization worth less and a reason quoting the years', () => {
    const seasoned = expert('s', { specializations: [{ id: 'fsma-preventive-controls', years: 12, level: 'expert' }] });
    const junior = expert('j', { specializations: [{ id: 'fsma-preventive-controls', years: 2, level: 'practitioner' }] });
    const neighbour = expert('n', { specializations: [{ id: 'fsvp', years: 20, level: 'authority' }] });
    const about = context({}, { concepts: [{ id: 'fsma-preventive-controls', weight: 2 }] });
    const a = expertise(seasoned, about)!;
    expect(a.reason).toBe('12 years in FSMA preventive controls');
    expect(a.score).toBeCloseTo(0.6 + 0.25 * (12 / 15) + 0.15 * 0.8);
    expect(expertise(junior, about)!.score).toBeLessThan(a.score);
    expect(expertise(neighbour, about)).toEqual({ score: 0.2 });
    expect(expertise(expert('x', { specializations: [{ id: 'kosher', years: 5, level: 'expert' }] }), about)).toEqual({ score: 0 });
    expect(expertise(seasoned, context({}))).toBeUndefined();
    // A parent concept is covered by a declared child, with the child's years.
    expect(expertise(neighbour, context({}, { concepts: [{ id: 'fsma', weight: 1 }] }))!.reason).toBe('20 years in Foreign Supplier Verification Program');
    // Concepts count by weight: the headline's kosher outweighs the description's passing FSMA.
    const weighted = context(
      {},
      {
        concepts: [
          { id: 'kosher', weight: 2 },
          { id: 'fsma', weight: 0.5 },
        ],
      },
    );
    const kosher = expert('k', { specializations: [{ id: 'kosher', years: 15, level: 'authority' }] });
    expect(expertise(kosher, weighted)!.score).toBeCloseTo((2 * 1) / 2.5);
    expect(expertise(neighbour, weighted)!.score).toBeCloseTo((0.5 * 1) / 2.5);
  });

  it('certifications: a named one scores 1; otherwise evidence per concept, halved when a named one is missing', () => {
    const pcqi = expert('p', { certifications: [cert('pcqi')] });
    const broker = expert('b', { certifications: [cert('licensed-customs-broker')] });
    expect(certificationFit(pcqi, context({}, { namedCertifications: ['pcqi'] }))).toEqual({ score: 1, reason: 'PCQI certified' });
    const haccp = context({}, { concepts: [{ id: 'haccp', weight: 1 }] });
    expect(certificationFit(pcqi, haccp)).toEqual({ score: 1, reason: 'PCQI certified' });
    expect(certificationFit(pcqi, context({}, { concepts: [{ id: 'haccp', weight: 1 }], namedCertifications: ['fsvp-qi'] }))!.score).toBe(0.5);
    expect(certificationFit(expert('none'), context({}, { namedCertifications: ['pcqi'] }))).toEqual({ score: 0 });
    // Halal (weight 2) and export (weight 1): a customs broker evidences only the export part.
    const halalExport = context(
      {},
      {
        concepts: [
          { id: 'halal', weight: 2 },
          { id: 'trade-compliance', weight: 1 },
        ],
      },
    );
    expect(certificationFit(broker, halalExport)).toEqual({ score: 1 / 3, reason: 'LCB certified' });
    // A concept no certification evidences (sustainability) leaves nothing to judge.
    expect(certificationFit(pcqi, context({}, { concepts: [{ id: 'sustainability', weight: 1 }] }))).toBeUndefined();
  });

  it("availability: working days before the deadline in the expert's own time zone, minus days off", () => {
    // 2026-12-07 is a Monday; the deadline Friday 11th leaves Mon..Fri.
    const busy = expert('b', {
      availability: {
        ...weekdays('mon', 'tue'),
        exceptions: [
          { date: '2026-12-07', slots: [] },
          { date: '2026-12-08', slots: [] },
        ],
      },
    });
    const open = expert('o', { availability: weekdays('mon', 'wed', 'fri') });
    const oneDay = expert('d', { availability: weekdays('thu') });
    const due = context({ deadline: '2026-12-11' });
    expect(availabilityBeforeDeadline(open, due)).toEqual({ score: 1, reason: 'available before your deadline (3 working days by 2026-12-11)' });
    expect(availabilityBeforeDeadline(oneDay, due)!.score).toBeCloseTo(1 / 3);
    expect(availabilityBeforeDeadline(busy, due)).toEqual({ score: 0, caution: 'no working days before your deadline (2026-12-11)' });
    expect(availabilityBeforeDeadline(open, context({}))).toBeUndefined();
    // At 12:00 UTC on Monday it is already Tuesday in Auckland (UTC+13): Monday no longer counts there.
    const mondayOnly = (timeZone: string) => expert(timeZone, { timeZone, availability: weekdays('mon') });
    const noon = { now: new Date('2026-12-07T12:00:00Z') };
    expect(availabilityBeforeDeadline(mondayOnly('America/Chicago'), context({ deadline: '2026-12-08' }, noon))!.score).toBe(0.5);
    expect(availabilityBeforeDeadline(mondayOnly('Pacific/Auckland'), context({ deadline: '2026-12-08' }, noon))!.score).toBe(0);
  });

  it('rating: the Bayesian rating mapped to 0..1, quoted only with enough reviews', () => {
    const loved = expert('l', { rating: { average: 4.9, count: 40 } });
    const once = expert('o', { rating: { average: 5, count: 1 } });
    const poor = expert('p', { rating: { average: 3.1, count: 20 } });
    expect(rating(loved, context({}))).toMatchObject({ reason: 'rated 4.9 from 40 reviews' });
    expect(rating(loved, context({}))!.score).toBeGreaterThan(rating(once, context({}))!.score);
    expect(rating(once, context({}))).toEqual({ score: expect.closeTo((4.2 * 8 + 5 - 1 * 9) / 36, 5) });
    expect(rating(poor, context({}))).toMatchObject({ caution: 'rated 3.1 from 20 reviews' });
    expect(rating(expert('n'), context({}))).toMatchObject({ score: 0.8, caution: 'no reviews yet (counted as the marketplace average, 4.2)' });
  });

  it('responsiveness: faster replies score higher; unknown is neutral', () => {
    const fast = expert('f', { responsiveness: { medianHours: 3.2, sample: 10 } });
    const slow = expert('s', { responsiveness: { medianHours: 96, sample: 10 } });
    expect(responsiveness(fast, context({}))).toEqual({ score: 1 / (1 + 3.2 / 12), reason: 'usually replies within 4 hours' });
    expect(responsiveness(slow, context({}))).toMatchObject({ caution: 'usually takes 4 days to reply' });
    expect(responsiveness(expert('u'), context({}))).toEqual({ score: 0.5 });
  });

  it('price: within budget, a share over it, and another currency neither converted nor penalised', () => {
    const need = context({ budget: { amount: 100, currency: 'USD' } });
    expect(priceFit(expert('a', { hourlyRate: { amount: 95, currency: 'USD' } }), need)).toEqual({ score: 1, reason: 'within budget (USD 95/h)' });
    expect(priceFit(expert('b', { hourlyRate: { amount: 120, currency: 'USD' } }), need)).toEqual({ score: expect.closeTo(0.6, 5), caution: '20% over your budget (USD 120/h)' });
    expect(priceFit(expert('c', { hourlyRate: { amount: 200, currency: 'USD' } }), need)!.score).toBe(0);
    expect(priceFit(expert('d', { hourlyRate: { amount: 90, currency: 'EUR' } }), need)).toEqual({ score: 0.5, caution: 'charges in EUR, your budget is in USD: not compared' });
    expect(priceFit(expert('e'), context({}))).toBeUndefined();
  });

  it('language: the share of wanted languages spoken, named', () => {
    const bilingual = expert('b', { languages: ['es', 'en'] });
    expect(languageFit(bilingual, context({ languages: ['es'] }))).toEqual({ score: 1, reason: 'speaks Spanish' });
    expect(languageFit(bilingual, context({ languages: ['es', 'pt'] }))).toEqual({ score: 0.5, reason: 'speaks Spanish', caution: 'does not list Portuguese' });
    expect(languageFit(bilingual, context({ languages: ['de'] }))).toEqual({ score: 0, caution: 'does not list German' });
    expect(languageFit(bilingual, context({}))).toBeUndefined();
  });

  it("time zone: working-day overlap with the buyer's country", () => {
    const at = new Date('2026-12-07T10:00:00Z');
    expect(countryOffsetHours('DE', at)).toBe(1);
    expect(countryOffsetHours('IN', at)).toBe(5.5);
    expect(utcOffsetHours('America/Chicago', at)).toBe(-6);
    const chicago = expert('c', { timeZone: 'America/Chicago' });
    const berlin = expert('b', { timeZone: 'Europe/Berlin' });
    const sydney = expert('s', { timeZone: 'Australia/Sydney' });
    expect(timeZoneOverlap(berlin, context({ country: 'FR' }))).toEqual({ score: 1, reason: 'works in your time zone' });
    expect(timeZoneOverlap(berlin, context({ country: 'IN' }))).toEqual({ score: (8 - 4.5) / 8 });
    expect(timeZoneOverlap(sydney, context({ country: 'DE' }))).toEqual({ score: 0, caution: 'no overlap with your working hours (UTC+11 vs your UTC+1)' });
    expect(timeZoneOverlap(chicago, context({ country: 'MX' }))).toMatchObject({ score: 1 });
    expect(timeZoneOverlap(chicago, context({}))).toBeUndefined();
  });

  it('industry and semantic similarity', () => {
    const dairy = expert('d', { industries: ['dairy'] });
    expect(industryFit(dairy, context({ industry: 'dairy' }))).toEqual({ score: 1, reason: 'works with dairy companies' });
    expect(industryFit(dairy, context({ industry: 'meat' }))).toEqual({ score: 0 });
    expect(semanticSimilarity(dairy, context({}))).toBeUndefined();
    expect(semanticSimilarity(dairy, context({}, { similarities: new Map([['d', 0.91]]) }))).toEqual({ score: 0.91, reason: 'profile is close in meaning to your request' });
  });
});
