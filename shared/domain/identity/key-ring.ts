import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';

/** The signing algorithm, pinned: tokens are signed with it and verification accepts nothing else. */
export const SIGNING_ALG = 'ES256';

const keyMaterialSchema = z.object({
  signingKeys: z
    .array(
      z.object({
        kid: z.string().min(1),
        privateJwk: z.record(z.string(), z.unknown()),
        createdAt: z.iso.datetime(),
        /** Set when a newer key took over; the key still verifies tokens it signed until they expire. */
        retiredAt: z.iso.datetime().optional(),
      }),
    )
    .min(1),
  /** AES-256 keys for secrets at rest (TOTP secrets); the last one encrypts, all decrypt. */
  dataKeys: z.array(z.object({ id: z.string().min(1), key: z.string().min(43) })).min(1),
});

/** What the key store (a local file, or a Key Vault secret) holds. */
export type KeyMaterial = z.infer<typeof keyMaterialSchema>;

export function parseKeyMaterial(text: string): KeyMaterial {
  return keyMaterialSchema.parse(JSON.parse(text));
}

export async function generateKeyMaterial(): Promise<KeyMaterial> {
  return { signingKeys: [await newSigningKey()], dataKeys: [{ id: randomUUID().slice(0, 8), key: randomBytes(32).toString('base64') }] };
}

/** Adds a new current signing key; the previous one is retired but stays for verification. */
export async function rotateSigningKey(material: KeyMaterial, now = new Date()): Promise<KeyMaterial> {
  const signingKeys = material.signingKeys.map((key) => (key.retiredAt ? key : { ...key, retiredAt: now.toISOString() }));
  return { ...material, signingKeys: [...signingKeys, await newSigningKey(now)] };
}

/**
 * Drops retired keys no token they signed can still be valid for (retired longer than the
 * access-token lifetime plus a minute of clock skew).
 */
export function pruneRetiredKeys(material: KeyMaterial, accessTokenTtlSeconds: number, now = new Date()): KeyMaterial {
  const cutoff = now.getTime() - (accessTokenTtlSeconds + 60) * 1000;
  return { ...material, signingKeys: material.signingKeys.filter((key) => !key.retiredAt || Date.parse(key.retiredAt) > cutoff) };
}

async function newSigningKey(now = new Date()): Promise<KeyMaterial['signingKeys'][number]> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  return { kid: randomUUID(), privateJwk: { ...(await exportJWK(privateKey)) }, createdAt: now.toISOString() };
}

/** The keys in use, imported once. */
export class KeyRing {
  private constructor(
    readonly signing: { kid: string; key: CryptoKey },
    private readonly verification: Map<string, { key: CryptoKey; publicJwk: JWK }>,
    readonly dataKey: { id: string; key: Buffer },
    readonly dataKeys: ReadonlyMap<string, Buffer>,
  ) {}

  static async from(material: KeyMaterial, accessTokenTtlSeconds: number): Promise<KeyRing> {
    const live = pruneRetiredKeys(material, accessTokenTtlSeconds);
    const current = live.signingKeys.findLast((key) => !key.retiredAt) ?? live.signingKeys.at(-1)!;
    const verification = new Map<string, { key: CryptoKey; publicJwk: JWK }>();
    for (const entry of live.signingKeys) {
      const { d: _private, ...publicJwk } = entry.privateJwk as JWK;
      verification.set(entry.kid, { key: (await importJWK(publicJwk, SIGNING_ALG)) as CryptoKey, publicJwk: { ...publicJwk, kid: entry.kid, alg: SIGNING_ALG, use: 'sig' } });
    }
    const signingKey = (await importJWK(current.privateJwk as JWK, SIGNING_ALG)) as CryptoKey;
    const dataKeys = new Map(material.dataKeys.map((entry) => [entry.id, Buffer.from(entry.key, 'base64')]));
    const latest = material.dataKeys.at(-1)!;
    return new KeyRing({ kid: current.kid, key: signingKey }, verification, { id: latest.id, key: dataKeys.get(latest.id)! }, dataKeys);
  }

  verificationKey(kid: string): CryptoKey | undefined {
    return this.verification.get(kid)?.key;
  }

  /** The public keys, as the JWKS endpoint publishes them. */
  jwks(): { keys: JWK[] } {
    return { keys: [...this.verification.values()].map((entry) => entry.publicJwk) };
  }
}

/** Where key material is kept: a file under the data dir locally, a Key Vault secret in Azure. */
export interface KeyMaterialStore {
  /** The material, generated and saved on first use. */
  load(): Promise<KeyMaterial>;
  save(material: KeyMaterial): Promise<void>;
}
