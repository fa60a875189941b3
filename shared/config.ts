import path from 'node:path';
import { z } from 'zod';
import { type IdentityConfig, identitySettings, refineIdentitySettings, toIdentityConfig } from './identity-config';
import { type OpenAiConfig, openAiSettings, refineOpenAiSettings, toOpenAiConfig } from './openai-config';
import { type RealtimeConfig, realtimeSettings, refineRealtimeSettings, toRealtimeConfig } from './realtime-config';

/**
 * The app's settings, read once from the environment (app settings in Azure; the local host
 * copies `local.settings.json` `Values` into the environment, as Core Tools does).
 * Every setting is documented in `local.settings.example.json`.
 */
const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const origin = z.string().refine((value) => value === '*' || /^https?:\/\/[^/\s]+$/.test(value), {
  message: 'must be "*" or an origin such as https://app.example.com (scheme and host, no path)',
});

const settingsSchema = z
  .object({
    APP_ENV: z.enum(['local', 'test', 'azure']).default('local'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    CORS_ALLOWED_ORIGINS: csv.pipe(z.array(origin)).default([]),
    HTTP_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(1024 * 1024),
    /** An Idempotency-Key's claim holds this long unless renewed: a crashed instance's keys are free again after it. */
    IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().int().min(3).max(300).default(10),
    /** Blob storage: a connection string (Azurite locally, or a key), ... */
    AzureWebJobsStorage: z.string().min(1).optional(),
    /** ... or, in Azure, identity-based access through the account's blob endpoint. */
    AzureWebJobsStorage__blobServiceUri: z.url().optional(),
    AzureWebJobsStorage__accountName: z
      .string()
      .regex(/^[a-z0-9]{3,24}$/)
      .optional(),
    /** Client id of the user-assigned managed identity (Azure); without it, the system-assigned one. */
    AZURE_CLIENT_ID: z.string().uuid().optional(),
    /** The app's blob container (documents, uploads). */
    BLOB_DATA_CONTAINER: z
      .string()
      .regex(/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/, 'must be 3-63 lower-case letters, digits and single hyphens')
      .default('app-data'),
    /** Cosmos DB for NoSQL: when set, the document store is Cosmos (managed identity unless a key is given). */
    COSMOS_ENDPOINT: z.url().optional(),
    COSMOS_DATABASE: z.string().min(1).default('marketplace'),
    COSMOS_KEY: z.string().min(1).optional(),
    /** The embedded store's database file; the local host's data dir by default. */
    DATA_STORE_PATH: z.string().min(1).optional(),
    /** Azure AI Document Intelligence: when set, documents are read with it (managed identity); else the local PDF/text reader. */
    DOCUMENT_INTELLIGENCE_ENDPOINT: z.url().optional(),
    /** Verification review: admins are reminded after this long, and the request escalates after this long. */
    VERIFICATION_REMINDER_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(48 * 3600),
    VERIFICATION_ESCALATION_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(7 * 24 * 3600),
    /** The watchdog steps in when a verification's automated checks, or its outcome after the decision, take longer than this. */
    VERIFICATION_CHECKS_DEADLINE_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(15 * 60),
    VERIFICATION_OUTCOME_DEADLINE_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(5 * 60),
    /** Search appearances are counted in memory and written at most this often (0 = on every search). */
    ANALYTICS_FLUSH_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
    SEARCH_DELETE_CHECK_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** The shared secret signed RFQ events are checked with (POST /api/v1/integrations/rfq-events); in Azure a Key Vault reference. */
    RFQ_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Outbound events: attempts before one is parked as dead, and how long the topic has to confirm an attempt before it is sent again. */
    /** At most this many experts are invited to one RFQ by auto-matching (issue 17). */
    RFQ_MAX_INVITATIONS: z.coerce.number().int().min(1).max(50).default(10),
    EVENTS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
    EVENTS_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(120),
    /** Set by the local host: where it keeps its state. */
    LOCAL_HOST_DATA_DIR: z.string().min(1).optional(),
    ...identitySettings,
    ...realtimeSettings,
    ...openAiSettings,
  })
  .refine((settings) => settings.APP_ENV !== 'azure' || settings.COSMOS_ENDPOINT, {
    path: ['COSMOS_ENDPOINT'],
    message: 'is required when APP_ENV is azure (the embedded store is for local runs)',
  })
  .superRefine(refineIdentitySettings)
  .superRefine(refineOpenAiSettings)
  .superRefine(refineRealtimeSettings);

export type Settings = z.infer<typeof settingsSchema>;

/** Every setting the app reads (the infra tests check them against Bicep and the docs). */
export const SETTING_NAMES: readonly string[] = Object.keys(settingsSchema.shape);

export interface Config {
  env: Settings['APP_ENV'];
  /** The managed identity every Azure adapter authenticates as (shared/azure-credential.ts). */
  azureIdentity: { clientId?: string };
  logLevel: Settings['LOG_LEVEL'];
  http: { corsAllowedOrigins: string[]; maxBodyBytes: number; idempotencyLeaseMs: number };
  storage: { kind: 'connectionString'; connectionString: string } | { kind: 'identity'; blobServiceUri: string } | { kind: 'none' };
  store: { kind: 'sqlite'; path: string } | { kind: 'cosmos'; endpoint: string; database: string; key?: string };
  blobDataContainer: string;
  /** Where local state lives (keys, the mail outbox files): the local host's data dir. */
  dataDir: string;
  identity: IdentityConfig;
  realtime: RealtimeConfig;
  documentIntelligence?: { endpoint: string };
  /** Absent when Azure OpenAI is not configured: matching runs without semantic signals. */
  openAi?: OpenAiConfig;
  verification: { reminderAfterMs: number; escalateAfterMs: number; deadlines: { checksMs: number; outcomeMs: number } };
  analyticsFlushMs: number;
  /** How often service search looks for deleted services (a count of the container). */
  searchDeleteCheckMs: number;
  /** Signed RFQ events: undefined when no secret is set, or when its Key Vault reference did not resolve. */
  rfq: { webhookSecret?: string; maxInvitations: number };
  events: { maxAttempts: number; leaseMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid app settings: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

function toConfig(settings: Settings): Config {
  const blobServiceUri =
    settings.AzureWebJobsStorage__blobServiceUri ?? (settings.AzureWebJobsStorage__accountName ? `https://${settings.AzureWebJobsStorage__accountName}.blob.core.windows.net` : undefined);
  const dataDir = settings.LOCAL_HOST_DATA_DIR ?? (settings.DATA_STORE_PATH ? path.dirname(settings.DATA_STORE_PATH) : '.data');
  let storage: Config['storage'] = { kind: 'none' };
  if (settings.AzureWebJobsStorage) {
    storage = { kind: 'connectionString', connectionString: settings.AzureWebJobsStorage };
  } else if (blobServiceUri) {
    storage = { kind: 'identity', blobServiceUri };
  }
  const openAi = toOpenAiConfig(settings);
  return {
    env: settings.APP_ENV,
    azureIdentity: settings.AZURE_CLIENT_ID ? { clientId: settings.AZURE_CLIENT_ID } : {},
    logLevel: settings.LOG_LEVEL,
    http: { corsAllowedOrigins: settings.CORS_ALLOWED_ORIGINS, maxBodyBytes: settings.HTTP_MAX_BODY_BYTES, idempotencyLeaseMs: settings.IDEMPOTENCY_LEASE_SECONDS * 1000 },
    storage,
    blobDataContainer: settings.BLOB_DATA_CONTAINER,
    dataDir,
    identity: toIdentityConfig(settings, dataDir),
    verification: {
      reminderAfterMs: settings.VERIFICATION_REMINDER_SECONDS * 1000,
      escalateAfterMs: settings.VERIFICATION_ESCALATION_SECONDS * 1000,
      deadlines: { checksMs: settings.VERIFICATION_CHECKS_DEADLINE_SECONDS * 1000, outcomeMs: settings.VERIFICATION_OUTCOME_DEADLINE_SECONDS * 1000 },
    },
    analyticsFlushMs: settings.ANALYTICS_FLUSH_SECONDS * 1000,
    searchDeleteCheckMs: settings.SEARCH_DELETE_CHECK_SECONDS * 1000,
    events: { maxAttempts: settings.EVENTS_MAX_ATTEMPTS, leaseMs: settings.EVENTS_LEASE_SECONDS * 1000 },
    realtime: toRealtimeConfig(settings),
    rfq: { ...(webhookSecret(settings.RFQ_WEBHOOK_SECRET) ? { webhookSecret: settings.RFQ_WEBHOOK_SECRET } : {}), maxInvitations: settings.RFQ_MAX_INVITATIONS },
    ...(openAi ? { openAi } : {}),
    ...(settings.DOCUMENT_INTELLIGENCE_ENDPOINT ? { documentIntelligence: { endpoint: settings.DOCUMENT_INTELLIGENCE_ENDPOINT } } : {}),
    store: settings.COSMOS_ENDPOINT
      ? { kind: 'cosmos', endpoint: settings.COSMOS_ENDPOINT, database: settings.COSMOS_DATABASE, key: settings.COSMOS_KEY }
      : { kind: 'sqlite', path: settings.DATA_STORE_PATH ?? path.join(dataDir, 'store.sqlite') },
  };
}

/**
 * A Key Vault reference that App Service could not resolve stays in the setting as its own text;
 * used as a secret it would be one anybody can read in the Bicep, so it counts as no secret.
 */
function webhookSecret(value: string | undefined): value is string {
  return value !== undefined && !value.startsWith('@Microsoft.KeyVault(');
}

/** Parses settings; throws one ConfigError naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`));
  }
  return toConfig(parsed.data);
}

let cached: Config | undefined;

/** The process-wide config, parsed on first use. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
