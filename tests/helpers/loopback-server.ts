import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsCertificate } from './tls-certificate';

export interface LoopbackRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface LoopbackAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON; no body when absent. */
  json?: unknown;
}

/**
 * A server on a free loopback port that answers each whole request with `handle`: the base of the
 * providers' fakes. HTTP, or HTTPS with `tls` for an SDK that sends tokens only over TLS.
 */
export class LoopbackServer {
  private constructor(
    private readonly server: Server,
    private readonly protocol: 'http' | 'https',
  ) {}

  static async start(handle: (request: LoopbackRequest) => LoopbackAnswer, tls?: TlsCertificate): Promise<LoopbackServer> {
    const listener = async (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const answer = handle({ method: request.method ?? 'GET', url, headers: request.headers, body: Buffer.concat(chunks) });
      const body = answer.json === undefined ? '' : JSON.stringify(answer.json);
      response.writeHead(answer.status, { ...(body ? { 'content-type': 'application/json' } : {}), ...answer.headers }).end(body);
    };
    const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener) : createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LoopbackServer(server, tls ? 'https' : 'http');
  }

  get endpoint(): string {
    return `${this.protocol}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
