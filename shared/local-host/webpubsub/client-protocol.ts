import type { RawData } from 'ws';
import type { ClientConnection } from './connection';
import type { EventHandlerClient } from './event-handler';
import type { Hub } from './hub';
import { Outbound } from './outbound';
import { payloadFromClient, payloadFromHttp, payloadToHttp, PayloadError, type Payload } from './payload';

type Inbound = Record<string, unknown> & { type?: unknown; ackId?: unknown; group?: unknown };

/** What a connection may do: the token's (or connect handler's, or REST-granted) roles, optionally narrowed to one group. */
export function allowed(connection: ClientConnection, permission: 'joinLeaveGroup' | 'sendToGroup', group: string): boolean {
  return connection.roles.has(`webpubsub.${permission}`) || connection.roles.has(`webpubsub.${permission}.${group}`);
}

/** Handles one frame from a client on the `json[.reliable].webpubsub.azure.v1` subprotocols, or a raw frame without one. */
export async function handleClientFrame(hub: Hub, connection: ClientConnection, events: EventHandlerClient, data: RawData, isBinary: boolean): Promise<void> {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  if (!connection.subprotocol) {
    // Without a subprotocol every frame is the user event `message`, as in the service.
    await userEvent(connection, events, 'message', isBinary ? { dataType: 'binary', data: bytes } : { dataType: 'text', data: bytes.toString('utf8') }, undefined);
    return;
  }
  let message: Inbound;
  try {
    message = JSON.parse(bytes.toString('utf8')) as Inbound;
  } catch {
    return connection.close('The frame is not valid JSON for the json.webpubsub.azure.v1 protocol.');
  }
  const { type, ackId } = message;
  if (type === 'sequenceAck') {
    if (typeof message.sequenceId === 'number') connection.acknowledge(message.sequenceId);
    return;
  }
  if (type === 'ping') return connection.sendPong();
  if (connection.processed(ackId)) return connection.ack(ackId, { name: 'Duplicate', message: `Message with ackId ${String(ackId)} was already processed.` });
  const group = typeof message.group === 'string' ? message.group : '';
  switch (type) {
    case 'joinGroup':
    case 'leaveGroup': {
      if (!group) return connection.ack(ackId, { name: 'BadRequest', message: 'group is required.' });
      if (!allowed(connection, 'joinLeaveGroup', group)) return connection.ack(ackId, forbidden(`join or leave group '${group}'`));
      if (type === 'joinGroup') hub.join(connection, group);
      else hub.leave(connection, group);
      return connection.ack(ackId);
    }
    case 'sendToGroup': {
      if (!group) return connection.ack(ackId, { name: 'BadRequest', message: 'group is required.' });
      if (!allowed(connection, 'sendToGroup', group)) return connection.ack(ackId, forbidden(`send to group '${group}'`));
      const payload = readPayload(connection, message, ackId);
      if (!payload) return;
      const members = hub.connectionsInGroup(group).filter((member) => !(message.noEcho === true && member === connection));
      hub.send(members, payload, { from: 'group', group, fromUserId: connection.userId });
      return connection.ack(ackId);
    }
    case 'event': {
      const payload = readPayload(connection, message, ackId);
      if (payload && typeof message.event === 'string') await userEvent(connection, events, message.event, payload, ackId);
      return;
    }
    default:
      return connection.ack(ackId, { name: 'BadRequest', message: `Unsupported message type '${String(type)}'.` });
  }
}

function readPayload(connection: ClientConnection, message: Inbound, ackId: unknown): Payload | undefined {
  try {
    return payloadFromClient(message.dataType, message.data);
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    connection.ack(ackId, { name: 'BadRequest', message: error.message });
    return undefined;
  }
}

/** A user event goes to the hub's handler; a body in its answer goes back to the client as a server message. */
async function userEvent(connection: ClientConnection, events: EventHandlerClient, name: string, payload: Payload, ackId: unknown): Promise<void> {
  const { contentType, body } = payloadToHttp(payload);
  let response: Response | undefined;
  try {
    response = await events.send({ hub: connection.hub, connectionId: connection.id, userId: connection.userId, subprotocol: connection.subprotocol }, { kind: 'user', name, contentType, body });
  } catch (error) {
    return connection.ack(ackId, { name: 'InternalServerError', message: (error as Error).message });
  }
  if (!response) return connection.ack(ackId);
  const reply = Buffer.from(await response.arrayBuffer());
  if (!response.ok) return connection.ack(ackId, { name: 'InternalServerError', message: `The event handler answered ${response.status}.` });
  connection.ack(ackId);
  if (reply.length) connection.deliver(new Outbound(payloadFromHttp(response.headers.get('content-type') ?? undefined, reply), { from: 'server' }));
}

function forbidden(what: string): { name: string; message: string } {
  return { name: 'Forbidden', message: `The connection has no permission to ${what}.` };
}
