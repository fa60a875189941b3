import { WebPubSubServiceClient } from '@azure/web-pubsub';
import type { ClientAccess, ClientGrant, RealtimeGateway, RealtimeMessage } from '../../domain/realtime/gateway';

/**
 * The real-time port over the genuine `@azure/web-pubsub` service client. The SDK's pipeline
 * refuses a plain-http endpoint unless told otherwise; only the local service is http, so the
 * option follows the endpoint and production keeps the SDK's refusal.
 */
export class WebPubSubGateway implements RealtimeGateway {
  private readonly client: WebPubSubServiceClient;

  constructor(connectionString: string, readonly hub: string) {
    this.client = new WebPubSubServiceClient(connectionString, hub, { allowInsecureConnection: /(^|;)\s*Endpoint=http:\/\//i.test(connectionString) });
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
