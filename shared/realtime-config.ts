import { z } from 'zod';

/**
 * Real-time settings (issue 8), beside the main schema as the identity ones are. Every one is
 * documented in the README's configuration table. Web PubSub is reached either with an access
 * key (the connection string, locally) or with Entra ID (the endpoint, in Azure).
 */
export const realtimeSettings = {
  /**
   * The Web PubSub connection string (`Endpoint=...;AccessKey=...;Version=1.0;`), under the
   * setting name the Functions Web PubSub extension reads: locally, where the local host sets it
   * to its local service when it is missing. Ignored when WEBPUBSUB_ENDPOINT is set.
   */
  WebPubSubConnectionString: z
    .string()
    .regex(/(^|;)\s*Endpoint=https?:\/\/[^;]+/i, 'must contain Endpoint=http(s)://...')
    .regex(/(^|;)\s*AccessKey=[^;]+/i, 'must contain AccessKey=... (the access key signs client tokens and checks event signatures)')
    .optional(),
  /**
   * In Azure (set by Bicep): the service, reached with the app's Entra ID credential; the service
   * has local auth disabled, so there is no key. The three WEBPUBSUB_EVENT_* settings then say
   * whose token the event handler accepts.
   */
  WEBPUBSUB_ENDPOINT: z.url({ protocol: /^https$/, error: 'must be the https endpoint of the service' }).optional(),
  /** The tenant that issues the service's tokens. */
  WEBPUBSUB_EVENT_TENANT_ID: z.guid('must be a tenant id (GUID)').optional(),
  /** The audience (`aud`) the hub's event handler requests its token for (`auth.managedIdentity.resource` in Bicep). */
  WEBPUBSUB_EVENT_AUDIENCE: z.string().trim().min(1).optional(),
  /** The object id of the service's own managed identity, the only caller whose token is accepted (`oid`). */
  WEBPUBSUB_EVENT_PRINCIPAL_ID: z.guid("must be the principal (object) id of the service's managed identity (GUID)").optional(),
  /** The hub every client of this app connects to. */
  WEBPUBSUB_HUB: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, 'must be a hub name: a letter, then letters, digits or _')
    .default('marketplace'),
  /**
   * How long a stored connection counts as live without being confirmed: the presence sweep
   * (every 10 s) renews leases of connections the service still has and drops the rest, so at
   * least twice the sweep interval.
   */
  PRESENCE_LEASE_SECONDS: z.coerce.number().int().min(20).max(3600).default(60),
};

type RealtimeSettings = z.output<z.ZodObject<typeof realtimeSettings>>;

const EVENT_SETTINGS = ['WEBPUBSUB_EVENT_TENANT_ID', 'WEBPUBSUB_EVENT_AUDIENCE', 'WEBPUBSUB_EVENT_PRINCIPAL_ID'] as const;

export function refineRealtimeSettings(settings: RealtimeSettings, context: z.RefinementCtx): void {
  if (!settings.WEBPUBSUB_ENDPOINT) return;
  for (const name of EVENT_SETTINGS) {
    if (!settings[name]) context.addIssue({ code: 'custom', path: [name], message: 'is required with WEBPUBSUB_ENDPOINT (it authenticates the events the service sends)' });
  }
}

/** Who may call the event handler when there is no access key: the service's managed identity. */
export interface ServiceIdentity {
  tenantId: string;
  audience: string;
  principalId: string;
}

export type RealtimeConnection =
  /** An access key (the local service): it signs client tokens and event signatures. */
  | { kind: 'key'; connectionString: string; endpoint: string; accessKey: string }
  /** Entra ID (Azure): the app's credential for the REST API, the service's token on events. */
  | { kind: 'identity'; endpoint: string; events: ServiceIdentity };

export interface RealtimeConfig {
  /** Absent when no Web PubSub is configured. */
  connection?: RealtimeConnection;
  hub: string;
  leaseSeconds: number;
}

function connectionOf(settings: RealtimeSettings): RealtimeConnection | undefined {
  if (settings.WEBPUBSUB_ENDPOINT) {
    return {
      kind: 'identity',
      endpoint: settings.WEBPUBSUB_ENDPOINT.replace(/\/+$/, ''),
      events: { tenantId: settings.WEBPUBSUB_EVENT_TENANT_ID!, audience: settings.WEBPUBSUB_EVENT_AUDIENCE!, principalId: settings.WEBPUBSUB_EVENT_PRINCIPAL_ID! },
    };
  }
  const connectionString = settings.WebPubSubConnectionString;
  if (!connectionString) return undefined;
  const part = (name: string) => new RegExp(`(?:^|;)\\s*${name}=([^;]+)`, 'i').exec(connectionString)?.[1]?.trim();
  return { kind: 'key', connectionString, endpoint: part('Endpoint')!.replace(/\/+$/, ''), accessKey: part('AccessKey')! };
}

export function toRealtimeConfig(settings: RealtimeSettings): RealtimeConfig {
  const connection = connectionOf(settings);
  return { ...(connection ? { connection } : {}), hub: settings.WEBPUBSUB_HUB, leaseSeconds: settings.PRESENCE_LEASE_SECONDS };
}
