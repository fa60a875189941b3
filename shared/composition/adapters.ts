import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { AzureOpenAiModels } from '../adapters/openai/azure-openai-models';
import { isSignedByService, serviceTokenVerifier } from '../adapters/webpubsub/cloud-events';
import { createAzureCredential } from '../azure-credential';
import type { AzureBlobStorage } from '../adapters/blob/azure-blob';
import type { BlobStorage } from '../blob/port';
import type { Config } from '../config';
import type { DocumentStore } from '../data/document-store';
import type { KeyMaterialStore } from '../domain/identity/key-ring';
import type { Mailer, WhatsAppSender } from '../domain/notifications/ports';
import type { RealtimeGateway } from '../domain/realtime/gateway';
import { type EventAuthentication, realtimeNotConfigured } from '../domain/realtime/module';
import { DocumentIntelligenceExtractor } from '../adapters/text-extraction/document-intelligence';
import { LocalTextExtractor } from '../adapters/text-extraction/local';
import type { DocumentTextExtractor } from '../domain/experts/ports';
import { AppError } from '../errors';
import { deferred } from './deferred';
import { createAppLogger } from '../observability/app-logger';

/**
 * The one place that picks an adapter for each port from the settings: the Azure service when
 * it is configured, else the local twin (which loads only then: the deploy package has none).
 * Each provider's SDK is imported where it is chosen, so the app loads none it does not use.
 */
export interface Adapters {
  credential: TokenCredential;
  store: DocumentStore;
  /** Blob storage for the app's data container (the SDK loads with the first call); null when no storage is configured. */
  blobs: BlobStorage | null;
  textExtractor: DocumentTextExtractor;
  mailer: () => Promise<Mailer>;
  whatsapp: () => Promise<WhatsAppSender>;
  keys: () => Promise<KeyMaterialStore>;
  /** Null when no Web PubSub is configured. */
  gateway: () => Promise<RealtimeGateway | null>;
  eventAuthentication: EventAuthentication;
  /** Azure OpenAI (managed identity, no keys); undefined when not configured. */
  models: AzureOpenAiModels | undefined;
}

/**
 * Every adapter for `config`, each built on first use and then kept (one client per service, as
 * the Azure SDK guidance recommends); `given` ones (tests' own) are taken as they are.
 */
export function chooseAdapters(config: Config, given: Partial<Adapters> = {}): Adapters {
  const lazily = <K extends keyof Adapters>(name: K, build: () => Adapters[K]) =>
    Object.defineProperty(adapters, name, name in given ? { enumerable: true, value: given[name] } : { enumerable: true, get: () => memo(name, build) });
  const built = new Map<keyof Adapters, unknown>();
  const memo = <K extends keyof Adapters>(name: K, build: () => Adapters[K]): Adapters[K] => {
    if (!built.has(name)) built.set(name, build());
    return built.get(name) as Adapters[K];
  };
  const adapters = {} as Adapters;
  lazily('credential', () => createAzureCredential(config));
  lazily('store', () => documentStore(config, adapters.credential));
  lazily('blobs', () => (config.storage.kind === 'none' ? null : deferred(() => azureBlobStorage(config, adapters.credential))));
  lazily('textExtractor', () => (config.documentIntelligence ? new DocumentIntelligenceExtractor(config.documentIntelligence.endpoint, adapters.credential) : new LocalTextExtractor()));
  lazily('mailer', () => once(() => mailer(config)));
  lazily('whatsapp', () => once(() => whatsAppSender(config)));
  lazily('keys', () => once(() => keyMaterialStore(config, adapters.credential)));
  lazily('gateway', () =>
    once(async () => {
      const { connection, hub } = config.realtime;
      return connection ? (await import('../adapters/webpubsub/webpubsub-gateway.js')).WebPubSubGateway.connect(connection, hub, () => adapters.credential) : null;
    }),
  );
  lazily('eventAuthentication', () => eventAuthentication(config));
  lazily('models', () => openAiModels(config, adapters.credential));
  return adapters;
}

/** A promise made on first call and kept; a failed one is made again next time. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

/**
 * The local twins (embedded store, mail, WhatsApp and key files), loaded only when configured:
 * the deploy package leaves them out, so in Azure every service must be configured.
 */
export function localAdapters(): Promise<typeof import('../adapters/local.js')> {
  return import('../adapters/local.js').catch((error: unknown) => {
    throw new Error('The local adapters could not be loaded (the deploy package has none: in Azure set APP_ENV=azure, COSMOS_ENDPOINT and KEY_VAULT_URI)', { cause: error });
  });
}

/** The document store: Cosmos DB when configured (Azure), else the embedded SQLite file. Each loads with the first call, not with the app. */
function documentStore(config: Config, credential: TokenCredential): DocumentStore {
  const { store } = config;
  if (store.kind === 'cosmos') {
    // Request charges at debug, policy drift at warn.
    return deferred(async () =>
      (await import('../adapters/document-store/cosmos/cosmos-document-store.js')).CosmosDocumentStore.connect({ ...store, credential, logger: createAppLogger(config.logLevel) }),
    );
  }
  if (store.path !== ':memory:') mkdirSync(path.dirname(path.resolve(store.path)), { recursive: true });
  return deferred(async () => (await localAdapters()).SqliteDocumentStore.open(store.path));
}

/** The app's data container on Azure Blob Storage (Azurite locally). */
export async function azureBlobStorage({ storage, blobDataContainer }: Config, credential: TokenCredential): Promise<AzureBlobStorage> {
  if (storage.kind === 'none') throw new Error('No blob storage is configured');
  return (await import('../adapters/blob/azure-blob.js')).AzureBlobStorage.connect(storage, blobDataContainer, credential);
}

/** SendGrid when its key is set; files under the data dir locally. In Azure without a key, mail stays pending in the outbox (and is logged as failing) until one is configured. */
async function mailer({ identity, env }: Config): Promise<Mailer> {
  const { mail } = identity;
  if (mail.sendGridApiKey) return new (await import('../adapters/mail/sendgrid.js')).SendGridMailer(mail.sendGridApiKey, mail.from);
  if (env !== 'azure') return new (await localAdapters()).FileMailer(mail.outboxDir, mail.from);
  return notConfigured('No mail provider is configured (set SENDGRID_API_KEY)');
}

/** Twilio when its credentials are set; files under the data dir locally; in Azure without them, a logged failure. */
async function whatsAppSender({ identity, env }: Config): Promise<WhatsAppSender> {
  const { whatsapp } = identity;
  if (whatsapp.twilio) return (await import('../adapters/whatsapp/twilio.js')).TwilioWhatsAppSender.connect(whatsapp.twilio.accountSid, whatsapp.twilio.authToken, whatsapp.from);
  if (env !== 'azure') return new (await localAdapters()).FileWhatsAppSender(whatsapp.outboxDir, whatsapp.from);
  return notConfigured('No WhatsApp provider is configured (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)');
}

/** A sender whose every attempt fails with the missing setting, so the outbox retries until it is set. */
function notConfigured(message: string): Mailer & WhatsAppSender {
  return {
    send: async () => {
      throw new Error(message);
    },
  };
}

/** Key Vault in Azure, a file under the data dir locally. */
export async function keyMaterialStore({ identity }: Pick<Config, 'identity'>, credential: TokenCredential): Promise<KeyMaterialStore> {
  const { keys } = identity;
  if (keys.kind === 'file') return new (await localAdapters()).FileKeyStore(keys.path);
  return (await import('../adapters/key-material/key-vault.js')).KeyVaultKeyStore.connect(keys.vaultUri, keys.secretName, credential);
}

/** Locally events are signed with the access key (`ce-signature`); in Azure they carry the service's managed-identity token. */
function eventAuthentication({ realtime: { connection } }: Config): EventAuthentication {
  if (!connection) return async () => realtimeNotConfigured();
  if (connection.kind === 'key') {
    const { accessKey } = connection;
    return async ({ connectionId, signature }) => {
      if (!signature || !isSignedByService(connectionId, signature, accessKey)) {
        throw new AppError('unauthenticated', 'The event is not signed by the configured Web PubSub service (ce-signature).');
      }
    };
  }
  const verify = serviceTokenVerifier(connection.events);
  return async ({ authorization }) => {
    if (!(await verify(authorization))) {
      throw new AppError('unauthenticated', "The event carries no valid token of the configured Web PubSub service's managed identity (Authorization: Bearer).");
    }
  };
}

function openAiModels({ openAi }: Config, credential: TokenCredential): AzureOpenAiModels | undefined {
  if (!openAi) return undefined;
  // The SDK's provider refreshes tokens ahead of expiry; it loads with the first model call.
  let provider: (() => Promise<string>) | undefined;
  const tokenProvider = async () => {
    provider ??= (await import('@azure/identity')).getBearerTokenProvider(credential, 'https://cognitiveservices.azure.com/.default');
    return provider();
  };
  return new AzureOpenAiModels({ ...openAi, tokenProvider });
}
