import { describe, expect, it } from 'vitest';
import { decodeSdkBindingContent } from '../../../../../shared/adapters/servicebus/amqp-decoding';

// Bytes written by hand from the AMQP 1.0 specification, in the compact forms other encoders use
// (list8, map8, smalluint, str8, sym8, vbin8), unlike the local host's encoder (list32, map32).

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const str8 = (text: string) => Buffer.concat([Buffer.from([0xa1, Buffer.byteLength(text)]), Buffer.from(text)]);
const sym8 = (text: string) => Buffer.concat([Buffer.from([0xa3, text.length]), Buffer.from(text)]);
const section = (code: number, value: Buffer) => Buffer.concat([Buffer.from([0x00, 0x53, code]), value]);
const compound8 = (code: number, items: Buffer[]) => {
  const body = Buffer.concat(items);
  return Buffer.concat([Buffer.from([code, body.length + 1, items.length]), body]);
};

describe('reading an SDK-binding Service Bus message', () => {
  it('takes the lock token in .NET Guid byte order, the delivery count, properties, annotations, application properties and the body', () => {
    const lockToken = hex('33221100 5544 7766 8899 aabbccddeeff');
    const header = section(0x70, compound8(0xc0, [Buffer.from([0x41]), Buffer.from([0x40]), Buffer.from([0x40]), Buffer.from([0x40]), Buffer.from([0x52, 0x02])]));
    const annotations = section(0x72, compound8(0xc1, [sym8('x-opt-sequence-number'), hex('55 07'), sym8('x-opt-enqueued-time'), hex('83 0000019b 0a8e6c00')]));
    const properties = section(0x73, compound8(0xc0, [str8('evt-0b9c4e1a'), Buffer.from([0x40]), Buffer.from([0x40]), str8('rfq'), Buffer.from([0x40]), str8('corr-1'), sym8('application/json')]));
    const application = section(0x74, compound8(0xc1, [str8('Priority'), str8('high'), str8('Attempt'), hex('71 00000003')]));
    const body = section(0x75, Buffer.concat([Buffer.from([0xa0, 2]), Buffer.from('{}')]));
    const message = decodeSdkBindingContent(Buffer.concat([lockToken, header, annotations, properties, application, body]));
    expect(message).toEqual({
      lockToken: '00112233-4455-6677-8899-aabbccddeeff',
      deliveryCount: 3,
      messageId: 'evt-0b9c4e1a',
      subject: 'rfq',
      correlationId: 'corr-1',
      contentType: 'application/json',
      sessionId: undefined,
      enqueuedTimeUtc: new Date(0x0000019b0a8e6c00),
      lockedUntilUtc: undefined,
      sequenceNumber: 7,
      applicationProperties: { Priority: 'high', Attempt: 3 },
      body: Buffer.from('{}'),
    });
  });

  it('reads a body sent as an AMQP string value as its text, and refuses bytes that end inside a value', () => {
    const lockToken = Buffer.alloc(16);
    expect(decodeSdkBindingContent(Buffer.concat([lockToken, section(0x77, str8('{"a":1}'))])).body.toString()).toBe('{"a":1}');
    expect(() => decodeSdkBindingContent(Buffer.concat([lockToken, section(0x75, hex('a0 05 00'))]))).toThrow(/ends inside an AMQP value/);
  });
});
