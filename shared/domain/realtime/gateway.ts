/**
 * The real-time port: what the domain needs from Web PubSub. One adapter
 * (shared/adapters/webpubsub) serves Azure and the local host alike, since the local service
 * speaks the real REST API; only the connection setting differs.
 */
export interface ClientAccess {
  /** The WebSocket URL with its access token, for `@azure/web-pubsub-client`. */
  url: string;
  expiresAt: string;
}

export interface ClientGrant {
  userId: string;
  /** Groups joined at connect. */
  groups: string[];
  /** Web PubSub roles, e.g. `webpubsub.joinLeaveGroup.expert:<id>`. */
  roles: string[];
  expiresInMinutes: number;
}

/** Every push is one JSON object with a `type` the client switches on. */
export interface RealtimeMessage {
  type: string;
  [field: string]: unknown;
}

export interface RealtimeGateway {
  readonly hub: string;
  clientAccess(grant: ClientGrant): Promise<ClientAccess>;
  sendToUser(userId: string, message: RealtimeMessage): Promise<void>;
  sendToGroup(group: string, message: RealtimeMessage): Promise<void>;
  sendToAll(message: RealtimeMessage): Promise<void>;
  connectionExists(connectionId: string): Promise<boolean>;
  /** True when at least one connection is in the group. */
  groupExists(group: string): Promise<boolean>;
}
