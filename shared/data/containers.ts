import { auditTrail } from '../domain/audit/containers';
import { eventPings } from '../domain/events/containers';
import { expertContainers } from '../domain/experts/containers';
import { authTokens, sessions, userEmails, users } from '../domain/identity/containers';
import { notifications, outbox } from '../domain/notifications/containers';
import { expertPresence, realtimeConnections } from '../domain/realtime/containers';
import { rfqContainers } from '../domain/rfq/containers';
import { searchContainers } from '../domain/search/containers';
import { idempotencyKeys, rateLimits } from '../http/containers';
import type { ContainerDefinition } from './document-store';

/**
 * Every container the app uses: each area declares its own (in its `containers.ts`, saying why
 * its partition key fits the access pattern) and this list gathers them. The adapters create
 * them idempotently at first use, and `infra/cosmos-containers.json` (the Bicep parameter) must
 * list the same ones (tests/unit/containers.test.ts keeps the two in step;
 * shared/adapters/cosmos/bicep-containers.ts derives the Bicep entries, policies included).
 * docs/data-model.md describes them for readers.
 */
export const allContainers: readonly ContainerDefinition[] = [
  idempotencyKeys,
  users,
  userEmails,
  sessions,
  authTokens,
  rateLimits,
  outbox,
  auditTrail,
  realtimeConnections,
  expertPresence,
  notifications,
  ...expertContainers,
  ...searchContainers,
  ...rfqContainers,
  eventPings,
];
