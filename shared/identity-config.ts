import path from 'node:path';
import { z } from 'zod';

/**
 * Identity and security settings (issue 5), kept beside the main schema so shared/config.ts
 * stays readable. Every one is documented in the README's configuration table.
 */
export const RATE_LIMIT_TIERS = ['credentials', 'publicRead', 'read', 'write', 'expensive'] as const;
export type RateLimitTier = (typeof RATE_LIMIT_TIERS)[number];

export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

/** `N/S`: N requests per S seconds, e.g. `10/60`. */
const rateRule = z
  .string()
  .regex(/^\d{1,6}\/\d{1,6}$/, 'must be N/S: N requests per S seconds, e.g. 10/60')
  .transform((value): RateLimitRule => {
    const [limit, windowSeconds] = value.split('/').map(Number) as [number, number];
    return { limit, windowSeconds };
  })
  .refine((rule) => rule.limit >= 1 && rule.windowSeconds >= 1, 'both numbers must be at least 1');

/** The setting that holds each tier's rule, with its default. */
const RATE_SETTINGS = {
  credentials: ['RATE_LIMIT_CREDENTIALS', '10/60'],
  publicRead: ['RATE_LIMIT_PUBLIC_READ', '300/60'],
  read: ['RATE_LIMIT_READ', '600/60'],
  write: ['RATE_LIMIT_WRITE', '120/60'],
  expensive: ['RATE_LIMIT_EXPENSIVE', '10/60'],
} as const satisfies Record<RateLimitTier, readonly [string, string]>;

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const identitySettings = {
  JWT_ISSUER: z.string().min(1).default('https://foodxchange.dev/identity'),
  JWT_AUDIENCE: z.string().min(1).default('foodxchange-marketplace-api'),
  ACCESS_TOKEN_TTL_SECONDS: int(60, 3600, 900),
  REFRESH_TOKEN_TTL_DAYS: int(1, 365, 30),
  /** Local key file (signing keys and the data-encryption key); in Azure the keys come from Key Vault. */
  IDENTITY_KEYS_FILE: z.string().min(1).optional(),
  KEY_VAULT_URI: z.url().optional(),
  IDENTITY_KEYS_SECRET: z
    .string()
    .regex(/^[0-9a-zA-Z-]{1,127}$/, 'must be a Key Vault secret name')
    .default('identity-keys'),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(1).optional(),
  SENDGRID_API_KEY: z.string().min(1).optional(),
  MAIL_FROM: z.email().default('no-reply@foodxchange.dev'),
  /** Twilio's WhatsApp channel (Azure); without it WhatsApp messages are files under the data dir locally. */
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/, 'must be a Twilio account SID (AC followed by 32 hex digits)')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_WHATSAPP_FROM: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be the WhatsApp sender number in E.164, e.g. +14155238886')
    .default('+14155238886'),
  /** Attempts to deliver one email or WhatsApp message before it is parked as dead for an admin. */
  OUTBOX_MAX_ATTEMPTS: int(1, 50, 8),
  /** How long one delivery attempt owns a message; after a crash mid-attempt it is tried again this long later. Keep it above the providers' 30 s timeout. */
  OUTBOX_LEASE_SECONDS: int(5, 3600, 120),
  /** Where links in emails point (the web app that calls this API). */
  PUBLIC_APP_URL: z.url().default('http://localhost:3000'),
  ARGON2_MEMORY_KIB: int(8192, 1048576, 19456),
  ARGON2_TIME_COST: int(1, 20, 2),
  ARGON2_PARALLELISM: int(1, 16, 1),
  LOGIN_SLOWDOWN_AFTER: int(1, 100, 3),
  LOGIN_LOCK_AFTER: int(2, 1000, 10),
  LOGIN_LOCK_MINUTES: int(1, 24 * 60, 15),
  RATE_LIMIT_CREDENTIALS: z.string().default(RATE_SETTINGS.credentials[1]).pipe(rateRule),
  RATE_LIMIT_PUBLIC_READ: z.string().default(RATE_SETTINGS.publicRead[1]).pipe(rateRule),
  RATE_LIMIT_READ: z.string().default(RATE_SETTINGS.read[1]).pipe(rateRule),
  RATE_LIMIT_WRITE: z.string().default(RATE_SETTINGS.write[1]).pipe(rateRule),
  RATE_LIMIT_EXPENSIVE: z.string().default(RATE_SETTINGS.expensive[1]).pipe(rateRule),
};

type IdentitySettings = z.output<z.ZodObject<typeof identitySettings>> & { APP_ENV: string };

export function refineIdentitySettings(settings: IdentitySettings, context: z.RefinementCtx): void {
  if (settings.APP_ENV === 'azure' && !settings.KEY_VAULT_URI) {
    context.addIssue({ code: 'custom', path: ['KEY_VAULT_URI'], message: 'is required when APP_ENV is azure (signing keys live in Key Vault)' });
  }
  if (Boolean(settings.ADMIN_EMAIL) !== Boolean(settings.ADMIN_PASSWORD)) {
    context.addIssue({ code: 'custom', path: [settings.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'], message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' });
  }
  if (Boolean(settings.TWILIO_ACCOUNT_SID) !== Boolean(settings.TWILIO_AUTH_TOKEN)) {
    context.addIssue({ code: 'custom', path: [settings.TWILIO_ACCOUNT_SID ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID'], message: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together' });
  }
  if (settings.LOGIN_LOCK_AFTER <= settings.LOGIN_SLOWDOWN_AFTER) {
    context.addIssue({ code: 'custom', path: ['LOGIN_LOCK_AFTER'], message: 'must be greater than LOGIN_SLOWDOWN_AFTER' });
  }
}

export interface IdentityConfig {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  keys: { kind: 'file'; path: string } | { kind: 'keyVault'; vaultUri: string; secretName: string };
  admin?: { email: string; password: string };
  mail: { from: string; publicAppUrl: string; sendGridApiKey?: string; outboxDir: string };
  /** WhatsApp through Twilio when its credentials are set; else files in `outboxDir` (locally). */
  whatsapp: { from: string; twilio?: { accountSid: string; authToken: string }; outboxDir: string };
  outbox: { maxAttempts: number; leaseMs: number };
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  login: { slowdownAfter: number; lockAfter: number; lockMinutes: number };
  rateLimits: Record<RateLimitTier, RateLimitRule>;
}

export function toIdentityConfig(settings: IdentitySettings, dataDir: string): IdentityConfig {
  return {
    issuer: settings.JWT_ISSUER,
    audience: settings.JWT_AUDIENCE,
    accessTokenTtlSeconds: settings.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: settings.REFRESH_TOKEN_TTL_DAYS,
    keys: settings.KEY_VAULT_URI
      ? { kind: 'keyVault', vaultUri: settings.KEY_VAULT_URI, secretName: settings.IDENTITY_KEYS_SECRET }
      : { kind: 'file', path: settings.IDENTITY_KEYS_FILE ?? path.join(dataDir, 'identity-keys.json') },
    ...(settings.ADMIN_EMAIL && settings.ADMIN_PASSWORD ? { admin: { email: settings.ADMIN_EMAIL, password: settings.ADMIN_PASSWORD } } : {}),
    mail: { from: settings.MAIL_FROM, publicAppUrl: settings.PUBLIC_APP_URL, sendGridApiKey: settings.SENDGRID_API_KEY, outboxDir: path.join(dataDir, 'outbox') },
    whatsapp: {
      from: settings.TWILIO_WHATSAPP_FROM,
      ...(settings.TWILIO_ACCOUNT_SID && settings.TWILIO_AUTH_TOKEN ? { twilio: { accountSid: settings.TWILIO_ACCOUNT_SID, authToken: settings.TWILIO_AUTH_TOKEN } } : {}),
      outboxDir: path.join(dataDir, 'whatsapp'),
    },
    outbox: { maxAttempts: settings.OUTBOX_MAX_ATTEMPTS, leaseMs: settings.OUTBOX_LEASE_SECONDS * 1000 },
    argon2: { memoryCost: settings.ARGON2_MEMORY_KIB, timeCost: settings.ARGON2_TIME_COST, parallelism: settings.ARGON2_PARALLELISM },
    login: { slowdownAfter: settings.LOGIN_SLOWDOWN_AFTER, lockAfter: settings.LOGIN_LOCK_AFTER, lockMinutes: settings.LOGIN_LOCK_MINUTES },
    rateLimits: Object.fromEntries(RATE_LIMIT_TIERS.map((tier) => [tier, settings[RATE_SETTINGS[tier][0]]])) as Record<RateLimitTier, RateLimitRule>,
  };
}
