import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 defaults every authenticator app supports: SHA-1, 6 digits, 30 s steps. */
const PERIOD = 30;
const ISSUER = 'FoodXchange';
const BACKUP_CODE_COUNT = 10;
/** Unambiguous characters (no 0/O, 1/I/L). */
const BACKUP_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, account: string): TOTP {
  return new TOTP({ issuer: ISSUER, label: account, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

export async function enrolment(secret: string, account: string): Promise<{ otpauthUri: string; qrCodePng: string }> {
  const otpauthUri = totp(secret, account).toString();
  const { default: QRCode } = await import('qrcode'); // loads with the first enrolment, not with the app
  return { otpauthUri, qrCodePng: await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 256 }) };
}

/**
 * The time step a code belongs to (the current one or one either side, for clock drift), or
 * null when it matches none. The caller refuses steps not after the last one it accepted.
 */
export function totpStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret, 'x').validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** Ten codes like `K7PX-M2QD-9R`; shown once, stored as keyed hashes. */
export function newBackupCodes(): string[] {
  return Array.from({ length: BACKUP_CODE_COUNT }, () => {
    const raw = Array.from({ length: 10 }, () => BACKUP_ALPHABET[randomInt(BACKUP_ALPHABET.length)]).join('');
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  });
}

/** Case and dashes do not matter when a person types a backup code. */
export function normalizeBackupCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
