import { countries, languages } from 'countries-list';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { z } from 'zod';
import { findCertification, findSpecialization } from './taxonomy';

/**
 * What an expert may write on their profile. Fields the marketplace owns — the verified badge,
 * rating, analytics, ids — are not part of it, so a body that sends them is refused (strict
 * objects), never silently applied.
 */

export const INDUSTRIES = [
  'dairy',
  'meat',
  'poultry',
  'seafood',
  'eggs',
  'produce',
  'bakery',
  'grains-cereals',
  'confectionery',
  'snacks',
  'beverages',
  'alcoholic-beverages',
  'frozen-foods',
  'ready-meals',
  'plant-based',
  'infant-nutrition',
  'dietary-supplements',
  'spices-seasonings',
  'oils-fats',
  'ingredients',
  'pet-food',
  'foodservice',
  'retail',
  'packaging-suppliers',
] as const;

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const JURISDICTION = /^([A-Z]{2}|EU)$/;

/** Plain text up to `max` characters, trimmed; markup and control characters are refused. */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // Stored and served as plain text; markup would be shown literally, so refuse it up front.
    .refine((value) => !/<\s*\/?\s*[a-z!]/i.test(value), 'must be plain text (no HTML tags)')
    .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), 'must not contain control characters');

const isoDate = z.iso.date();
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (24-hour)');

export const countryCode = z.string().refine((code) => Object.hasOwn(countries, code), 'must be an ISO 3166-1 alpha-2 country code such as US or DE');

export const languageCode = z.string().refine((code) => Object.hasOwn(languages, code), 'must be an ISO 639-1 language code such as en or es');

export const currencyCode = z.string().refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 currency code such as USD or EUR');

export const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/Chicago');

/** A phone number in E.164 (`+` and digits) that exists in its country's numbering plan. */
export const phoneNumber = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be in E.164 form, e.g. +14155550100')
  .refine((number) => isValidPhoneNumber(number), 'is not a valid phone number for its country code');

const slot = z.strictObject({ start: time, end: time }).refine((value) => value.start < value.end, { message: 'must end after it starts', path: ['end'] });

export const availabilitySchema = z.strictObject({
  /** Weekly hours in the expert's own time zone. */
  weekly: z
    .array(z.strictObject({ day: z.enum(DAYS), slots: z.array(slot).max(6) }))
    .max(7)
    .refine((days) => new Set(days.map((entry) => entry.day)).size === days.length, 'lists a day more than once'),
  /** Dates that differ from the week: unavailable (no slots), or other hours. */
  exceptions: z
    .array(z.strictObject({ date: isoDate, slots: z.array(slot).max(6), note: plainText(200).optional() }))
    .max(366)
    .default([]),
});

export const declaredCertificationSchema = z
  .strictObject({
    /** Stable id of this entry on the profile (the client picks it, e.g. a UUID). */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
    certificationId: z
      .string()
      .refine((id) => findCertification(id) !== undefined, 'is not a certification in GET /api/v1/specializations')
      .optional(),
    name: plainText(200).pipe(z.string().min(2)),
    issuer: plainText(200).pipe(z.string().min(2)),
    number: plainText(40).pipe(z.string().min(1)),
    issuedOn: isoDate.optional(),
    expiresOn: isoDate.optional(),
    /** An uploaded document that evidences it (POST /api/v1/experts/documents). */
    documentId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .refine((value) => !value.issuedOn || !value.expiresOn || value.issuedOn < value.expiresOn, { message: 'must be after issuedOn', path: ['expiresOn'] });

export const profileInputSchema = z.strictObject({
  name: plainText(120).pipe(z.string().min(2)),
  headline: plainText(160).pipe(z.string().min(10)),
  bio: plainText(5000).default(''),
  specializations: z
    .array(
      z.strictObject({
        id: z.string().refine((id) => findSpecialization(id) !== undefined, 'is not a specialization in GET /api/v1/specializations'),
        years: z.number().int().min(0).max(70),
        level: z.enum(['practitioner', 'expert', 'authority']),
      }),
    )
    .min(1)
    .max(15)
    .refine((list) => new Set(list.map((entry) => entry.id)).size === list.length, 'lists a specialization more than once'),
  certifications: z
    .array(declaredCertificationSchema)
    .max(30)
    .default([])
    .refine((list) => new Set(list.map((entry) => entry.id)).size === list.length, 'uses a certification id more than once'),
  industries: z.array(z.enum(INDUSTRIES)).max(INDUSTRIES.length).default([]),
  jurisdictions: z.array(z.string().regex(JURISDICTION, 'must be an ISO 3166-1 alpha-2 country code or EU')).max(50).default([]),
  languages: z.array(languageCode).min(1).max(20),
  country: countryCode,
  timeZone,
  hourlyRate: z.strictObject({
    amount: z.number().positive().max(100_000).multipleOf(0.01),
    currency: currencyCode,
  }),
  availability: availabilitySchema.default({ weekly: [], exceptions: [] }),
  /** Credential-expiry reminders also go to this WhatsApp number while optIn is true. Private: never on the public profile. */
  whatsapp: z.strictObject({ number: phoneNumber, optIn: z.boolean() }).optional(),
});

export type ProfileInput = z.output<typeof profileInputSchema>;
export type DeclaredCertificationInput = z.output<typeof declaredCertificationSchema>;

/**
 * A PATCH body: any subset of the fields, without the defaults — a field left out keeps its
 * stored value instead of being reset to its default. The merged profile is then checked whole
 * against `profileInputSchema`.
 */
export const profilePatchSchema = z.strictObject(
  Object.fromEntries(Object.entries(profileInputSchema.shape).map(([name, field]): [string, z.ZodType] => [name, (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field).optional()])),
);

export type ProfilePatch = z.output<typeof profilePatchSchema>;
