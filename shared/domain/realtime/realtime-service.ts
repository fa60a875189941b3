import { performance } from 'node:perf_hooks';
import { AppError } from '../../errors';
import type { Principal, Role } from '../identity/principal';
import type { RealtimeGateway } from './gateway';
import type { EventAuthentication } from './module';
import { expertGroup, grantFor } from './permissions';
import type { Presence, PresenceStatus, PresenceView } from './presence';

/** A connection event from Web PubSub (a CloudEvent, its attributes sent as `ce-*` headers). */
export interface ConnectionEvent {
  type: string;
  hub: string;
  connectionId: string;
  /** The user the connection was negotiated for; absent for an anonymous one. */
  userId?: string;
  /** `ce-signature`, checked with the access key (locally). */
  signature?: string;
  /** The `Authorization` header, the service's Entra ID token (Azure). */
  authorization: string | null;
}

/** The real-time picture an admin reads. */
export interface RealtimeStatus {
  hub: string;
  endpoint: string | null;
  service: { reachable: boolean; latencyMs: number | null; error?: string };
  connections: { live: number; users: number };
  experts: { expertId: string; group: string; status: PresenceStatus; watched: boolean | null; updatedAt: string }[];
}

/** A group nobody joins: asking whether it exists is the cheapest authenticated call to the service. */
const PROBE_GROUP = 'ops:probe';
/** Experts listed in the status, newest change first. */
const STATUS_EXPERTS = 50;

/** The real-time use cases: connecting, presence, announcements, the service's events and its status. Each is a 503 while Web PubSub is not configured. */
export class RealtimeService {
  constructor(
    private readonly deps: {
      /** The gateway and presence, or a 503 naming the missing setting. */
      require: () => { gateway: RealtimeGateway; presence: Presence };
      authenticateEvent: EventAuthentication;
      /** The configured service's endpoint, shown in the status. */
      endpoint: string | null;
      /** An account's roles, null when there is no such account (identity's, which is built after this area). */
      rolesOf: (userId: string) => Promise<readonly Role[] | null>;
      now: () => Date;
    },
  ) {}

  /**
   * A client URL bound to the caller, with the groups they join and may join (see grantFor).
   * An expert gets a presence first, so watchers see them from their first connection.
   */
  async negotiate(principal: Principal, watch: readonly string[]) {
    const { gateway, presence } = this.deps.require();
    if (principal.roles.includes('expert')) await presence.enrol(principal.userId);
    const grant = grantFor(principal, watch);
    const access = await gateway.clientAccess(grant);
    return { ...access, hub: gateway.hub, userId: grant.userId, groups: grant.groups, roles: grant.roles };
  }

  /** An expert's presence; one who never connected nor chose a status is offline, never seen. 404 for anyone who is not an expert. */
  async presenceOf(expertId: string): Promise<PresenceView> {
    const found = await this.deps.require().presence.get(expertId);
    if (found) return found;
    if (!(await this.deps.rolesOf(expertId))?.includes('expert')) throw new AppError('not_found', 'No such expert.');
    return { expertId, status: 'offline', chosen: 'online', lastSeenAt: null };
  }

  /** An expert's choice of the status shown while connected; returns the presence as now shown. */
  async choose(expertId: string, status: PresenceStatus): Promise<PresenceView> {
    return this.deps.require().presence.choose(expertId, status);
  }

  /** An announcement to every connected client; not stored (it is for people online now). */
  async announce(announcement: { title: string; body: string }): Promise<void> {
    await this.deps.require().gateway.sendToAll({ type: 'announcement', title: announcement.title, body: announcement.body, sentAt: this.deps.now().toISOString() });
  }

  /**
   * A connection event: only from the configured service (401 otherwise), for this app's hub
   * (400 otherwise); connected and disconnected events move the user's presence.
   */
  async handleEvent(event: ConnectionEvent): Promise<void> {
    await this.deps.authenticateEvent({ connectionId: event.connectionId, signature: event.signature, authorization: event.authorization });
    const { gateway, presence } = this.deps.require();
    if (event.hub.toLowerCase() !== gateway.hub.toLowerCase()) {
      throw new AppError('validation', `Events of hub "${event.hub}" are not this app's.`, { issues: [{ field: 'headers.ce-hub', message: `must be ${gateway.hub}` }] });
    }
    // Negotiate binds every connection to a user; an anonymous one has no presence to track.
    if (!event.userId) return;
    if (event.type === 'azure.webpubsub.sys.connected') await presence.connected(event.connectionId, event.userId);
    if (event.type === 'azure.webpubsub.sys.disconnected') await presence.disconnected(event.connectionId, event.userId);
  }

  /**
   * Whether the service answers and how fast, the live connections (leases in the store, which
   * every instance writes), and the experts shown online with whether anyone watches them (null
   * when the service could not be asked).
   */
  async status(): Promise<RealtimeStatus> {
    const { gateway, presence } = this.deps.require();
    const started = performance.now();
    let service: RealtimeStatus['service'];
    try {
      await gateway.groupExists(PROBE_GROUP);
      service = { reachable: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      // The SDK's message names the failing URL and status, never the key.
      service = { reachable: false, latencyMs: null, error: error instanceof Error ? error.message.slice(0, 300) : 'unknown error' };
    }
    const experts = await Promise.all(
      (await presence.publishedOnline(STATUS_EXPERTS)).map(async (record) => ({
        expertId: record.id,
        group: expertGroup(record.id),
        status: record.published,
        watched: service.reachable ? await gateway.groupExists(expertGroup(record.id)).catch(() => null) : null,
        updatedAt: record.updatedAt,
      })),
    );
    const { connections, users } = await presence.counts();
    return { hub: gateway.hub, endpoint: this.deps.endpoint, service, connections: { live: connections, users }, experts };
  }
}
