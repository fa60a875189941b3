import { AppError } from '../../errors';
import { type AccessClaims, type AccessTokens, InvalidTokenError } from './access-tokens';
import type { Principal } from './principal';
import type { Sessions } from './sessions';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

const rejected = (description: string) => new AppError('unauthenticated', description, { headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` } });

/** Turns a request's `Authorization` header into a principal; null when it carries none. */
export interface Authenticator {
  authenticate(authorization: string | null): Promise<Principal | null>;
}

/**
 * Bearer access tokens: a valid signature and claims, and a session that is still live (so
 * logout, revocation and suspension end access at once, not when the token expires). Roles
 * come from the session, which role changes update.
 */
export class TokenAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly sessions: Sessions,
  ) {}

  async authenticate(header: string | null): Promise<Principal | null> {
    if (header === null) return null;
    const match = BEARER.exec(header.trim());
    if (!match) throw rejected('The Authorization header must be "Bearer <access token>".');
    let claims: AccessClaims;
    try {
      claims = await this.tokens.verify(match[1]!);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw rejected(error.message);
      throw error;
    }
    const session = await this.sessions.live(claims.sessionId);
    if (!session || session.userId !== claims.userId) throw rejected('The session of this access token has ended; sign in again.');
    return { userId: claims.userId, sessionId: session.id, roles: session.roles };
  }
}
