import type { HttpRequest } from '@azure/functions';
import { getAzureCredential } from './azure-credential';
import { type Config, getConfig } from './config';
import type { IdentityConfig } from './identity-config';
import { builtOnce, localAdapters } from './container';
import { auditTrail, authTokens, outbox, rateLimits, sessions, userEmails, users } from './data/containers';
import type { Container, Document, DocumentStore } from './data/document-store';
import { AuditTrail } from './domain/audit/audit-trail';
import { AccessTokens } from './domain/identity/access-tokens';
import { TokenAuthenticator } from './domain/identity/authenticator';
import { IdentityService } from './domain/identity/identity-service';
import type { KeyMaterialStore } from './domain/identity/key-ring';
import { OneTimeTokens } from './domain/identity/one-time-tokens';
import { Sessions } from './domain/identity/sessions';
import { Users } from './domain/identity/users';
import { Outbox, type OutboxRecord } from './domain/notifications/outbox';
import type { Mailer, WhatsAppSender } from './domain/notifications/ports';
import type { Authenticator } from './http/auth';
import { RateLimiter } from './http/rate-limit';
import { createAppLogger } from './observability/app-logger';

/** The identity part of the composition root: built on first use, once per process. */
export interface Identity {
  service: IdentityService;
  users: Users;
  accessTokens: AccessTokens;
  sessions: Sessions;
  audit: AuditTrail;
  outbox: Outbox;
  authenticator: TokenAuthenticator;
  rateLimiter: RateLimiter;
}

/** Rebuilt when tests swap the store or the settings (resetContainerForTests / resetConfigForTests). */
export const getIdentity: () => Promise<Identity> = builtOnce((store, config) => buildIdentity(store, config.identity, config.env));

async function buildIdentity(store: DocumentStore, config: IdentityConfig, env: Config['env']): Promise<Identity> {
  const container = <T extends Document>(definition: Parameters<typeof store.container>[0]) => store.container<T>(definition) as Promise<Container<T>>;
  const logger = createAppLogger();
  const accessTokens = new AccessTokens(await keyMaterialStore(config), { issuer: config.issuer, audience: config.audience, ttlSeconds: config.accessTokenTtlSeconds });
  const sessionStore = new Sessions(await container(sessions), config.refreshTokenTtlDays);
  const audit = new AuditTrail(await container(auditTrail));
  const messageOutbox = new Outbox(await container<OutboxRecord>(outbox), { email: await mailer(config, env), whatsapp: await whatsAppSender(config, env) }, logger, config.outbox);
  const userStore = new Users(await container(users), await container(userEmails));
  const service = new IdentityService({
    users: userStore,
    sessions: sessionStore,
    oneTime: new OneTimeTokens(await container(authTokens)),
    accessTokens,
    audit,
    outbox: messageOutbox,
    config,
    logger,
  });
  return {
    service,
    users: userStore,
    accessTokens,
    sessions: sessionStore,
    audit,
    outbox: messageOutbox,
    authenticator: new TokenAuthenticator(accessTokens, sessionStore),
    rateLimiter: new RateLimiter(await container(rateLimits), config.rateLimits),
  };
}

/**
 * Each provider's SDK is imported where it is chosen, so the app loads none it does not use.
 *
 * SendGrid when its key is set; files under the data dir locally. In Azure without a key, mail
 * stays pending in the outbox (and is logged as failing) until one is configured.
 */
async function mailer(config: IdentityConfig, env: Config['env']): Promise<Mailer> {
  if (config.mail.sendGridApiKey) return new (await import('./adapters/mail/sendgrid.js')).SendGridMailer(config.mail.sendGridApiKey, config.mail.from);
  if (env !== 'azure') return new (await localAdapters()).FileMailer(config.mail.outboxDir, config.mail.from);
  return {
    send: async () => {
      throw new Error('No mail provider is configured (set SENDGRID_API_KEY)');
    },
  };
}

/** Twilio when its credentials are set; files under the data dir locally; in Azure without them, a logged failure. */
async function whatsAppSender(config: IdentityConfig, env: Config['env']): Promise<WhatsAppSender> {
  const { whatsapp } = config;
  if (whatsapp.twilio) return (await import('./adapters/whatsapp/twilio.js')).TwilioWhatsAppSender.connect(whatsapp.twilio.accountSid, whatsapp.twilio.authToken, whatsapp.from);
  if (env !== 'azure') return new (await localAdapters()).FileWhatsAppSender(whatsapp.outboxDir, whatsapp.from);
  return {
    send: async () => {
      throw new Error('No WhatsApp provider is configured (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)');
    },
  };
}

/** Key Vault in Azure, a file under the data dir locally. */
export async function keyMaterialStore(config: IdentityConfig = getConfig().identity): Promise<KeyMaterialStore> {
  if (config.keys.kind === 'file') return new (await localAdapters()).FileKeyStore(config.keys.path);
  return (await import('./adapters/key-material/key-vault.js')).KeyVaultKeyStore.connect(config.keys.vaultUri, config.keys.secretName, getAzureCredential());
}

/** What the HTTP wrapper authenticates with. */
export function getAuthenticator(): Authenticator {
  return { authenticate: async (request: HttpRequest) => (await getIdentity()).authenticator.authenticate(request) };
}

export async function getRateLimiter(): Promise<RateLimiter> {
  return (await getIdentity()).rateLimiter;
}
