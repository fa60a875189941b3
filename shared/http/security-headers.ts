/** JSON APIs load nothing and are never framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** An HTML page that runs its own scripts and styles, served by this app, and nothing else. */
export const SELF_HOSTED_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // Swagger UI draws its icons from data: URIs in its stylesheet.
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response carries. `Cache-Control` is only a default the handler may replace. */
export function securityHeaders(options: { https: boolean; csp: string }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': options.csp,
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

export const DEFAULT_CACHE_CONTROL = 'no-store';
