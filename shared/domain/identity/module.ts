import type { DocumentStore } from '../../data/document-store';
import type { IdentityConfig } from '../../identity-config';
import type { AppLogger } from '../../observability/app-logger';
import { auditTrail } from '../audit/containers';
import { AuditTrail } from '../audit/audit-trail';
import type { Outbox } from '../notifications/outbox';
import { AccessTokens } from './access-tokens';
import { AdminConsole } from './admin-console';
import { TokenAuthenticator } from './authenticator';
import { authTokens, sessions, userEmails, users } from './containers';
import { IdentityService } from './identity-service';
import type { KeyMaterialStore } from './key-ring';
import { OneTimeTokens } from './one-time-tokens';
import { Sessions } from './sessions';
import { Users } from './users';

export interface IdentityPorts {
  store: DocumentStore;
  keys: KeyMaterialStore;
  /** Verification and reset mail goes out through the notifications outbox. */
  outbox: Outbox;
  config: IdentityConfig;
  logger: AppLogger;
}

/** Accounts, sign-in, sessions and tokens, and the audit trail every area writes to. */
export interface IdentityModule {
  service: IdentityService;
  /** What admins do with accounts, the audit trail and the outbox. */
  admin: AdminConsole;
  users: Users;
  accessTokens: AccessTokens;
  sessions: Sessions;
  audit: AuditTrail;
  authenticator: TokenAuthenticator;
}

export async function identityModule({ store, keys, outbox, config, logger }: IdentityPorts): Promise<IdentityModule> {
  const accessTokens = new AccessTokens(keys, { issuer: config.issuer, audience: config.audience, ttlSeconds: config.accessTokenTtlSeconds });
  const sessionStore = new Sessions(await store.container(sessions), config.refreshTokenTtlDays);
  const audit = new AuditTrail(await store.container(auditTrail));
  const userStore = new Users(await store.container(users), await store.container(userEmails));
  const service = new IdentityService({ users: userStore, sessions: sessionStore, oneTime: new OneTimeTokens(await store.container(authTokens)), accessTokens, audit, outbox, config, logger });
  const admin = new AdminConsole({ users: userStore, sessions: sessionStore, trail: audit, outbox, audit: (event, client) => service.audit(event, client) });
  return { service, admin, users: userStore, accessTokens, sessions: sessionStore, audit, authenticator: new TokenAuthenticator(accessTokens, sessionStore) };
}
