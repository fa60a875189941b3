import http2 from 'node:http2';
import { parseArgs } from 'node:util';

/**
 * A client of the Service Bus extension's `Settlement` gRPC service, at the address the Functions
 * host gives its worker (`--functions-uri`, `--functions-grpc-max-message-length`), as
 * `@azure/functions-extensions-servicebus`'s `ServiceBusMessageActions` calls it. Unary calls
 * over HTTP/2 with hand-encoded protobuf: the four requests are strings and wrapped strings.
 */
export class SettlementClient {
  private session: http2.ClientHttp2Session | undefined;

  constructor(private readonly address: () => string = hostSettlementAddress) {}

  complete(lockToken: string): Promise<void> {
    return this.call('Complete', stringField(1, lockToken));
  }

  abandon(lockToken: string): Promise<void> {
    return this.call('Abandon', stringField(1, lockToken));
  }

  deadLetter(lockToken: string, reason: string, description: string): Promise<void> {
    // DeadletterRequest: 1 locktoken, 3 and 4 google.protobuf.StringValue (its field 1).
    return this.call('Deadletter', Buffer.concat([stringField(1, lockToken), messageField(3, stringField(1, reason)), messageField(4, stringField(1, description))]));
  }

  renewLock(lockToken: string): Promise<void> {
    return this.call('RenewMessageLock', stringField(1, lockToken));
  }

  private connection(): http2.ClientHttp2Session {
    if (!this.session || this.session.closed || this.session.destroyed) {
      const session = http2.connect(this.address());
      // Settlement is occasional: the connection must not keep the worker alive on its own.
      session.on('error', () => session.destroy());
      session.unref();
      this.session = session;
    }
    return this.session;
  }

  private call(method: string, message: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const frame = Buffer.alloc(5 + message.length);
      frame.writeUInt32BE(message.length, 1);
      message.copy(frame, 5);
      const stream = this.connection().request({ ':method': 'POST', ':path': `/Settlement/${method}`, 'content-type': 'application/grpc', te: 'trailers' });
      let status: string | undefined;
      let detail = '';
      const read = (headers: http2.IncomingHttpHeaders) => {
        status ??= headers['grpc-status'] as string | undefined;
        if (headers['grpc-message']) detail = decodeURIComponent(String(headers['grpc-message']));
      };
      stream.on('response', read);
      stream.on('trailers', read);
      stream.on('data', () => {});
      stream.on('error', reject);
      stream.on('close', () => {
        if (status === '0') resolve();
        else reject(new Error(`Service Bus settlement ${method} failed (gRPC status ${status ?? 'none'}): ${detail || 'no detail'}`));
      });
      stream.end(frame);
    });
  }
}

/** Where the host serves settlement: its gRPC URI, as the worker's command line says. */
function hostSettlementAddress(): string {
  const { values } = parseArgs({ args: process.argv.slice(2), strict: false, options: { 'functions-uri': { type: 'string' } } });
  const uri = values['functions-uri'];
  if (typeof uri !== 'string') throw new Error('The Functions host passed no --functions-uri: Service Bus messages cannot be settled by the function.');
  return uri;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function messageField(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(bytes.length), bytes]);
}

function stringField(field: number, value: string): Buffer {
  return messageField(field, Buffer.from(value, 'utf8'));
}
