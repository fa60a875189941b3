import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

interface CookieInit {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: Date | number;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
  maxAge?: number;
}

/** What an HTTP handler may return: a plain `HttpResponseInit` or an `HttpResponse`. */
interface ResponseLike {
  status?: number;
  headers?: unknown;
  cookies?: CookieInit[];
  jsonBody?: unknown;
  body?: unknown;
  arrayBuffer?: () => Promise<ArrayBuffer>;
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * Writes a handler's result (synchronously for plain results; a promise only when a body streams) to the Node response the way the Functions host would after
 * `toRpcHttp`, without building an `HttpResponse` and buffering it through `arrayBuffer()`
 * for the common plain-object shapes (that round trip costs most of the throughput).
 * `HttpResponse` instances and unusual bodies go through the genuine WHATWG objects.
 */
export function writeHandlerResult(res: ServerResponse, result: unknown, responseClass: unknown): Promise<void> | undefined {
  if (result === undefined || result === null) {
    res.writeHead(204).end();
    return;
  }
  if (typeof result !== 'object') {
    throw new TypeError('The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".');
  }
  const response = result as ResponseLike;
  if (typeof responseClass === 'function' && response instanceof (responseClass as new () => object)) {
    return writeFetchResponse(res, response as unknown as Response & { cookies?: CookieInit[] });
  }
  const status = response.status ?? 200;
  const headers = toHeaderRecord(response.headers);
  const cookies = response.cookies?.map(serializeCookie);
  if (cookies?.length) headers['set-cookie'] = cookies;
  if (NULL_BODY_STATUSES.has(status)) {
    res.writeHead(status, headers).end();
    return;
  }
  if (response.jsonBody !== undefined && response.jsonBody !== null) {
    headers['content-type'] ??= 'application/json';
    res.writeHead(status, headers).end(JSON.stringify(response.jsonBody));
    return;
  }
  const body = response.body;
  if (body === undefined || body === null) {
    res.writeHead(status, headers).end();
  } else if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
    res.writeHead(status, headers).end(body);
  } else if (body instanceof Uint8Array) {
    res.writeHead(status, headers).end(body);
  } else {
    // Blob, FormData, URLSearchParams, streams, iterables: let the genuine Response encode them.
    const native = new Response(body as BodyInit, { status, headers: flattenForFetch(headers) });
    return writeFetchResponse(res, Object.assign(native, { cookies: response.cookies }));
  }
}

async function writeFetchResponse(res: ServerResponse, response: Response & { cookies?: CookieInit[] }): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const setCookies = response.headers.getSetCookie();
  const cookies = [...setCookies, ...(response.cookies ?? []).map(serializeCookie)];
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body || NULL_BODY_STATUSES.has(response.status)) {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream)
      .on('error', reject)
      .pipe(res)
      .on('finish', resolve)
      .on('error', reject);
  });
}

/** Normalises `HttpHeadersInit` (a Headers, a record or pairs) to lower-cased names. */
function toHeaderRecord(init: unknown): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  if (!init) return headers;
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const existing = headers[key];
    if (existing === undefined) headers[key] = value;
    else if (key === 'set-cookie') headers[key] = [...(Array.isArray(existing) ? existing : [existing]), value];
    else headers[key] = `${existing}, ${value}`;
  };
  if (init instanceof Headers) init.forEach((value, name) => add(name, value));
  else if (Array.isArray(init)) for (const [name, value] of init as [string, string][]) add(name, String(value));
  else for (const [name, value] of Object.entries(init as Record<string, unknown>)) add(name, String(value));
  return headers;
}

function flattenForFetch(headers: Record<string, string | string[]>): [string, string][] {
  return Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value.map((item): [string, string] => [name, item]) : [[name, value]]));
}

/** Set-Cookie syntax as the host's `toRpcHttpCookie` → ASP.NET cookie writer produces it. */
export function serializeCookie(cookie: CookieInit): string {
  let text = `${cookie.name}=${encodeURIComponent(cookie.value)}`;
  if (cookie.maxAge !== undefined) text += `; max-age=${Math.trunc(cookie.maxAge)}`;
  if (cookie.expires !== undefined) text += `; expires=${new Date(cookie.expires).toUTCString()}`;
  if (cookie.domain) text += `; domain=${cookie.domain}`;
  if (cookie.path) text += `; path=${cookie.path}`;
  if (cookie.secure) text += '; secure';
  if (cookie.sameSite) text += `; samesite=${cookie.sameSite.toLowerCase()}`;
  if (cookie.httpOnly) text += '; httponly';
  return text;
}
