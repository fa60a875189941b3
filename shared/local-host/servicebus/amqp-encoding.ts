import type { ReceivedMessage } from './types';

/**
 * A received message as the Service Bus extension hands it to an SDK-type binding
 * (`sdkBinding: true`, model binding data of source `AzureServiceBusReceivedMessage`): the
 * 16-byte lock token in .NET `Guid` byte order, then the message in AMQP 1.0 encoding (header,
 * message annotations with the broker's `x-opt-*` values, properties, application properties,
 * one data section). `@azure/functions-extensions-servicebus` reads exactly this layout.
 */
export function sdkBindingContent(message: ReceivedMessage): Buffer {
  return Buffer.concat([dotNetGuidBytes(message.lockToken), encodeAmqpMessage(message)]);
}

export const SDK_BINDING_SOURCE = 'AzureServiceBusReceivedMessage';
export const SDK_BINDING_CONTENT_TYPE = 'application/x-amqp-peek-lock';

/** A `Guid`'s bytes as .NET writes them: the first three groups little-endian. */
export function dotNetGuidBytes(uuid: string): Buffer {
  const bytes = Buffer.from(uuid.replace(/-/g, ''), 'hex');
  if (bytes.length !== 16) throw new Error(`Not a UUID: ${uuid}`);
  bytes.subarray(0, 4).reverse();
  bytes.subarray(4, 6).reverse();
  bytes.subarray(6, 8).reverse();
  return bytes;
}

// AMQP 1.0 type constructors (OASIS AMQP 1.0, part 1, section 1.6) and section descriptors (part 3).
const SECTION = { header: 0x70, messageAnnotations: 0x72, properties: 0x73, applicationProperties: 0x74, data: 0x75 };

type Value = null | boolean | number | string | Date | Buffer | AmqpSymbol | AmqpUuid | AmqpUint | Value[] | AmqpMap;
class AmqpSymbol {
  constructor(readonly name: string) {}
}
class AmqpUuid {
  constructor(readonly uuid: string) {}
}
class AmqpUint {
  constructor(readonly value: number) {}
}
class AmqpMap {
  constructor(readonly entries: [Value, Value][]) {}
}

function encodeAmqpMessage(message: ReceivedMessage): Buffer {
  const sym = (name: string) => new AmqpSymbol(name);
  const header = [true, null, null, null, new AmqpUint(Math.max(0, message.deliveryCount - 1))];
  const annotations = new AmqpMap([
    [sym('x-opt-enqueued-time'), message.enqueuedTimeUtc],
    [sym('x-opt-sequence-number'), message.sequenceNumber],
    [sym('x-opt-locked-until'), message.lockedUntilUtc],
    [sym('x-opt-lock-token'), new AmqpUuid(message.lockToken)],
  ]);
  const properties = [
    message.messageId,
    null,
    null,
    message.subject ?? null,
    null,
    message.correlationId ?? null,
    message.contentType ? sym(message.contentType) : null,
    null,
    message.expiresAtUtc,
    null,
    message.sessionId ?? null,
  ];
  const applicationProperties = new AmqpMap(Object.entries(message.applicationProperties));
  return Buffer.concat([
    described(SECTION.header, header),
    described(SECTION.messageAnnotations, annotations),
    described(SECTION.properties, properties),
    described(SECTION.applicationProperties, applicationProperties),
    described(SECTION.data, message.body),
  ]);
}

function described(code: number, value: Value): Buffer {
  return Buffer.concat([Buffer.from([0x00, 0x53, code]), encode(value)]);
}

function encode(value: Value): Buffer {
  if (value === null) return Buffer.from([0x40]);
  if (typeof value === 'boolean') return Buffer.from([value ? 0x41 : 0x42]);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? withInt64(0x81, value) : withDouble(value);
  if (typeof value === 'string') return variable(0xa1, 0xb1, Buffer.from(value, 'utf8'));
  if (value instanceof Date) return withInt64(0x83, value.getTime());
  if (Buffer.isBuffer(value)) return variable(0xa0, 0xb0, value);
  if (value instanceof AmqpSymbol) return variable(0xa3, 0xb3, Buffer.from(value.name, 'ascii'));
  if (value instanceof AmqpUuid) return Buffer.concat([Buffer.from([0x98]), Buffer.from(value.uuid.replace(/-/g, ''), 'hex')]);
  if (value instanceof AmqpUint) {
    const bytes = Buffer.alloc(5);
    bytes[0] = 0x70;
    bytes.writeUInt32BE(value.value, 1);
    return bytes;
  }
  if (value instanceof AmqpMap) return compound(0xd1, value.entries.flat());
  return compound(0xd0, value);
}

function withInt64(code: number, value: number): Buffer {
  const bytes = Buffer.alloc(9);
  bytes[0] = code;
  bytes.writeBigInt64BE(BigInt(value), 1);
  return bytes;
}

function withDouble(value: number): Buffer {
  const bytes = Buffer.alloc(9);
  bytes[0] = 0x82;
  bytes.writeDoubleBE(value, 1);
  return bytes;
}

/** Binary, string and symbol: a one-byte length up to 255, else four bytes. */
function variable(short: number, long: number, bytes: Buffer): Buffer {
  if (bytes.length <= 0xff) return Buffer.concat([Buffer.from([short, bytes.length]), bytes]);
  const head = Buffer.alloc(5);
  head[0] = long;
  head.writeUInt32BE(bytes.length, 1);
  return Buffer.concat([head, bytes]);
}

/** list32 / map32: size (of count and items), count, then the items. */
function compound(code: number, items: Value[]): Buffer {
  const body = Buffer.concat(items.map(encode));
  const head = Buffer.alloc(9);
  head[0] = code;
  head.writeUInt32BE(body.length + 4, 1);
  head.writeUInt32BE(items.length, 5);
  return Buffer.concat([head, body]);
}
