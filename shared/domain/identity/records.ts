import type { Document } from '../../data/document-store';
import type { Role } from './principal';

export interface UserRecord extends Document {
  email: string;
  /** Lower-cased, for lookups and the admin filter. */
  emailLower: string;
  emailVerified: boolean;
  displayName: string;
  company?: string;
  bio?: string;
  roles: Role[];
  status: 'active' | 'suspended';
  /** Argon2id PHC string; never leaves the server. */
  passwordHash: string;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
  login: { failures: number; lastFailureAt?: string; lockedUntil?: string };
  twoFactor?: {
    enabled: boolean;
    /** AES-256-GCM sealed base32 secret. */
    secret: string;
    /** The last TOTP time step accepted: a code of that step or earlier is refused (no replay). */
    lastStep: number;
    /** Keyed hashes of the unused backup codes. */
    backupCodes: string[];
  };
}

/** One sign-in: a refresh-token family. Rotation replaces the current hash and remembers the used ones. */
export interface SessionRecord extends Document {
  userId: string;
  roles: Role[];
  currentHash: string;
  usedHashes: string[];
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  revokedAt?: string;
  revokedReason?: string;
  ip: string;
  userAgent: string;
  ttl: number;
}

export type TokenPurpose = 'verify-email' | 'password-reset' | 'login-2fa';

/** A single-use token, stored under the hash of its value. */
export interface OneTimeTokenRecord extends Document {
  purpose: TokenPurpose;
  userId: string;
  expiresAt: string;
  /** Wrong codes tried against a 2FA challenge. */
  attempts?: number;
  ttl: number;
}

/** The email index: its id is the hash of the normalized address. */
export interface UserEmailRecord extends Document {
  userId: string;
}

/** What the API shows of an account: no hash, secret or counter. */
export function publicUser(user: UserRecord) {
  return {
    id: user.id,
    email: user.email,
    emailVerified: user.emailVerified,
    displayName: user.displayName,
    ...(user.company === undefined ? {} : { company: user.company }),
    ...(user.bio === undefined ? {} : { bio: user.bio }),
    roles: user.roles,
    status: user.status,
    twoFactorEnabled: Boolean(user.twoFactor?.enabled),
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export type PublicUser = ReturnType<typeof publicUser>;
