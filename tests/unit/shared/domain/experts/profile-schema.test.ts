import { describe, expect, it } from 'vitest';
import { profileInputSchema } from '../../../../../shared/domain/experts/profile-schema';

const valid = {
  name: 'María García-López',
  headline: 'PCQI and FSVP specialist for Latin American exporters',
  bio: 'Twelve years in FSMA preventive controls.',
  specializations: [
    { id: 'fsma-preventive-controls', years: 12, level: 'expert' },
    { id: 'fsvp', years: 8, level: 'expert' },
  ],
  certifications: [{ id: 'c1', certificationId: 'pcqi', name: 'PCQI', issuer: 'FSPCA', number: 'PCQI-2024-118733', issuedOn: '2024-03-31', expiresOn: '2027-03-31' }],
  industries: ['produce', 'seafood'],
  jurisdictions: ['US', 'MX', 'EU'],
  languages: ['es', 'en'],
  country: 'MX',
  timeZone: 'America/Mexico_City',
  hourlyRate: { amount: 95, currency: 'USD' },
  availability: { weekly: [{ day: 'mon', slots: [{ start: '09:00', end: '13:00' }] }], exceptions: [{ date: '2026-12-24', slots: [] }] },
};

const problems = (input: unknown) => {
  const parsed = profileInputSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('expert profile input', () => {
  it('accepts a complete profile and fills defaults', () => {
    const parsed = profileInputSchema.parse({ ...valid, bio: undefined, availability: undefined });
    expect(parsed.bio).toBe('');
    expect(parsed.availability).toEqual({ weekly: [], exceptions: [] });
  });

  it('refuses fields the marketplace owns (mass assignment)', () => {
    for (const field of ['verified', 'rating', 'id', 'userId', 'verification', 'analytics']) {
      expect(problems({ ...valid, [field]: true }).join()).toMatch(/Unrecognized key/);
    }
  });

  it('names each bad code: country, language, currency, time zone, jurisdiction', () => {
    const issues = problems({ ...valid, country: 'XX', languages: ['zz'], hourlyRate: { amount: 95, currency: 'USX' }, timeZone: 'Mars/Olympus', jurisdictions: ['usa'] });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^country: must be an ISO 3166-1 alpha-2/),
        expect.stringMatching(/^languages\.0: must be an ISO 639-1/),
        expect.stringMatching(/^hourlyRate\.currency: must be an ISO 4217/),
        expect.stringMatching(/^timeZone: must be an IANA time zone/),
        expect.stringMatching(/^jurisdictions\.0: /),
      ]),
    );
  });

  it('refuses specializations and certifications that are not in the taxonomy, and duplicates', () => {
    expect(problems({ ...valid, specializations: [{ id: 'astrology', years: 1, level: 'expert' }] })).toEqual(['specializations.0.id: is not a specialization in GET /api/v1/specializations']);
    expect(problems({ ...valid, specializations: [valid.specializations[0], valid.specializations[0]] })).toEqual(['specializations: lists a specialization more than once']);
    expect(problems({ ...valid, certifications: [{ ...valid.certifications[0], certificationId: 'fake' }] })[0]).toMatch(/certifications\.0\.certificationId/);
  });

  it('keeps text plain: markup and control characters are refused', () => {
    expect(problems({ ...valid, bio: 'Hi <script>alert(1)</script>' })).toEqual(['bio: must be plain text (no HTML tags)']);
    expect(problems({ ...valid, headline: 'Food safety \u0007 consultant here' })).toEqual(['headline: must not contain control characters']);
    expect(problems({ ...valid, bio: 'Temperatures < 5 °C and pH > 4.6' })).toEqual([]);
  });

  it('checks dates, hours and rates', () => {
    expect(problems({ ...valid, certifications: [{ ...valid.certifications[0], expiresOn: '2020-01-01' }] })).toEqual(['certifications.0.expiresOn: must be after issuedOn']);
    expect(problems({ ...valid, availability: { weekly: [{ day: 'mon', slots: [{ start: '13:00', end: '09:00' }] }] } })).toEqual(['availability.weekly.0.slots.0.end: must end after it starts']);
    expect(
      problems({
        ...valid,
        availability: {
          weekly: [
            { day: 'mon', slots: [] },
            { day: 'mon', slots: [] },
          ],
        },
      }),
    ).toEqual(['availability.weekly: lists a day more than once']);
    expect(problems({ ...valid, hourlyRate: { amount: -5, currency: 'USD' } })[0]).toMatch(/^hourlyRate\.amount/);
    expect(problems({ ...valid, hourlyRate: { amount: 10.005, currency: 'USD' } })[0]).toMatch(/^hourlyRate\.amount/);
  });
});
