import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from './passwords';
import { ROLES, SELF_SERVICE_ROLES } from './principal';

/**
 * Text people write and others read: trimmed, NFC, no control characters and no markup, so it
 * can never carry active HTML wherever it is shown. Refused rather than silently altered.
 */
export function plainText(max: number) {
  return z
    .string()
    .transform((value) => value.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`)
        .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), 'must not contain control characters')
        .refine((value) => !/<\s*[a-zA-Z!/?]|&#?\w+;/.test(value), 'must be plain text (no HTML tags or entities)'),
    );
}

/** A "name at least one field" rule only speaks when the fields themselves are fine. */
const onlyIfValidSoFar = (payload: { issues: readonly unknown[] }) => payload.issues.length === 0;

const email = z
  .email('must be an email address')
  .max(254)
  .transform((value) => value.trim());
const password = z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
const code = z.string().trim().min(6).max(20).describe('A 6-digit code from the authenticator app, or a backup code');
const opaqueToken = z.string().min(16).max(512);

// `.strict()`: fields the client may not set (role, id, emailVerified, ...) are refused by name, not ignored.
export const registerBody = z
  .object({
    email,
    password,
    displayName: plainText(100),
    company: plainText(200).optional(),
    accountType: z.enum(SELF_SERVICE_ROLES).describe('client, expert or agent; admin is granted, never chosen'),
  })
  .strict()
  .meta({ id: 'RegisterRequest' });

export const loginBody = z.object({ email, password }).strict();
export const secondFactorBody = z.object({ challengeToken: opaqueToken, code }).strict();
export const refreshBody = z.object({ refreshToken: z.string().min(10).max(600) }).strict();
export const logoutBody = z
  .object({ everywhere: z.boolean().default(false) })
  .strict()
  .optional();
export const profilePatch = z
  .object({ displayName: plainText(100).optional(), company: plainText(200).nullable().optional(), bio: plainText(2000).nullable().optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one field to change', when: onlyIfValidSoFar });
export const changePasswordBody = z.object({ currentPassword: password, newPassword: password }).strict();
export const forgotBody = z.object({ email }).strict();
export const resetBody = z.object({ token: opaqueToken, newPassword: password }).strict();
export const tokenBody = z.object({ token: opaqueToken }).strict();
export const codeBody = z.object({ code }).strict();
export const disableTwoFactorBody = z.object({ password, code }).strict();

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    displayName: z.string(),
    company: z.string().optional(),
    bio: z.string().optional(),
    roles: z.array(z.enum(ROLES)),
    status: z.enum(['active', 'suspended']),
    twoFactorEnabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });

export const tokenPairSchema = z
  .object({
    tokenType: z.literal('Bearer'),
    accessToken: z.string().describe('ES256 JWT, valid for expiresIn seconds'),
    expiresIn: z.number().int(),
    refreshToken: z.string().describe('Opaque; single use, each refresh returns a new one'),
    refreshExpiresAt: z.string(),
    user: userSchema,
  })
  .meta({ id: 'TokenPair' });

export const challengeSchema = z.object({ twoFactorRequired: z.literal(true), challengeToken: z.string(), expiresAt: z.string() }).meta({ id: 'TwoFactorChallenge' });

export const sessionSchema = z
  .object({ id: z.string(), createdAt: z.string(), lastUsedAt: z.string(), expiresAt: z.string(), ip: z.string(), userAgent: z.string(), current: z.boolean() })
  .meta({ id: 'Session' });

export const adminUserPatch = z
  .object({ roles: z.array(z.enum(ROLES)).min(1, 'an account needs at least one role').max(4).optional(), status: z.enum(['active', 'suspended']).optional() })
  .strict()
  .refine((body) => body.roles !== undefined || body.status !== undefined, { message: 'name roles or status', when: onlyIfValidSoFar });

export const auditRecordSchema = z
  .object({
    id: z.string(),
    chain: z.string(),
    seq: z.number(),
    at: z.string(),
    action: z.string(),
    actorId: z.string().nullable(),
    targetId: z.string().optional(),
    outcome: z.enum(['success', 'failure']),
    ip: z.string().optional(),
    userAgent: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditRecord' });
