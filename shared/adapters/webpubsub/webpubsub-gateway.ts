import type { TokenCredential } from '@azure/identity';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import type { ClientAccess, ClientGrant, RealtimeGateway, RealtimeMessage } from '../../domain/realtime/gateway';
import type { RealtimeConnection } from '../../realtime-config';

/**
 * The real-time port over the genuine `@azure/web-pubsub` service client, with an access key
 * (the local service) or Entra ID (Azure, where the service has local auth disabled: client
 * access URLs then come from the service's generateToken API, which the SDK calls for us).
 */
export class WebPubSubGateway implements RealtimeGateway {
  readonly hub: string;

  constructor(private readonly client: WebPubSubServiceClient) {
    this.hub = client.hubName;
  }

  /**
   * The SDK's pipeline refuses a plain-http endpoint unless told otherwise; only the local
   * service is http, so the option follows the endpoint and production keeps the refusal.
   */
  static connect(connection: RealtimeConnection, hub: string, credential: () => TokenCredential): WebPubSubGateway {
    return new WebPubSubGateway(
      connection.kind === 'key'
        ? new WebPubSubServiceClient(connection.connectionString, hub, { allowInsecureConnection: connection.endpoint.startsWith('http://') })
        : new WebPubSubServiceClient(connection.endpoint, credential(), hub),
    );
  }

  async clientAccess(grant: ClientGrant): Promise<ClientAccess> {
    const { url } = await this.client.getClientAccessToken({ userId: grant.userId, groups: grant.groups, roles: grant.roles, expirationTimeInMinutes: grant.expiresInMinutes });
    return { url, expiresAt: new Date(Date.now() + grant.expiresInMinutes * 60_000).toISOString() };
  }

  async sendToUser(userId: string, message: RealtimeMessage): Promise<void> {
    await this.client.sendToUser(userId, message);
  }

  async sendToGroup(group: string, message: RealtimeMessage): Promise<void> {
    await this.client.group(group).sendToAll(message);
  }

  async sendToAll(message: RealtimeMessage): Promise<void> {
    await this.client.sendToAll(message);
  }

  connectionExists(connectionId: string): Promise<boolean> {
    return this.client.connectionExists(connectionId);
  }

  groupExists(group: string): Promise<boolean> {
    return this.client.groupExists(group);
  }
}
