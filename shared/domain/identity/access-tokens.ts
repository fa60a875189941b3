import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { KeyRing, SIGNING_ALG, type KeyMaterialStore } from './key-ring';
import type { Role } from './principal';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessClaims {
  userId: string;
  sessionId: string;
  roles: Role[];
}

/** A token that fails verification; the message is safe to show (it names no key or secret). */
export class InvalidTokenError extends Error {}

/** A new key (rotation) reaches other instances through the store; reload at most this often. */
const RELOAD_INTERVAL_MS = 60_000;
/** Verified tokens remembered, so a client's repeated calls skip the ES256 check (the session is still read each time). */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Signs and verifies access tokens. Verification pins everything an attacker could choose: the
 * algorithm (ES256 only, so `none` and HMAC-with-the-public-key fail), the key (by `kid`, from
 * our ring only, never from the token), issuer, audience, expiry and the claims we rely on.
 */
export class AccessTokens {
  private ring?: Promise<KeyRing>;
  private loadedAt = 0;
  /** Token → its claims and expiry (ms); oldest entries leave first. */
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAt: number }>();

  constructor(
    private readonly keys: KeyMaterialStore,
    private readonly settings: AccessTokenSettings,
  ) {}

  keyRing(): Promise<KeyRing> {
    if (!this.ring) {
      this.loadedAt = Date.now();
      this.ring = this.keys.load().then((material) => KeyRing.from(material, this.settings.ttlSeconds));
      this.ring.catch(() => (this.ring = undefined));
    }
    return this.ring;
  }

  /** The public keys that verify our tokens, as a JWKS. */
  async jwks(): Promise<ReturnType<KeyRing['jwks']>> {
    return (await this.keyRing()).jwks();
  }

  async issue(claims: AccessClaims): Promise<{ token: string; expiresIn: number }> {
    const ring = await this.keyRing();
    const token = await new SignJWT({ sid: claims.sessionId, roles: claims.roles })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: ring.signing.kid, typ: 'at+jwt' })
      .setSubject(claims.userId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${this.settings.ttlSeconds}s`)
      .sign(ring.signing.key);
    return { token, expiresIn: this.settings.ttlSeconds };
  }

  /** The claims of a valid token; throws InvalidTokenError otherwise. Session liveness is checked by the caller. */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.claims;
    const { claims, expiresAt } = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { claims, expiresAt });
    return claims;
  }

  private async verifySignature(token: string): Promise<{ claims: AccessClaims; expiresAt: number }> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new InvalidTokenError('The access token is malformed.');
    }
    if (!kid) throw new InvalidTokenError('The access token names no key.');
    const key = await this.keyFor(kid);
    if (!key) throw new InvalidTokenError('The access token was signed by an unknown key.');
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [SIGNING_ALG],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'iat', 'sid'],
        clockTolerance: 5,
      });
      if (typeof payload.sid !== 'string' || !payload.sub) throw new InvalidTokenError('The access token lacks its session.');
      return {
        claims: { userId: payload.sub, sessionId: payload.sid, roles: Array.isArray(payload.roles) ? (payload.roles as Role[]) : [] },
        expiresAt: payload.exp! * 1000,
      };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError('The access token has expired.');
      if (error instanceof errors.JOSEError) throw new InvalidTokenError('The access token is not valid.');
      throw error;
    }
  }

  private async keyFor(kid: string) {
    const known = (await this.keyRing()).verificationKey(kid);
    if (known || Date.now() - this.loadedAt < RELOAD_INTERVAL_MS) return known;
    this.ring = undefined;
    return (await this.keyRing()).verificationKey(kid);
  }
}
