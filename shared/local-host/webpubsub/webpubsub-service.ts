import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostLogger } from '../logger';
import { UnauthorizedError, verifyAccessToken, type AccessClaims } from './access-token';
import { handleClientFrame } from './client-protocol';
import { ClientConnection, JSON_PROTOCOL, RELIABLE_JSON_PROTOCOL, type Subprotocol } from './connection';
import { connectEvent, ConnectRejectedError, type ConnectDecision } from './connect-event';
import { EventHandlerClient, type HubSettings } from './event-handler';
import { Hub } from './hub';
import { handleRestRequest } from './rest-api';

/**
 * The local service's well-known access key, public like Azurite's account key: it signs
 * nothing outside this machine. The connection string carrying it is injected into the app.
 */
export const LOCAL_ACCESS_KEY = 'bG9jYWwtd2VicHVic3ViLWRldmVsb3BtZW50LWtleS1ub3QtYS1zZWNyZXQ=';

export interface WebPubSubServiceOptions {
  hubs: Map<string, HubSettings>;
  /** The function app's base URL, for event handler templates that start with `/`. */
  appBaseUrl: () => string;
  logger: HostLogger;
  /** How long a dropped reliable connection waits for its client to reconnect (the SDK tries for 30 s). */
  recoveryWindowMs?: number;
}

/**
 * A local Azure Web PubSub service on its own port: the data-plane REST API under
 * `/api/hubs/{hub}`, client WebSockets at `/client/hubs/{hub}`, events to the app's handlers.
 */
export class WebPubSubService {
  private readonly hubs = new Map<string, Hub>();
  private readonly server: Server;
  /** A client frame is at most 1 MB, the service's message limit. */
  private readonly sockets = new WebSocketServer({ noServer: true, handleProtocols: pickSubprotocol, maxPayload: 1024 * 1024 });
  private readonly recoveryTimers = new Map<ClientConnection, NodeJS.Timeout>();
  private events!: EventHandlerClient;
  private closing = false;
  port = 0;

  constructor(private readonly options: WebPubSubServiceOptions) {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      handleRestRequest(req, res, url, { hub: (name) => this.hub(name), accessKey: LOCAL_ACCESS_KEY, closeConnection: (c, reason) => this.end(c, reason, true) }).catch((error: Error) => {
        options.logger.error(`Web PubSub: ${req.method} ${req.url} failed: ${error.stack ?? error}`);
        if (!res.headersSent) res.writeHead(500, { 'content-length': '0' });
        res.end();
      });
    });
    this.server.on('upgrade', (req, socket: Socket, head) =>
      this.upgrade(req, socket, head).catch((error: Error) => {
        options.logger.error(`Web PubSub: client upgrade ${req.url?.split('?')[0]} failed: ${error.stack ?? error}`);
        refuse(socket, 500, 'Internal Server Error');
      }),
    );
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get connectionString(): string {
    return `Endpoint=${this.endpoint};AccessKey=${LOCAL_ACCESS_KEY};Version=1.0;`;
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.events = new EventHandlerClient(this.options.hubs, LOCAL_ACCESS_KEY, `127.0.0.1:${this.port}`, this.options.appBaseUrl, this.options.logger);
  }

  /** Stops with the host: sockets go without events (the app is stopping too). */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.recoveryTimers.values()) clearTimeout(timer);
    for (const socket of this.sockets.clients) socket.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  describe(): unknown {
    return { endpoint: this.endpoint, connectionString: this.connectionString, hubs: [...this.hubs.values()].map((hub) => hub.describe()) };
  }

  /** Drops a connection's socket without a close handshake, as a network failure would (admin API). */
  drop(hubName: string, connectionId: string): boolean {
    const connection = this.hub(hubName).connections.get(connectionId);
    connection?.drop();
    return connection !== undefined;
  }

  hub(name: string): Hub {
    const key = name.toLowerCase();
    let hub = this.hubs.get(key);
    if (!hub) this.hubs.set(key, (hub = new Hub(name)));
    return hub;
  }

  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const match = /^\/client\/hubs\/([^/]+)\/?$/i.exec(url.pathname);
    if (!match) return refuse(socket, 404, 'Not Found');
    const hub = this.hub(decodeURIComponent(match[1]!));
    const recovering = url.searchParams.get('awps_connection_id');
    if (recovering) return this.recover(hub, recovering, url.searchParams.get('awps_reconnection_token'), req, socket, head);
    let claims: AccessClaims;
    try {
      claims = verifyAccessToken(url.searchParams.get('access_token') ?? bearer(req), LOCAL_ACCESS_KEY, `http://${req.headers.host}${url.pathname}`);
    } catch (error) {
      if (error instanceof UnauthorizedError) return refuse(socket, 401, 'Unauthorized', error.message);
      throw error;
    }
    const connectionId = randomUUID().replace(/-/g, '');
    const offered = offeredSubprotocols(req);
    let decision: ConnectDecision;
    try {
      decision = await connectEvent(this.events, hub.name, connectionId, claims, url, req, offered);
    } catch (error) {
      if (error instanceof ConnectRejectedError) return refuse(socket, error.status, error.message);
      this.options.logger.error(`Web PubSub: connect event for hub '${hub.name}' failed: ${(error as Error).message}`);
      return refuse(socket, 500, 'Internal Server Error');
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      const connection = new ClientConnection(connectionId, hub.name, decision.userId, ws.protocol as Subprotocol, decision.roles);
      hub.add(connection, decision.groups);
      this.attach(hub, connection, ws, false);
      connection.sendConnected();
      this.notify(connection, 'connected', {});
    });
  }

  private recover(hub: Hub, connectionId: string, token: string | null, req: IncomingMessage, socket: Socket, head: Buffer): void {
    const connection = hub.connections.get(connectionId);
    if (!connection?.reliable || connection.attached || token !== connection.reconnectionToken) {
      return refuse(socket, 404, 'Not Found', 'The connection cannot be recovered.');
    }
    clearTimeout(this.recoveryTimers.get(connection));
    this.recoveryTimers.delete(connection);
    this.sockets.handleUpgrade(req, socket, head, (ws) => this.attach(hub, connection, ws, true));
  }

  private attach(hub: Hub, connection: ClientConnection, ws: WebSocket, recovering: boolean): void {
    connection.attach(ws, recovering);
    ws.on('message', (data, isBinary) =>
      connection.serially(
        () => handleClientFrame(hub, connection, this.events, data, isBinary),
        (error) => this.options.logger.error(`Web PubSub: frame from ${connection.id} failed: ${error.message}`),
      ),
    );
    ws.on('close', (code) => {
      if (!connection.detach(ws) || !hub.connections.has(connection.id)) return;
      if (connection.recoverableAfter(code)) this.awaitRecovery(connection);
      else this.end(connection, `Connection closed by the client (${code}).`, false);
    });
  }

  private awaitRecovery(connection: ClientConnection): void {
    const timer = setTimeout(() => this.end(connection, 'The connection was not recovered in time.', false), this.options.recoveryWindowMs ?? 30_000);
    timer.unref();
    this.recoveryTimers.set(connection, timer);
  }

  /** Ends a connection for good: out of its hub, socket closed, `disconnected` event. */
  private end(connection: ClientConnection, reason: string, byService: boolean): void {
    const hub = this.hub(connection.hub);
    if (hub.connections.get(connection.id) !== connection) return;
    clearTimeout(this.recoveryTimers.get(connection));
    this.recoveryTimers.delete(connection);
    if (byService) connection.close(reason);
    hub.remove(connection);
    this.notify(connection, 'disconnected', { reason });
  }

  /** Unblocking events: sent in the background, in order with the connection's frames; failures logged. */
  private notify(connection: ClientConnection, name: 'connected' | 'disconnected', body: unknown): void {
    if (this.closing) return;
    const source = { hub: connection.hub, connectionId: connection.id, userId: connection.userId, subprotocol: connection.subprotocol };
    const event = { kind: 'sys' as const, name, contentType: 'application/json', body: Buffer.from(JSON.stringify(body)) };
    connection.serially(
      async () => void (await (await this.events.send(source, event))?.arrayBuffer()),
      (error) => this.options.logger.warn(`Web PubSub: ${name} event for ${connection.id} not delivered: ${error.message}`),
    );
  }
}

function pickSubprotocol(offered: Set<string>): string | false {
  if (offered.has(RELIABLE_JSON_PROTOCOL)) return RELIABLE_JSON_PROTOCOL;
  return offered.has(JSON_PROTOCOL) ? JSON_PROTOCOL : false;
}

function offeredSubprotocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

function refuse(socket: Socket, status: number, statusText: string, detail = ''): void {
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(detail)}\r\n\r\n${detail}`);
}
