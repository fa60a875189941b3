import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { HostLogger } from '../logger';
import type { LocalServiceBusBroker } from './broker';
import { ServiceBusBrokerError } from './errors';

/**
 * The Service Bus extension's `Settlement` gRPC service, which SDK-type bindings
 * (`@azure/functions-extensions-servicebus`'s `ServiceBusMessageActions`) call to complete,
 * abandon, dead-letter or renew the message they were given. The Functions host serves it on
 * the worker's gRPC channel and passes the address as `--functions-uri` and
 * `--functions-grpc-max-message-length`; the local host serves it over HTTP/2 on loopback and
 * adds the same two arguments to the process the app runs in. Only lock tokens of messages
 * delivered to an SDK-binding function, and not settled yet, are honoured.
 */

const GRPC = { ok: 0, invalidArgument: 3, failedPrecondition: 9, unimplemented: 12, internal: 13 } as const;
export const GRPC_MAX_MESSAGE_LENGTH = 4 * 1024 * 1024;

interface SettlementRequest {
  locktoken?: string;
  deadletterReason?: string;
  deadletterErrorDescription?: string;
}

export class SettlementService {
  /** Lock token → the entity it was received from, while its message is unsettled. */
  private readonly locks = new Map<string, string>();
  private server: http2.Http2Server | undefined;
  private readonly sessions = new Set<http2.ServerHttp2Session>();

  constructor(
    private readonly broker: LocalServiceBusBroker,
    private readonly logger: HostLogger,
  ) {}

  /** Starts on a free loopback port and tells the app's process where (as the Functions host tells its worker). */
  async start(): Promise<string> {
    const server = http2.createServer();
    // The app keeps its connection open; on shutdown it is closed from this side.
    server.on('session', (session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    server.on('stream', (stream, headers) => this.handle(stream, String(headers[':path'] ?? '')));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    setArgument('--functions-uri', uri);
    setArgument('--functions-grpc-max-message-length', String(GRPC_MAX_MESSAGE_LENGTH));
    return uri;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const session of this.sessions) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A message handed to an SDK-binding function: its lock may now be settled through the service. */
  track(lockToken: string, path: string): void {
    this.locks.set(lockToken, path);
  }

  /** The invocation ended: true when the function left the message unsettled (the host then settles it). */
  release(lockToken: string): boolean {
    return this.locks.delete(lockToken);
  }

  private handle(stream: http2.ServerHttp2Stream, path: string): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      let status: number = GRPC.ok;
      let message = '';
      try {
        this.settle(path.replace(/^\/(?:[\w.]+\.)?Settlement\//, ''), decodeRequest(unframe(Buffer.concat(chunks))));
      } catch (error) {
        status = error instanceof GrpcError ? error.code : error instanceof ServiceBusBrokerError ? GRPC.failedPrecondition : GRPC.internal;
        message = (error as Error).message;
        if (status === GRPC.internal) this.logger.error(`Settlement ${path} failed: ${(error as Error).stack ?? message}`);
      }
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(status), ...(message ? { 'grpc-message': encodeURIComponent(message) } : {}) }));
      // google.protobuf.Empty: a frame with no bytes.
      stream.end(status === GRPC.ok ? Buffer.alloc(5) : undefined);
    });
  }

  private settle(method: string, request: SettlementRequest): void {
    const lockToken = request.locktoken;
    if (!lockToken) throw new GrpcError(GRPC.invalidArgument, 'locktoken is required');
    const entity = this.locks.get(lockToken);
    if (!entity) throw new GrpcError(GRPC.failedPrecondition, `No unsettled message holds lock ${lockToken} (already settled, or not delivered to an SDK binding).`);
    switch (method) {
      case 'Complete':
        this.broker.complete(entity, lockToken);
        break;
      case 'Abandon':
        this.broker.abandon(entity, lockToken);
        break;
      case 'Deadletter':
        this.broker.deadLetter(entity, lockToken, { reason: request.deadletterReason, description: request.deadletterErrorDescription });
        break;
      case 'RenewMessageLock':
        this.broker.renewLock(entity, lockToken);
        return;
      default:
        throw new GrpcError(GRPC.unimplemented, `Settlement/${method} is not supported by the local host.`);
    }
    this.locks.delete(lockToken);
  }
}

/** Sets `--name value` on this process's arguments, replacing an earlier value (a host started again in the same process). */
function setArgument(name: string, value: string): void {
  const at = process.argv.indexOf(name);
  if (at >= 0) process.argv.splice(at, 2);
  process.argv.push(name, value);
}

class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A unary gRPC body: one uncompressed length-prefixed message. */
function unframe(body: Buffer): Buffer {
  if (body.length < 5 || body[0] !== 0) throw new GrpcError(GRPC.invalidArgument, 'expected one uncompressed gRPC message');
  return body.subarray(5, 5 + body.readUInt32BE(1));
}

/**
 * The fields of CompleteRequest, AbandonRequest, DeadletterRequest and RenewMessageLockRequest
 * (proto3): 1 locktoken, 2 propertiesToModify (not applied locally), 3 deadletterReason and
 * 4 deadletterErrorDescription (google.protobuf.StringValue: field 1 inside).
 */
function decodeRequest(bytes: Buffer): SettlementRequest {
  const fields = protobufFields(bytes);
  const text = (field: number) => fields.get(field)?.toString('utf8');
  const wrapped = (field: number) => {
    const inner = fields.get(field);
    return inner ? (protobufFields(inner).get(1)?.toString('utf8') ?? '') : undefined;
  };
  return { locktoken: text(1), deadletterReason: wrapped(3), deadletterErrorDescription: wrapped(4) };
}

/** Length-delimited fields by number (every field these requests have is a string, bytes or message). */
function protobufFields(bytes: Buffer): Map<number, Buffer> {
  const fields = new Map<number, Buffer>();
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      if (byte === undefined) throw new GrpcError(GRPC.invalidArgument, 'truncated protobuf message');
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    if ((key & 7) !== 2) throw new GrpcError(GRPC.invalidArgument, `unexpected protobuf wire type ${key & 7}`);
    const length = varint();
    fields.set(Math.floor(key / 8), bytes.subarray(at, at + length));
    at += length;
  }
  return fields;
}
