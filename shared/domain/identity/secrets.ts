import { createCipheriv, createDecipheriv, createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random, URL-safe token with `bytes` of entropy (256 bits by default). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Hash of a high-entropy secret (refresh and email tokens): SHA-256 is enough because the secret
 * cannot be guessed; passwords, which can, use Argon2id instead.
 */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'base64url');
}

/** Keyed hash for low-entropy secrets that must be checked fast (backup codes): useless without the key. */
export function keyedHash(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** AES-256-GCM with a random nonce: `v1.<keyId>.<nonce>.<ciphertext+tag>`, so keys can rotate. */
export function encryptSecret(key: { id: string; key: Buffer }, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return ['v1', key.id, nonce.toString('base64url'), body.toString('base64url')].join('.');
}

export function decryptSecret(keys: ReadonlyMap<string, Buffer>, sealed: string): string {
  const [version, keyId, nonce, body] = sealed.split('.');
  const key = keyId ? keys.get(keyId) : undefined;
  if (version !== 'v1' || !key || !nonce || !body) throw new Error('Sealed secret is malformed or its key is gone');
  const bytes = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
}

/** For logs: `j***@e***.com`. Emails never appear in logs in full (tokens not at all). */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${dot > 0 ? domain.slice(dot) : ''}`;
}

/** For logs and admin views: `+*********78`, only the last two digits of a phone number. */
export function maskPhone(number: string): string {
  return `+${'*'.repeat(Math.max(0, number.replace(/\D/g, '').length - 2))}${number.slice(-2)}`;
}
