import { CosmosClient, type Database } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import type { Container, ContainerDefinition, Document, DocumentStore } from '../../data/document-store';
import { containerRequest } from './container-request';
import { CosmosContainer } from './cosmos-container';
import { mapped } from './errors';

export interface CosmosStoreSettings {
  endpoint: string;
  database: string;
  /** Only where settings give one (e.g. a test account); in Azure the managed identity is used. */
  key?: string;
  managedIdentityClientId?: string;
  /**
   * Create the database if missing (test accounts). In Azure the database and containers come
   * from Bicep: Entra data-plane roles cannot create them, and createIfNotExists only reads when
   * they exist.
   */
  createDatabase?: boolean;
}

/**
 * The document store on Cosmos DB for NoSQL. One client per process (the SDK's advice), Entra ID
 * auth through the managed identity unless a key is configured, and throttling (429) retried by
 * the SDK before it surfaces as `throttled`.
 */
export class CosmosDocumentStore implements DocumentStore {
  private readonly containers = new Map<string, Promise<Container<Document>>>();

  constructor(
    private readonly database: Database,
    private readonly client?: CosmosClient,
    private readonly ready: Promise<unknown> = Promise.resolve(),
  ) {}

  static connect(settings: CosmosStoreSettings): CosmosDocumentStore {
    const client = new CosmosClient({
      endpoint: settings.endpoint,
      ...(settings.key ? { key: settings.key } : { aadCredentials: new DefaultAzureCredential({ managedIdentityClientId: settings.managedIdentityClientId }) }),
      connectionPolicy: { retryOptions: { maxRetryAttemptCount: 9, maxWaitTimeInSeconds: 30, fixedRetryIntervalInMilliseconds: 0 } },
    });
    const ready = settings.createDatabase ? mapped(() => client.databases.createIfNotExists({ id: settings.database })) : Promise.resolve();
    ready.catch(() => undefined); // surfaced by the first container() call
    return new CosmosDocumentStore(client.database(settings.database), client, ready);
  }

  container<T extends Document>(definition: ContainerDefinition): Promise<Container<T>> {
    let pending = this.containers.get(definition.name);
    if (!pending) {
      pending = this.ready
        .then(() => mapped(() => this.database.containers.createIfNotExists(containerRequest(definition))))
        .then(
        ({ container }) => new CosmosContainer<Document>(container, definition),
      );
      pending.catch(() => this.containers.delete(definition.name));
      this.containers.set(definition.name, pending);
    }
    return pending as Promise<Container<T>>;
  }

  async ping(): Promise<void> {
    await mapped(() => this.database.read());
  }

  async close(): Promise<void> {
    this.client?.dispose();
  }
}
