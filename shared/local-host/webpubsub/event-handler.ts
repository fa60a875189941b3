import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { HostLogger } from '../logger';

/** A hub's settings, spelled as the `Microsoft.SignalRService/webPubSub/hubs` resource spells them. */
const handlerSchema = z.object({
  urlTemplate: z.string().min(1),
  userEventPattern: z.string().optional(),
  systemEvents: z.array(z.enum(['connect', 'connected', 'disconnected'])).default([]),
});
const hubSettingsSchema = z.object({ eventHandlers: z.array(handlerSchema).default([]) });
export type HubSettings = z.infer<typeof hubSettingsSchema>;
type EventHandlerSettings = z.infer<typeof handlerSchema>;

export function parseHubSettings(raw: Record<string, unknown>): Map<string, HubSettings> {
  const hubs = new Map<string, HubSettings>();
  for (const [hub, value] of Object.entries(raw)) {
    const parsed = hubSettingsSchema.safeParse(value);
    if (!parsed.success) throw new Error(`LocalWebPubSub.hubs.${hub}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    hubs.set(hub.toLowerCase(), parsed.data);
  }
  return hubs;
}

export interface EventSource {
  hub: string;
  connectionId: string;
  userId: string | null;
  subprotocol: string | undefined;
}

export interface EventRequest {
  kind: 'sys' | 'user';
  name: string;
  contentType: string;
  body: Buffer;
}

/**
 * Delivers events to a hub's event handler as the service does: CloudEvents in binary mode
 * over HTTP POST, with the `ce-signature` HMAC of the connection id, after the CloudEvents
 * abuse-protection handshake (an OPTIONS request the handler must allow) has passed once.
 */
export class EventHandlerClient {
  private readonly validated = new Set<string>();

  constructor(
    private readonly hubs: Map<string, HubSettings>,
    private readonly accessKey: string,
    /** The service's host as it calls itself in `WebHook-Request-Origin`. */
    private readonly origin: string,
    /** Resolves templates that start with `/` (the app's port is only known at start). */
    private readonly appBaseUrl: () => string,
    private readonly logger: HostLogger,
  ) {}

  /** Whether the hub has a handler for this event; blocking events without one are allowed through. */
  handles(hub: string, kind: 'sys' | 'user', name: string): boolean {
    return this.handlerFor(hub, kind, name) !== undefined;
  }

  /** Posts the event; `undefined` when no handler takes it. Throws when the handler cannot be reached or validated. */
  async send(source: EventSource, event: EventRequest): Promise<Response | undefined> {
    const handler = this.handlerFor(source.hub, event.kind, event.name);
    if (!handler) return undefined;
    const url = this.resolve(handler.urlTemplate, source.hub, event.name);
    await this.validate(url);
    const headers: Record<string, string> = {
      'content-type': event.contentType,
      'webhook-request-origin': this.origin,
      'ce-specversion': '1.0',
      'ce-type': `azure.webpubsub.${event.kind}.${event.name}`,
      'ce-source': `/hubs/${source.hub}/client/${source.connectionId}`,
      'ce-id': randomUUID(),
      'ce-time': new Date().toISOString(),
      'ce-awpsversion': '1.0',
      'ce-hub': source.hub,
      'ce-eventname': event.name,
      'ce-connectionid': source.connectionId,
      'ce-signature': `sha256=${createHmac('sha256', this.accessKey).update(source.connectionId).digest('hex')}`,
    };
    if (source.userId !== null) headers['ce-userid'] = source.userId;
    if (source.subprotocol) headers['ce-subprotocol'] = source.subprotocol;
    return fetch(url, { method: 'POST', headers, body: new Uint8Array(event.body) });
  }

  private handlerFor(hub: string, kind: 'sys' | 'user', name: string): EventHandlerSettings | undefined {
    return this.hubs.get(hub.toLowerCase())?.eventHandlers.find((handler) => (kind === 'sys' ? handler.systemEvents.includes(name as never) : matchesPattern(handler.userEventPattern, name)));
  }

  private resolve(template: string, hub: string, event: string): string {
    const filled = template.replace(/\{hub\}/gi, encodeURIComponent(hub)).replace(/\{event\}/gi, encodeURIComponent(event));
    return filled.startsWith('/') ? `${this.appBaseUrl()}${filled}` : filled;
  }

  private async validate(url: string): Promise<void> {
    if (this.validated.has(url)) return;
    const response = await fetch(url, { method: 'OPTIONS', headers: { 'webhook-request-origin': this.origin } });
    await response.arrayBuffer();
    const allowed = response.headers.get('webhook-allowed-origin');
    if (!response.ok || (allowed !== '*' && allowed !== this.origin)) {
      throw new Error(`Event handler ${url} failed the abuse-protection check (status ${response.status}, WebHook-Allowed-Origin: ${allowed ?? 'none'}).`);
    }
    this.validated.add(url);
    this.logger.info(`Web PubSub: event handler ${url} validated.`);
  }
}

/** `*` for every user event, else a comma-separated list of names (the service's pattern syntax, without wildcards inside names). */
function matchesPattern(pattern: string | undefined, name: string): boolean {
  if (!pattern) return false;
  return pattern.split(',').some((part) => part.trim() === '*' || part.trim() === name);
}
