import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {}

/** Whether the request announces a body at all (HTTP/1.1: a length or a transfer coding). */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

/** Buffers a request body up to `limit` bytes; resolves undefined when the request has none. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const length = req.headers['content-length'];
  if (!hasBody(req)) return Promise.resolve(undefined);
  if (length !== undefined && Number(length) > limit) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  if (!body || body.length === 0) return undefined;
  return JSON.parse(body.toString('utf8'));
}
