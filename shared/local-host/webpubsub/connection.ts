import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Outbound } from './outbound';

export const JSON_PROTOCOL = 'json.webpubsub.azure.v1';
export const RELIABLE_JSON_PROTOCOL = 'json.reliable.webpubsub.azure.v1';
export type Subprotocol = typeof JSON_PROTOCOL | typeof RELIABLE_JSON_PROTOCOL | undefined;

/** Close codes of a client that closed on purpose (1005: a close frame without a code, as the SDK's `stop()` sends); 1006, a dropped socket, may recover. */
const FINAL_CLIENT_CLOSE = new Set([1000, 1001, 1005]);
/** How many client ackIds a connection remembers to answer retries with `Duplicate`. */
const ACK_MEMORY = 1000;

/**
 * One client connection. On the reliable protocol it numbers every message it sends, keeps
 * them until the client's `sequenceAck`, and outlives its socket so a reconnect with the
 * reconnection token can pick up where the dropped socket left off.
 */
export class ClientConnection {
  readonly groups = new Set<string>();
  readonly roles: Set<string>;
  readonly reconnectionToken: string | undefined;
  readonly connectedAt = new Date();
  /** Sockets attached after the first: reconnections that recovered this connection. */
  recoveries = 0;
  private socket: WebSocket | undefined;
  private nextSequenceId = 1;
  private readonly unacked = new Map<number, string>();
  private readonly seenAckIds = new Set<number>();
  private work: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly hub: string,
    readonly userId: string | null,
    readonly subprotocol: Subprotocol,
    roles: Iterable<string>,
  ) {
    this.roles = new Set(roles);
    this.reconnectionToken = subprotocol === RELIABLE_JSON_PROTOCOL ? randomBytes(24).toString('base64url') : undefined;
  }

  /** The name filters use (`connectionId eq '...'`). */
  get connectionId(): string {
    return this.id;
  }

  get reliable(): boolean {
    return this.subprotocol === RELIABLE_JSON_PROTOCOL;
  }

  get attached(): boolean {
    return this.socket !== undefined;
  }

  /** Whether a close with this code, not asked for by the service, leaves the connection recoverable. */
  recoverableAfter(code: number): boolean {
    return this.reliable && !FINAL_CLIENT_CLOSE.has(code);
  }

  /** Attaches a (new) socket; on recovery, replays what the client has not acknowledged, in order. */
  attach(socket: WebSocket, recovering: boolean): void {
    if (recovering) this.recoveries++;
    this.socket = socket;
    for (const frame of this.unacked.values()) socket.send(frame);
  }

  /** Lets go of the socket if it is the current one; says whether it was. */
  detach(socket: WebSocket): boolean {
    if (this.socket !== socket) return false;
    this.socket = undefined;
    return true;
  }

  /** Runs this connection's frames and events one after another, so the event handler sees them in order. */
  serially(task: () => Promise<void>, onError: (error: Error) => void): void {
    this.work = this.work.then(task).catch(onError);
  }

  sendConnected(): void {
    this.sendSystem({ type: 'system', event: 'connected', userId: this.userId, connectionId: this.id, reconnectionToken: this.reconnectionToken });
  }

  /** Tells the client why, then closes; 1008 tells the SDK not to try recovering. */
  close(reason: string, code = 1008): void {
    this.sendSystem({ type: 'system', event: 'disconnected', message: reason });
    this.socket?.close(code, reason.slice(0, 120));
    this.socket = undefined;
  }

  /** Simulates a network failure: the socket goes without a close handshake. */
  drop(): void {
    this.socket?.terminate();
  }

  deliver(message: Outbound): void {
    if (!this.subprotocol) {
      this.socket?.send(message.rawFrame());
    } else if (!this.reliable) {
      this.socket?.send(message.jsonFrame());
    } else {
      const sequenceId = this.nextSequenceId++;
      const frame = message.sequencedFrame(sequenceId);
      this.unacked.set(sequenceId, frame);
      this.socket?.send(frame);
    }
  }

  /** `sequenceAck`: the client has everything up to and including this id. */
  acknowledge(sequenceId: number): void {
    for (const id of this.unacked.keys()) {
      if (id > sequenceId) break;
      this.unacked.delete(id);
    }
  }

  /** Answers an `ackId`; a success is remembered, so that a retry with the same id is not brokered twice. */
  ack(ackId: unknown, error?: { name: string; message: string }): void {
    if (typeof ackId !== 'number') return;
    if (!error) this.rememberAck(ackId);
    this.sendSystem(error ? { type: 'ack', ackId, success: false, error } : { type: 'ack', ackId, success: true });
  }

  /** Whether a message with this ackId was already processed successfully (the service then answers `Duplicate`). */
  processed(ackId: unknown): boolean {
    return typeof ackId === 'number' && this.seenAckIds.has(ackId);
  }

  sendPong(): void {
    this.sendSystem({ type: 'pong' });
  }

  get pendingAcks(): number {
    return this.unacked.size;
  }

  private rememberAck(ackId: number): void {
    this.seenAckIds.add(ackId);
    if (this.seenAckIds.size > ACK_MEMORY) this.seenAckIds.delete(this.seenAckIds.values().next().value!);
  }

  private sendSystem(message: Record<string, unknown>): void {
    if (this.subprotocol) this.socket?.send(JSON.stringify(message));
  }
}
