/** A message body as the service carries it: the REST content type decides the client `dataType`. */
export type Payload = { dataType: 'text'; data: string } | { dataType: 'json'; data: unknown } | { dataType: 'binary'; data: Buffer };

export class PayloadError extends Error {}

/** REST bodies: `text/plain`, `application/json` (must parse), anything else is binary, as in the service. */
export function payloadFromHttp(contentType: string | undefined, body: Buffer): Payload {
  const type = (contentType ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/plain') return { dataType: 'text', data: body.toString('utf8') };
  if (type === 'application/json') {
    try {
      return { dataType: 'json', data: JSON.parse(body.toString('utf8')) };
    } catch {
      throw new PayloadError('The body is not valid JSON.');
    }
  }
  return { dataType: 'binary', data: body };
}

/** The client protocol's `data` field: JSON as is, binary as base64. */
export function payloadFromClient(dataType: unknown, data: unknown): Payload {
  switch (dataType) {
    case 'text':
      if (typeof data !== 'string') throw new PayloadError('text data must be a string.');
      return { dataType, data };
    case 'json':
      return { dataType, data };
    case 'binary':
    case 'protobuf':
      if (typeof data !== 'string') throw new PayloadError('binary data must be base64.');
      return { dataType: 'binary', data: Buffer.from(data, 'base64') };
    default:
      throw new PayloadError(`Unknown dataType '${String(dataType)}'.`);
  }
}

export function payloadToWire(payload: Payload): { dataType: string; data: unknown } {
  return payload.dataType === 'binary' ? { dataType: 'binary', data: payload.data.toString('base64') } : payload;
}

/** What a client without a subprotocol receives: the bare body, binary as a binary frame. */
export function payloadToRawFrame(payload: Payload): string | Buffer {
  if (payload.dataType === 'binary') return payload.data;
  return payload.dataType === 'text' ? payload.data : JSON.stringify(payload.data);
}

export function payloadToHttp(payload: Payload): { contentType: string; body: Buffer } {
  switch (payload.dataType) {
    case 'text':
      return { contentType: 'text/plain; charset=utf-8', body: Buffer.from(payload.data) };
    case 'json':
      return { contentType: 'application/json', body: Buffer.from(JSON.stringify(payload.data)) };
    default:
      return { contentType: 'application/octet-stream', body: payload.data };
  }
}
