import { randomUUID } from 'node:crypto';
import { type CryptoKey, decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
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
/** Clock skew between instances that an expiry check forgives. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** A token whose signature and claims were checked once: what it says, until when it is accepted, and with which keys. */
interface Verified {
  claims: AccessClaims;
  /** Epoch ms: the expiry plus the clock tolerance, the moment jose would start refusing it. */
  acceptUntil: number;
  ring: KeyRing;
}

/**
 * Signs and verifies access tokens. Verification pins everything an attacker could choose: the
 * algorithm (ES256 only, so `none` and HMAC-with-the-public-key fail), the key (by `kid`, from
 * our ring only, never from the token), issuer, audience, expiry and the claims we rely on.
 */
export class AccessTokens {
  private ring?: Promise<KeyRing>;
  private loadedAt = 0;
  /**
   * Token → its verification. The first verified leave first: every token lives as long, so
   * that is also the one nearest its expiry.
   */
  private readonly verified = new Map<string, Verified>();

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

  /**
   * The claims of a valid token; throws InvalidTokenError otherwise. Session liveness is checked by the caller.
   * A remembered verification answers exactly as a new one would: expiry is checked on every call, and it holds
   * only with the key ring it was made with (a reloaded ring, which may have dropped the key, verifies again).
   */
  async verify(token: string): Promise<AccessClaims> {
    const ring = await this.keyRing();
    const known = this.verified.get(token);
    if (known?.ring === ring) {
      if (Date.now() < known.acceptUntil) return known.claims;
      this.verified.delete(token);
      throw expired();
    }
    const verified = await this.verifySignature(token);
    this.verified.delete(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, verified);
    return verified.claims;
  }

  private async verifySignature(token: string): Promise<Verified> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new InvalidTokenError('The access token is malformed.');
    }
    if (!kid) throw new InvalidTokenError('The access token names no key.');
    const { ring, key } = await this.keyFor(kid);
    if (!key) throw new InvalidTokenError('The access token was signed by an unknown key.');
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [SIGNING_ALG],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'iat', 'sid'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      if (typeof payload.sid !== 'string' || !payload.sub) throw new InvalidTokenError('The access token lacks its session.');
      return {
        claims: { userId: payload.sub, sessionId: payload.sid, roles: Array.isArray(payload.roles) ? (payload.roles as Role[]) : [] },
        acceptUntil: (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000,
        ring,
      };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof errors.JWTExpired) throw expired();
      if (error instanceof errors.JOSEError) throw new InvalidTokenError('The access token is not valid.');
      throw error;
    }
  }

  private async keyFor(kid: string): Promise<{ ring: KeyRing; key: CryptoKey | undefined }> {
    const ring = await this.keyRing();
    const key = ring.verificationKey(kid);
    if (key || Date.now() - this.loadedAt < RELOAD_INTERVAL_MS) return { ring, key };
    this.ring = undefined;
    const reloaded = await this.keyRing();
    return { ring: reloaded, key: reloaded.verificationKey(kid) };
  }
}

const expired = () => new InvalidTokenError('The access token has expired.');
