import { payloadToRawFrame, payloadToWire, type Payload } from './payload';

export type Origin = { from: 'server' } | { from: 'group'; group: string; fromUserId: string | null };

/** One message on its way to many connections: each wire form is built once, not once per connection. */
export class Outbound {
  private raw: string | Buffer | undefined;
  private json: string | undefined;

  constructor(
    readonly payload: Payload,
    readonly origin: Origin,
  ) {}

  /** For clients without a subprotocol: the bare body. */
  rawFrame(): string | Buffer {
    return (this.raw ??= payloadToRawFrame(this.payload));
  }

  jsonFrame(): string {
    return (this.json ??= JSON.stringify({ type: 'message', ...this.origin, ...payloadToWire(this.payload) }));
  }

  /** The reliable protocol's frame: the same JSON with the connection's sequence id in front. */
  sequencedFrame(sequenceId: number): string {
    return `{"sequenceId":${sequenceId},${this.jsonFrame().slice(1)}`;
  }
}
