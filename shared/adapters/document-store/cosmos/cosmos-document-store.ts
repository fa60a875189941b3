import { CosmosClient, type CosmosClientOptions, type Database } from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import type { Container, ContainerDefinition, Document, DocumentStore } from '../../../data/document-store';
import { StoreError } from '../../../data/errors';
import { containerRequest, policyDrift } from './container-request';
import { CosmosContainer } from './cosmos-container';
import { request, silentLogger, type CosmosLogger } from './request';

export interface CosmosStoreSettings {
  endpoint: string;
  database: string;
  /** Only where settings give one (a test account); otherwise Entra ID. */
  key?: string;
  /** The app's Entra ID credential (shared/azure-credential.ts), used unless a key is given. */
  credential: TokenCredential;
  /**
   * Create the database if missing (test accounts). In Azure the database and containers come
   * from Bicep: Entra data-plane roles cannot create them, and createIfNotExists only reads them
   * when they exist.
   */
  createDatabase?: boolean;
  /** 429 handling before `throttled` surfaces; the SDK defaults are 9 retries within 30 seconds. */
  retry?: { maxRetryAttemptCount?: number; maxWaitTimeInSeconds?: number };
  logger?: CosmosLogger;
}

/** The client options: Entra ID unless a key is configured, and the SDK's 429 retries bounded. */
export function cosmosClientOptions(settings: CosmosStoreSettings): CosmosClientOptions {
  const auth = settings.key ? { key: settings.key } : { aadCredentials: settings.credential };
  return {
    endpoint: settings.endpoint,
    ...auth,
    userAgentSuffix: 'foodxchange-marketplace',
    connectionPolicy: {
      retryOptions: {
        maxRetryAttemptCount: settings.retry?.maxRetryAttemptCount ?? 9,
        maxWaitTimeInSeconds: settings.retry?.maxWaitTimeInSeconds ?? 30,
      },
    },
  };
}

/**
 * The document store on Cosmos DB for NoSQL: one client per process (the SDK's advice), containers
 * opened once and cached, request charges logged at debug.
 */
export class CosmosDocumentStore implements DocumentStore {
  private readonly containers = new Map<string, Promise<Container<Document>>>();

  constructor(
    private readonly database: Database,
    private readonly options: { client?: CosmosClient; ready?: Promise<unknown>; logger?: CosmosLogger } = {},
  ) {}

  static connect(settings: CosmosStoreSettings): CosmosDocumentStore {
    const client = new CosmosClient(cosmosClientOptions(settings));
    const logger = settings.logger ?? silentLogger;
    const ready = settings.createDatabase
      ? request(logger, { container: '(database)', operation: 'createDatabase' }, () => client.databases.createIfNotExists({ id: settings.database }))
      : Promise.resolve();
    ready.catch(() => undefined); // surfaced by the first container() call
    return new CosmosDocumentStore(client.database(settings.database), { client, ready, logger });
  }

  container<T extends Document>(definition: ContainerDefinition): Promise<Container<T>> {
    let pending = this.containers.get(definition.name);
    if (!pending) {
      pending = this.open(definition);
      pending.catch(() => this.containers.delete(definition.name));
      this.containers.set(definition.name, pending);
    }
    return pending as Promise<Container<T>>;
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.options.ready;
    await request(this.logger, { container: '(database)', operation: 'ping' }, () => this.database.read(signal ? { abortSignal: signal } : undefined));
  }

  async close(): Promise<void> {
    this.options.client?.dispose();
  }

  private get logger(): CosmosLogger {
    return this.options.logger ?? silentLogger;
  }

  private async open(definition: ContainerDefinition): Promise<Container<Document>> {
    const wanted = containerRequest(definition);
    await this.options.ready;
    const { container, resource } = await request(this.logger, { container: definition.name, operation: 'createContainerIfNotExists' }, () => this.database.containers.createIfNotExists(wanted)).catch(
      (error: unknown) => {
        // A 404 here is the database, not a document: say so instead of "document does not exist".
        if (error instanceof StoreError && error.kind === 'not_found') {
          throw new Error(`Cosmos DB database "${this.database.id}" does not exist: deploy it (Bicep) or connect with createDatabase`, { cause: error });
        }
        throw error;
      },
    );
    // A different partition key would send every point read to the wrong partition: refuse to start.
    const found = resource?.partitionKey?.paths;
    const declared = `/${definition.partitionKey.replace(/\./g, '/')}`;
    if (found && (found.length !== 1 || found[0] !== declared)) {
      throw new Error(`Container ${definition.name} exists with partition key ${found.join(', ')}, not ${declared}`);
    }
    const drift = policyDrift(wanted, resource);
    if (drift.length) this.logger.warn('Cosmos DB container lacks declared policy', { container: definition.name, missing: drift });
    return new CosmosContainer<Document>(container, definition, this.logger);
  }
}
