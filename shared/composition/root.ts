import type { Config } from '../config';
import type { Role } from '../domain/identity/principal';
import { eventsModule, type EventsModule } from '../domain/events/module';
import { expertsModule, type ExpertsModule } from '../domain/experts/module';
import { identityModule, type IdentityModule } from '../domain/identity/module';
import { notificationsModule, type NotificationsModule } from '../domain/notifications/module';
import { realtimeModule, type RealtimeModule } from '../domain/realtime/module';
import { rfqModule, type RfqModule } from '../domain/rfq/module';
import { searchModule, type SearchModule } from '../domain/search/module';
import { workflowsModule, type WorkflowsModule } from '../domain/workflows/module';
import type { DependencyCheck } from '../health/readiness';
import { idempotencyKeys, rateLimits } from '../http/containers';
import type { EndpointServices } from '../http/endpoint';
import type { IdempotencyRecord } from '../http/idempotency';
import { RateLimiter } from '../http/rate-limit';
import { createAppLogger } from '../observability/app-logger';
import { recordWorkflowRecovery } from '../observability/metrics';
import { type Adapters, chooseAdapters, once } from './adapters';
import { AppError } from '../errors';

/**
 * The app, composed: every area's module built from its ports on first use, once, each from the
 * adapters the settings pick. Functions reach the areas through this; tests compose their own
 * with their own settings and adapters.
 */
export interface App {
  config: Config;
  adapters: Adapters;
  identity: () => Promise<IdentityModule>;
  notifications: () => Promise<NotificationsModule>;
  realtime: () => Promise<RealtimeModule>;
  experts: () => Promise<ExpertsModule>;
  search: () => Promise<SearchModule>;
  workflows: () => Promise<WorkflowsModule>;
  rfq: () => Promise<RfqModule>;
  events: () => Promise<EventsModule>;
  /** What the HTTP kit needs on every request. */
  endpoints: () => Promise<EndpointServices>;
  /** What readiness probes: the store, and blob storage when configured. */
  dependencyChecks: () => DependencyCheck[];
}

export function composeApp(config: Config, given: Partial<Adapters> = {}): App {
  const adapters = chooseAdapters(config, given);
  const logger = createAppLogger(config.logLevel);
  const now = () => new Date();
  const store = () => adapters.store;

  const realtime = once(async () =>
    realtimeModule({
      store: store(),
      gateway: await adapters.gateway(),
      authenticateEvent: adapters.eventAuthentication,
      leaseSeconds: config.realtime.leaseSeconds,
      endpoint: config.realtime.connection?.endpoint ?? null,
      // Identity is built after this module, so it is asked only when a presence is looked up.
      rolesOf: async (userId): Promise<Role[] | null> => (await (await identity()).users.byId(userId))?.roles ?? null,
      logger,
      now,
    }),
  );
  const notifications = once(async () =>
    notificationsModule({
      store: store(),
      mailer: await adapters.mailer(),
      whatsapp: await adapters.whatsapp(),
      gateway: await adapters.gateway(),
      logger,
      outbox: config.identity.outbox,
      // Identity is built from this module (its mail goes through the outbox), so it is asked only when a message is sent.
      userExists: async (userId): Promise<boolean> => (await (await identity()).users.byId(userId)) !== null,
    }),
  );
  const identity = once(async () => identityModule({ store: store(), keys: await adapters.keys(), outbox: (await notifications()).outbox, config: config.identity, logger }));
  const experts = once(async () =>
    expertsModule({
      store: store(),
      files: () => adapters.blobs ?? documentStorageNotConfigured(),
      extractor: adapters.textExtractor,
      identity: await identity(),
      notifications: await notifications(),
      verification: config.verification,
      analyticsFlushMs: config.analyticsFlushMs,
      // Search is built from this module, so it is asked only when services are shown.
      servicesShown: async (expertId, serviceIds): Promise<void> => (await search()).trends.recordServiceViews(expertId, serviceIds),
      logger,
      now,
    }),
  );
  const search = once(async () =>
    searchModule({ store: store(), experts: await experts(), models: adapters.models, deleteCheckMs: config.searchDeleteCheckMs, analyticsFlushMs: config.analyticsFlushMs, now }),
  );
  const workflows = once(async () =>
    workflowsModule({
      supervised: [(await experts()).verificationSupervisor],
      audit: (await identity()).service,
      count: (recovery) => recordWorkflowRecovery(recovery.workflow, recovery.action),
      logger,
    }),
  );
  const rfq = once(() =>
    rfqModule({
      store: store(),
      webhookSecret: config.rfq.webhookSecret,
      maxInvitations: config.rfq.maxInvitations,
      matching: async () => {
        const [{ outbox: eventOutbox }, { suggestions }, { inbox, outbox }, { users }, { profiles }] = await Promise.all([events(), search(), notifications(), identity(), experts()]);
        return {
          events: eventOutbox,
          suggest: (need) => suggestions.suggest(need),
          notifications: { inbox, outbox },
          contactOf: async (expertId) => {
            const [user, profile] = await Promise.all([users.byId(expertId), profiles.own(expertId).catch(() => null)]);
            return { email: user?.email ?? null, whatsapp: profile?.whatsapp?.optIn ? profile.whatsapp.number : null };
          },
        };
      },
      now,
    }),
  );
  const events = once(async () => eventsModule({ store: store(), logger, relay: config.events }));
  const endpoints = once(async () => ({
    authenticator: (await identity()).authenticator,
    rateLimiter: new RateLimiter(await store().container(rateLimits), config.identity.rateLimits),
    idempotencyKeys: await store().container<IdempotencyRecord>(idempotencyKeys),
  }));
  const dependencyChecks = (): DependencyCheck[] => {
    const checks: DependencyCheck[] = [{ name: 'document-store', probe: (signal) => store().ping(signal) }];
    const blobs = adapters.blobs;
    // One cheap authenticated call on the data container (created by Bicep, or at start-up locally).
    if (blobs) checks.push({ name: 'blob-storage', probe: (signal) => blobs.ping(signal) });
    return checks;
  };
  return { config, adapters, identity, notifications, realtime, experts, search, workflows, rfq, events, endpoints, dependencyChecks };
}

function documentStorageNotConfigured(): never {
  throw new AppError('unavailable', 'Document storage is not configured.');
}
