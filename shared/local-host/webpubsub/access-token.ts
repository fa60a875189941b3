import jwt from 'jsonwebtoken';

/** Claims of a verified access-key token; `role` and `webpubsub.group` appear on client tokens only. */
export interface AccessClaims {
  sub?: string;
  role?: string[];
  'webpubsub.group'?: string[];
  [claim: string]: unknown;
}

export class UnauthorizedError extends Error {}

/**
 * Verifies a token signed with the access key, as the service does: HS256 only, `exp` required
 * and not past, and `aud` equal to the URL the request was made to. The service's documentation
 * has said both "the request URL" and "without query and trailing slash" (the SDK sends the
 * full URL with `?api-version=`), so both sides are compared without those.
 */
export function verifyAccessToken(token: string | undefined, accessKey: string, requestUrl: string): AccessClaims {
  if (!token) throw new UnauthorizedError('An access token is required.');
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, accessKey, { algorithms: ['HS256'], clockTolerance: 5 }) as jwt.JwtPayload;
  } catch (error) {
    throw new UnauthorizedError(`The access token is invalid: ${(error as Error).message}.`);
  }
  if (typeof claims.exp !== 'number') throw new UnauthorizedError('The access token has no expiry (exp).');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const expected = comparableUrl(requestUrl);
  if (!audiences.some((aud) => typeof aud === 'string' && comparableUrl(aud) === expected)) {
    throw new UnauthorizedError(`The access token's audience does not match ${expected}.`);
  }
  return {
    ...claims,
    role: stringList(claims.role),
    'webpubsub.group': stringList(claims['webpubsub.group']),
  };
}

/** Scheme-neutral (a client token's audience is http(s), the socket is ws(s)), no query, no trailing slash, case-insensitive host. */
function comparableUrl(value: string): string {
  try {
    const url = new URL(value.replace(/^ws/i, 'http'));
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return value;
  }
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}
