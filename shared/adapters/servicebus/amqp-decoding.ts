/**
 * Reads what the Service Bus extension hands an SDK-type binding: a 16-byte lock token (.NET
 * `Guid` byte order) followed by the message in AMQP 1.0 encoding (OASIS AMQP 1.0, part 1
 * section 1.6 for the types, part 3 section 3.2 for the message sections).
 */

export interface AmqpMessage {
  lockToken: string;
  /** Header `delivery-count` counts failed attempts before this one; this counts deliveries, this one included (as Service Bus does). */
  deliveryCount: number;
  messageId?: string;
  correlationId?: string;
  contentType?: string;
  subject?: string;
  sessionId?: string;
  enqueuedTimeUtc?: Date;
  lockedUntilUtc?: Date;
  sequenceNumber?: number;
  applicationProperties: Record<string, unknown>;
  body: Buffer;
}

const SECTION = { header: 0x70, deliveryAnnotations: 0x71, messageAnnotations: 0x72, properties: 0x73, applicationProperties: 0x74, data: 0x75, value: 0x77 };

export function decodeSdkBindingContent(content: Uint8Array): AmqpMessage {
  const bytes = Buffer.from(content);
  if (bytes.length < 16) throw new Error('The Service Bus binding data is too short to hold a lock token.');
  const reader = new Reader(bytes, 16);
  const sections = new Map<number, unknown>();
  const data: Buffer[] = [];
  while (!reader.done()) {
    const section = reader.value();
    if (!(section instanceof Described)) throw new Error('The Service Bus binding data holds a value outside an AMQP message section.');
    if (section.code === SECTION.data) data.push(section.value as Buffer);
    else sections.set(section.code, section.value);
  }
  const header = (sections.get(SECTION.header) as unknown[] | undefined) ?? [];
  const properties = (sections.get(SECTION.properties) as unknown[] | undefined) ?? [];
  const annotations = (sections.get(SECTION.messageAnnotations) as Record<string, unknown> | undefined) ?? {};
  const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));
  const value = sections.get(SECTION.value);
  return {
    lockToken: guidFromDotNetBytes(bytes.subarray(0, 16)),
    deliveryCount: Number(header[4] ?? 0) + 1,
    messageId: text(properties[0]),
    subject: text(properties[3]),
    correlationId: text(properties[5]),
    contentType: text(properties[6]),
    sessionId: text(properties[10]),
    enqueuedTimeUtc: annotations['x-opt-enqueued-time'] as Date | undefined,
    lockedUntilUtc: annotations['x-opt-locked-until'] as Date | undefined,
    sequenceNumber: annotations['x-opt-sequence-number'] as number | undefined,
    applicationProperties: (sections.get(SECTION.applicationProperties) as Record<string, unknown> | undefined) ?? {},
    // A body sent as an AMQP value (a string, by some clients) reads as its UTF-8 bytes.
    body: data.length ? Buffer.concat(data) : Buffer.from(typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)),
  };
}

function guidFromDotNetBytes(bytes: Buffer): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-');
}

class Described {
  constructor(
    readonly code: number,
    readonly value: unknown,
  ) {}
}

class Reader {
  constructor(
    private readonly bytes: Buffer,
    private at: number,
  ) {}

  done(): boolean {
    return this.at >= this.bytes.length;
  }

  value(): unknown {
    const code = this.u8();
    if (code === 0x00) {
      const descriptor = this.value();
      return new Described(typeof descriptor === 'number' ? descriptor : -1, this.value());
    }
    return this.primitive(code);
  }

  private primitive(code: number): unknown {
    switch (code) {
      case 0x40:
        return null;
      case 0x41:
        return true;
      case 0x42:
        return false;
      case 0x56:
        return this.u8() !== 0;
      case 0x43:
      case 0x44:
        return 0;
      case 0x50:
      case 0x52:
      case 0x53:
        return this.u8();
      case 0x51:
      case 0x54:
      case 0x55:
        return this.take(1).readInt8(0);
      case 0x60:
        return this.take(2).readUInt16BE(0);
      case 0x61:
        return this.take(2).readInt16BE(0);
      case 0x70:
        return this.take(4).readUInt32BE(0);
      case 0x71:
        return this.take(4).readInt32BE(0);
      case 0x72:
        return this.take(4).readFloatBE(0);
      case 0x73:
        return String.fromCodePoint(this.take(4).readUInt32BE(0));
      case 0x80:
        return Number(this.take(8).readBigUInt64BE(0));
      case 0x81:
        return Number(this.take(8).readBigInt64BE(0));
      case 0x82:
        return this.take(8).readDoubleBE(0);
      case 0x83:
        return new Date(Number(this.take(8).readBigInt64BE(0)));
      case 0x98: {
        const hex = this.take(16).toString('hex');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      }
      case 0xa0:
        return Buffer.from(this.take(this.u8()));
      case 0xb0:
        return Buffer.from(this.take(this.u32()));
      case 0xa1:
      case 0xa3:
        return this.take(this.u8()).toString('utf8');
      case 0xb1:
      case 0xb3:
        return this.take(this.u32()).toString('utf8');
      case 0x45:
        return [];
      case 0xc0:
        return this.items(this.u8(), this.u8());
      case 0xd0:
        return this.items(this.u32(), this.u32());
      case 0xc1:
        return this.map(this.items(this.u8(), this.u8()));
      case 0xd1:
        return this.map(this.items(this.u32(), this.u32()));
      case 0xe0:
        return this.array(this.u8(), this.u8());
      case 0xf0:
        return this.array(this.u32(), this.u32());
      default:
        throw new Error(`AMQP type 0x${code.toString(16)} is not expected in a Service Bus message.`);
    }
  }

  /** `size` counts the count field's own bytes, which were already read. */
  private items(_size: number, count: number): unknown[] {
    return Array.from({ length: count }, () => this.value());
  }

  private map(flat: unknown[]): Record<string, unknown> {
    const entries: [string, unknown][] = [];
    for (let i = 0; i < flat.length; i += 2) entries.push([String(flat[i]), flat[i + 1]]);
    return Object.fromEntries(entries);
  }

  /** An array: one constructor for every element. */
  private array(_size: number, count: number): unknown[] {
    const code = this.u8();
    return Array.from({ length: count }, () => this.primitive(code));
  }

  private u8(): number {
    return this.take(1)[0]!;
  }

  private u32(): number {
    return this.take(4).readUInt32BE(0);
  }

  private take(length: number): Buffer {
    if (this.at + length > this.bytes.length) throw new Error('The Service Bus binding data ends inside an AMQP value.');
    const slice = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return slice;
  }
}
