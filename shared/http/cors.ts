import type { HttpRequest } from '@azure/functions';
import { AppError } from '../errors';

/** Response headers a browser script may read beyond the CORS-safelisted ones. */
const EXPOSED_HEADERS = 'ETag, Location, Retry-After, RateLimit, RateLimit-Policy, WWW-Authenticate, X-Request-Id, traceparent';
const HEADER_TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const PREFLIGHT_MAX_AGE_SECONDS = '600';

function isOriginAllowed(origin: string, allowed: readonly string[]): boolean {
  const candidate = origin.toLowerCase();
  return allowed.some((entry) => entry === '*' || entry.toLowerCase() === candidate);
}

/**
 * CORS headers for any response. `Vary: Origin` is always sent because the answer depends on
 * the Origin even when it grants nothing, and a shared cache must not reuse it across origins.
 */
export function corsHeaders(request: HttpRequest, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || !isOriginAllowed(origin, allowedOrigins)) return { vary: 'Origin' };
  return {
    vary: 'Origin',
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
  };
}

/**
 * The answer to OPTIONS on a route that serves `methods`: a CORS preflight from an allowed
 * origin gets the grant, one from any other origin a 403, and a plain OPTIONS an `Allow`.
 */
export function optionsHeaders(request: HttpRequest, methods: readonly string[], allowedOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.get('origin');
  const requestedMethod = request.headers.get('access-control-request-method');
  if (!origin || !requestedMethod) return { allow: methods.join(', ') };
  if (!isOriginAllowed(origin, allowedOrigins)) {
    throw new AppError('forbidden', `Cross-origin requests from ${origin} are not allowed.`);
  }
  // Requested headers are granted as asked (the origin is already trusted), keeping only
  // well-formed names so nothing odd is reflected.
  const requestedHeaders = (request.headers.get('access-control-request-headers') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => HEADER_TOKEN.test(name));
  return {
    'access-control-allow-methods': methods.join(', '),
    ...(requestedHeaders.length ? { 'access-control-allow-headers': requestedHeaders.join(', ') } : {}),
    'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
    vary: 'Access-Control-Request-Method, Access-Control-Request-Headers',
  };
}
