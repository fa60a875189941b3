import { describe, expect, it } from 'vitest';
import { phoneNumber, profileInputSchema } from '../../../../../shared/domain/experts/profile-schema';

// The WhatsApp opt-in on the profile: an optional, explicit choice with a real E.164 number.
const profile = {
  name: 'María García-López',
  headline: 'PCQI and FSVP specialist for Latin American exporters',
  specializations: [{ id: 'fsvp', years: 8, level: 'expert' }],
  languages: ['es'],
  country: 'MX',
  timeZone: 'America/Mexico_City',
  hourlyRate: { amount: 95, currency: 'USD' },
};

describe('WhatsApp opt-in on the profile', () => {
  it('is optional, and kept when given with a valid number', () => {
    expect(profileInputSchema.parse(profile).whatsapp).toBeUndefined();
    expect(profileInputSchema.parse({ ...profile, whatsapp: { number: '+525512345678', optIn: true } }).whatsapp).toEqual({ number: '+525512345678', optIn: true });
  });

  it('refuses numbers that are not E.164 or not in their country plan, and unknown fields', () => {
    expect(phoneNumber.safeParse('+4915123456789').success).toBe(true);
    expect(phoneNumber.safeParse('015123456789').error?.issues[0]?.message).toBe('must be in E.164 form, e.g. +14155550100');
    expect(phoneNumber.safeParse('+1 415 555 0123').success).toBe(false);
    expect(phoneNumber.safeParse('+10005550123').error?.issues[0]?.message).toBe('is not a valid phone number for its country code');
    expect(profileInputSchema.safeParse({ ...profile, whatsapp: { number: '+525512345678' } }).success).toBe(false);
    expect(profileInputSchema.safeParse({ ...profile, whatsapp: { number: '+525512345678', optIn: true, verified: true } }).success).toBe(false);
  });
});
