import { z } from 'zod';

/**
 * Real-time settings (issue 8), beside the main schema as the identity ones are. Every one is
 * documented in the README's configuration table.
 */
export const realtimeSettings = {
  /**
   * The Web PubSub connection string (`Endpoint=...;AccessKey=...;Version=1.0;`), under the
   * setting name the Functions Web PubSub extension reads. The local host sets it to its local
   * service when it is missing; without it (outside the host) real-time features answer 503.
   */
  WebPubSubConnectionString: z
    .string()
    .regex(/(^|;)\s*Endpoint=https?:\/\/[^;]+/i, 'must contain Endpoint=http(s)://...')
    .regex(/(^|;)\s*AccessKey=[^;]+/i, 'must contain AccessKey=... (the access key signs client tokens and checks event signatures)')
    .optional(),
  /** The hub every client of this app connects to. */
  WEBPUBSUB_HUB: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, 'must be a hub name: a letter, then letters, digits or _').default('marketplace'),
  /**
   * How long a stored connection counts as live without being confirmed: the presence sweep
   * (every 10 s) renews leases of connections the service still has and drops the rest, so at
   * least twice the sweep interval.
   */
  PRESENCE_LEASE_SECONDS: z.coerce.number().int().min(20).max(3600).default(60),
};

type RealtimeSettings = z.output<z.ZodObject<typeof realtimeSettings>>;

export interface RealtimeConfig {
  /** Absent when no Web PubSub is configured. */
  connection?: { connectionString: string; endpoint: string; accessKey: string };
  hub: string;
  leaseSeconds: number;
}

export function toRealtimeConfig(settings: RealtimeSettings): RealtimeConfig {
  const connectionString = settings.WebPubSubConnectionString;
  const part = (name: string) => new RegExp(`(?:^|;)\\s*${name}=([^;]+)`, 'i').exec(connectionString ?? '')?.[1]?.trim();
  return {
    ...(connectionString ? { connection: { connectionString, endpoint: part('Endpoint')!.replace(/\/+$/, ''), accessKey: part('AccessKey')! } } : {}),
    hub: settings.WEBPUBSUB_HUB,
    leaseSeconds: settings.PRESENCE_LEASE_SECONDS,
  };
}
