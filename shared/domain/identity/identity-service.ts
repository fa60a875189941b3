import { AppError } from '../../errors';
import type { Stored } from '../../data/document-store';
import type { IdentityConfig } from '../../identity-config';
import type { AppLogger } from '../../observability/app-logger';
import type { AuditEvent, AuditTrail } from '../audit/audit-trail';
import type { Outbox } from '../notifications/outbox';
import type { AccessTokens } from './access-tokens';
import type { OneTimeTokens } from './one-time-tokens';
import { burnPasswordCheck, hashPassword, passwordIssues, verifyPassword } from './passwords';
import type { Principal, Role } from './principal';
import { publicUser, type PublicUser, type UserRecord } from './records';
import { decryptSecret, encryptSecret, keyedHash, maskEmail } from './secrets';
import type { ClientInfo, Sessions } from './sessions';
import { enrolment, newBackupCodes, newTotpSecret, normalizeBackupCode, totpStep } from './two-factor';
import type { Users } from './users';

export interface IdentityDeps {
  users: Users;
  sessions: Sessions;
  oneTime: OneTimeTokens;
  accessTokens: AccessTokens;
  audit: AuditTrail;
  outbox: Outbox;
  config: IdentityConfig;
  logger: AppLogger;
}

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
  user: PublicUser;
}

/** A session as its owner sees it. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  ip: string;
  userAgent: string;
  current: boolean;
}

export type LoginResult = TokenPair | { twoFactorRequired: true; challengeToken: string; expiresAt: string };

const VERIFY_EMAIL_TTL = 24 * 60 * 60;
const RESET_TTL = 30 * 60;
const CHALLENGE_TTL = 5 * 60;
const CHALLENGE_ATTEMPTS = 5;
const WRONG_CREDENTIALS = 'The email or password is wrong.';

/** The identity use cases; HTTP functions call these and map the results. */
export class IdentityService {
  constructor(private readonly deps: IdentityDeps) {}

  async register(input: { email: string; password: string; displayName: string; company?: string; accountType: Role }, client: ClientInfo): Promise<TokenPair> {
    await requireStrongPassword(input.password, [input.email, input.displayName], 'body.password');
    const user = await this.deps.users.create({
      email: input.email,
      displayName: input.displayName,
      company: input.company,
      roles: [input.accountType],
      passwordHash: await hashPassword(input.password, this.deps.config.argon2),
      emailVerified: false,
    });
    await this.audit({ action: 'account.registered', actorId: user.id, targetId: user.id, outcome: 'success', details: { accountType: input.accountType } }, client);
    await this.sendVerification(user);
    return this.startSession(user, client);
  }

  async login(email: string, password: string, client: ClientInfo): Promise<LoginResult> {
    const { config, users } = this.deps;
    const user = await users.byEmail(email);
    if (!user) {
      await burnPasswordCheck(password, config.argon2);
      await this.audit({ action: 'login.failed', actorId: null, outcome: 'failure', details: { reason: 'unknown email' } }, client);
      throw new AppError('unauthenticated', WRONG_CREDENTIALS);
    }
    this.refuseWhileThrottled(user);
    if (!(await verifyPassword(user.passwordHash, password))) {
      await this.recordFailure(user, client);
      throw new AppError('unauthenticated', WRONG_CREDENTIALS);
    }
    if (user.status === 'suspended') {
      await this.audit({ action: 'login.refused', actorId: user.id, targetId: user.id, outcome: 'failure', details: { reason: 'suspended' } }, client);
      throw new AppError('forbidden', 'This account is suspended. Contact support.');
    }
    const fresh = user.login.failures ? await users.update(user.id, (current) => ({ ...current, login: { failures: 0 } })) : user;
    if (fresh.twoFactor?.enabled) {
      const { token, expiresAt } = await this.deps.oneTime.issue('login-2fa', user.id, CHALLENGE_TTL);
      await this.audit({ action: 'login.password_ok', actorId: user.id, targetId: user.id, outcome: 'success', details: { next: '2fa' } }, client);
      return { twoFactorRequired: true, challengeToken: token, expiresAt };
    }
    await this.audit({ action: 'login.succeeded', actorId: user.id, targetId: user.id, outcome: 'success' }, client);
    return this.startSession(fresh, client);
  }

  /** Second step of a 2FA login: the challenge from step one plus a TOTP or backup code. */
  async loginSecondFactor(challengeToken: string, code: string, client: ClientInfo): Promise<TokenPair> {
    const challenge = await this.deps.oneTime.peek('login-2fa', challengeToken, 'body.challengeToken');
    const user = await this.deps.users.byId(challenge.userId);
    if (!user?.twoFactor?.enabled || user.status !== 'active') throw new AppError('unauthenticated', 'Sign in again.');
    const updated = await this.useSecondFactor(user, code);
    if (!updated) {
      const attempts = await this.deps.oneTime.countAttempt(challenge);
      if (attempts >= CHALLENGE_ATTEMPTS) await this.deps.oneTime.discard(challenge);
      await this.audit({ action: 'login.2fa_failed', actorId: user.id, targetId: user.id, outcome: 'failure' }, client);
      throw new AppError('unauthenticated', 'The code is wrong or was already used.', { issues: [{ field: 'body.code', message: 'wrong or already used' }] });
    }
    await this.deps.oneTime.consume(challenge, 'body.challengeToken');
    await this.audit({ action: 'login.succeeded', actorId: user.id, targetId: user.id, outcome: 'success', details: { secondFactor: true } }, client);
    return this.startSession(updated, client);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPair> {
    const rotated = await this.deps.sessions.rotate(refreshToken, client);
    if (rotated.reuse) {
      await this.audit({ action: 'session.refresh_reuse', actorId: rotated.session.userId, targetId: rotated.session.id, outcome: 'failure', details: { revoked: 'session family' } }, client);
      throw new AppError('unauthenticated', 'This refresh token was already used, so the session has been ended for safety; sign in again.');
    }
    const user = await this.deps.users.byId(rotated.session.userId);
    if (user?.status !== 'active') {
      await this.deps.sessions.revoke(rotated.session.id, 'account unavailable');
      throw new AppError('unauthenticated', 'The refresh token is not valid; sign in again.');
    }
    return this.tokenPair(user, rotated.session.id, rotated.refreshToken, rotated.session.expiresAt);
  }

  async logout(principal: Principal, everywhere: boolean, client: ClientInfo): Promise<void> {
    if (everywhere) await this.deps.sessions.revokeAll(principal.userId, 'signed out everywhere');
    else await this.deps.sessions.revoke(principal.sessionId, 'signed out');
    await this.audit({ action: 'logout', actorId: principal.userId, targetId: principal.sessionId, outcome: 'success', details: { everywhere } }, client);
  }

  /** The caller's live sessions, newest first; the one this request came with is `current`. */
  async listSessions(principal: Principal): Promise<SessionView[]> {
    return (await this.deps.sessions.listLive(principal.userId)).map((session) => ({
      id: session.id,
      createdAt: session.createdAt,
      lastUsedAt: session.lastUsedAt,
      expiresAt: session.expiresAt,
      ip: session.ip,
      userAgent: session.userAgent,
      current: session.id === principal.sessionId,
    }));
  }

  /** Whose session this is while it can still be ended (not revoked); null when there is none. For the revoke endpoint's owner policy. */
  async sessionOwner(sessionId: string): Promise<string | null> {
    const session = await this.deps.sessions.read(sessionId);
    return session && !session.revokedAt ? session.userId : null;
  }

  /** Ends one of the caller's sessions (the endpoint's owner policy has checked, with sessionOwner, that it is theirs). */
  async revokeSession(principal: Principal, sessionId: string, client: ClientInfo): Promise<void> {
    await this.deps.sessions.revoke(sessionId, 'revoked by owner');
    await this.audit({ action: 'session.revoked', actorId: principal.userId, targetId: sessionId, outcome: 'success' }, client);
  }

  async me(userId: string): Promise<Stored<UserRecord>> {
    const user = await this.deps.users.byId(userId);
    if (!user) throw new AppError('unauthenticated', 'The account no longer exists.');
    return user;
  }

  async updateProfile(userId: string, changes: { displayName?: string; company?: string | null; bio?: string | null }, ifMatch: (current: string) => void): Promise<Stored<UserRecord>> {
    const user = await this.me(userId);
    ifMatch(user._etag);
    const next: UserRecord = { ...user };
    if (changes.displayName !== undefined) next.displayName = changes.displayName;
    for (const field of ['company', 'bio'] as const) {
      if (changes[field] === null) delete next[field];
      else if (changes[field] !== undefined) next[field] = changes[field];
    }
    return this.deps.users.save(next, user._etag);
  }

  async changePassword(principal: Principal, currentPassword: string, newPassword: string, client: ClientInfo): Promise<void> {
    const user = await this.me(principal.userId);
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      await this.audit({ action: 'password.change_failed', actorId: user.id, targetId: user.id, outcome: 'failure' }, client);
      throw new AppError('validation', 'The current password is wrong.', { issues: [{ field: 'body.currentPassword', message: 'is wrong' }] });
    }
    await requireStrongPassword(newPassword, [user.email, user.displayName], 'body.newPassword');
    const changed = await this.setPassword(user, newPassword);
    const ended = await this.deps.sessions.revokeAll(user.id, 'password changed', principal.sessionId);
    await this.audit({ action: 'password.changed', actorId: user.id, targetId: user.id, outcome: 'success', details: { otherSessionsEnded: ended } }, client);
    await this.notify(
      user,
      `password-changed:${user.id}:${changed._etag}`,
      'Your password was changed',
      'The password of your FoodXchange account was just changed. If this was not you, reset your password now and contact support.',
    );
  }

  /** Answers the same whether or not the address has an account. */
  async forgotPassword(email: string, client: ClientInfo): Promise<void> {
    const user = await this.deps.users.byEmail(email);
    if (user?.status !== 'active') {
      await this.audit({ action: 'password.reset_requested', actorId: null, outcome: 'failure', details: { reason: 'no active account' } }, client);
      return;
    }
    const { token, id } = await this.deps.oneTime.issue('password-reset', user.id, RESET_TTL);
    await this.notify(
      user,
      `password-reset:${id}`,
      'Reset your password',
      `Someone asked to reset the password of your FoodXchange account. If it was you, open this link within 30 minutes:\n\n${this.link('reset-password', token)}\n\nIf it was not you, ignore this email; your password stays as it is.`,
    );
    await this.audit({ action: 'password.reset_requested', actorId: null, targetId: user.id, outcome: 'success' }, client);
  }

  async resetPassword(token: string, newPassword: string, client: ClientInfo): Promise<void> {
    const record = await this.deps.oneTime.peek('password-reset', token, 'body.token');
    const user = await this.deps.users.byId(record.userId);
    if (!user) throw new AppError('validation', 'The token is not valid or was already used.', { issues: [{ field: 'body.token', message: 'is not valid or was already used' }] });
    // Checked before the token is used up, so a weak password can be corrected with the same link.
    await requireStrongPassword(newPassword, [user.email, user.displayName], 'body.newPassword');
    const passwordHash = await hashPassword(newPassword, this.deps.config.argon2);
    await this.deps.oneTime.consume(record, 'body.token');
    // The token is used up: the new password must land even if the account changed meanwhile.
    await this.deps.users.update(user.id, (current) => ({ ...current, passwordHash, passwordChangedAt: new Date().toISOString(), login: { failures: 0 } }));
    const ended = await this.deps.sessions.revokeAll(user.id, 'password reset');
    await this.audit({ action: 'password.reset', actorId: user.id, targetId: user.id, outcome: 'success', details: { sessionsEnded: ended } }, client);
  }

  async verifyEmail(token: string, client: ClientInfo): Promise<void> {
    const record = await this.deps.oneTime.peek('verify-email', token, 'body.token');
    await this.deps.oneTime.consume(record, 'body.token');
    await this.deps.users.update(record.userId, (user) => ({ ...user, emailVerified: true }));
    await this.audit({ action: 'email.verified', actorId: record.userId, targetId: record.userId, outcome: 'success' }, client);
  }

  async resendVerification(userId: string): Promise<void> {
    const user = await this.me(userId);
    if (user.emailVerified) throw new AppError('conflict', 'The email address is already verified.');
    await this.sendVerification(user);
  }

  async setupTwoFactor(principal: Principal, client: ClientInfo) {
    const user = await this.me(principal.userId);
    if (user.twoFactor?.enabled) throw new AppError('conflict', 'Two-factor authentication is already on; disable it first to enrol a new device.');
    const secret = newTotpSecret();
    const ring = await this.deps.accessTokens.keyRing();
    await this.deps.users.save({ ...user, twoFactor: { enabled: false, secret: encryptSecret(ring.dataKey, secret), lastStep: 0, backupCodes: [] } }, user._etag);
    await this.audit({ action: '2fa.setup_started', actorId: user.id, targetId: user.id, outcome: 'success' }, client);
    return { secret, ...(await enrolment(secret, user.email)) };
  }

  /** Turns 2FA on with a first code from the app; returns the backup codes, shown this once. */
  async enableTwoFactor(principal: Principal, code: string, client: ClientInfo): Promise<{ backupCodes: string[] }> {
    const user = await this.me(principal.userId);
    if (!user.twoFactor) throw new AppError('conflict', 'Start with POST /api/v1/auth/2fa/setup.');
    if (user.twoFactor.enabled) throw new AppError('conflict', 'Two-factor authentication is already on.');
    const ring = await this.deps.accessTokens.keyRing();
    const step = totpStep(decryptSecret(ring.dataKeys, user.twoFactor.secret), code);
    if (step === null) throw wrongCode();
    const backupCodes = newBackupCodes();
    const enabled = await this.deps.users.save(
      { ...user, twoFactor: { ...user.twoFactor, enabled: true, lastStep: step, backupCodes: backupCodes.map((c) => keyedHash(ring.dataKey.key, normalizeBackupCode(c))) } },
      user._etag,
    );
    await this.audit({ action: '2fa.enabled', actorId: user.id, targetId: user.id, outcome: 'success' }, client);
    await this.notify(
      user,
      `2fa-enabled:${user.id}:${enabled._etag}`,
      'Two-factor authentication is on',
      'Two-factor authentication was turned on for your FoodXchange account. Keep your backup codes somewhere safe.',
    );
    return { backupCodes };
  }

  async disableTwoFactor(principal: Principal, password: string, code: string, client: ClientInfo): Promise<void> {
    const user = await this.me(principal.userId);
    if (!user.twoFactor?.enabled) throw new AppError('conflict', 'Two-factor authentication is not on.');
    if (!(await verifyPassword(user.passwordHash, password))) {
      throw new AppError('validation', 'The password is wrong.', { issues: [{ field: 'body.password', message: 'is wrong' }] });
    }
    const updated = await this.useSecondFactor(user, code);
    if (!updated) {
      await this.audit({ action: '2fa.disable_failed', actorId: user.id, targetId: user.id, outcome: 'failure' }, client);
      throw wrongCode();
    }
    const { twoFactor: _off, ...rest } = updated;
    const disabled = await this.deps.users.save(rest, updated._etag);
    await this.audit({ action: '2fa.disabled', actorId: user.id, targetId: user.id, outcome: 'success' }, client);
    await this.notify(
      user,
      `2fa-disabled:${user.id}:${disabled._etag}`,
      'Two-factor authentication is off',
      'Two-factor authentication was turned off for your FoodXchange account. If this was not you, reset your password now.',
    );
  }

  /** The first admin, from settings or `npm run create-admin`; an existing account is promoted. */
  async ensureAdmin(email: string, password: string, onlyIfNone: boolean): Promise<'created' | 'promoted' | 'exists'> {
    if (onlyIfNone && (await this.deps.users.hasAdmin())) return 'exists';
    const existing = await this.deps.users.byEmail(email);
    if (existing) {
      if (existing.roles.includes('admin')) return 'exists';
      await this.deps.users.update(existing.id, (user) => ({ ...user, roles: [...new Set([...user.roles, 'admin' as const])] }));
      await this.deps.sessions.setRoles(existing.id, [...existing.roles, 'admin']);
      await this.audit({ action: 'admin.bootstrap', actorId: null, targetId: existing.id, outcome: 'success', details: { how: 'promoted' } }, { ip: 'system', userAgent: 'bootstrap' });
      return 'promoted';
    }
    await requireStrongPassword(password, [email], 'ADMIN_PASSWORD');
    const passwordHash = await hashPassword(password, this.deps.config.argon2);
    // Instances starting together race here; the one that loses finds the admin made.
    const user = await this.deps.users.create({ email, displayName: 'Administrator', roles: ['admin'], passwordHash, emailVerified: true }).catch((error: unknown) => {
      if (error instanceof AppError && error.kind === 'conflict') return null;
      throw error;
    });
    if (!user) return 'exists';
    await this.audit({ action: 'admin.bootstrap', actorId: null, targetId: user.id, outcome: 'success', details: { how: 'created' } }, { ip: 'system', userAgent: 'bootstrap' });
    this.deps.logger.info('Admin account created', { email: maskEmail(email) });
    return 'created';
  }

  async audit(event: AuditEvent, client: ClientInfo): Promise<void> {
    await this.deps.audit.append({ ...event, ip: client.ip, userAgent: client.userAgent.slice(0, 300) });
  }

  private async startSession(user: Stored<UserRecord>, client: ClientInfo): Promise<TokenPair> {
    const { session, refreshToken } = await this.deps.sessions.create(user.id, user.roles, client);
    return this.tokenPair(user, session.id, refreshToken, session.expiresAt);
  }

  private async tokenPair(user: UserRecord, sessionId: string, refreshToken: string, refreshExpiresAt: string): Promise<TokenPair> {
    const access = await this.deps.accessTokens.issue({ userId: user.id, sessionId, roles: user.roles });
    return { tokenType: 'Bearer', accessToken: access.token, expiresIn: access.expiresIn, refreshToken, refreshExpiresAt, user: publicUser(user) };
  }

  /**
   * Checks a TOTP code (a step after the last accepted one: no replay) or a backup code (then
   * removed); returns the saved account, or null for a wrong or reused code. The save is
   * conditional on the version read, so two concurrent uses of one code cannot both pass.
   */
  private async useSecondFactor(user: Stored<UserRecord>, code: string): Promise<Stored<UserRecord> | null> {
    const factor = user.twoFactor!;
    const ring = await this.deps.accessTokens.keyRing();
    const step = totpStep(decryptSecret(ring.dataKeys, factor.secret), code.trim());
    let next: UserRecord['twoFactor'];
    if (step !== null) {
      if (step <= factor.lastStep) return null;
      next = { ...factor, lastStep: step };
    } else {
      const hashed = keyedHash(ring.dataKey.key, normalizeBackupCode(code));
      if (!factor.backupCodes.includes(hashed)) return null;
      next = { ...factor, backupCodes: factor.backupCodes.filter((candidate) => candidate !== hashed) };
    }
    try {
      return await this.deps.users.save({ ...user, twoFactor: next }, user._etag);
    } catch (error) {
      if (error instanceof AppError && error.kind === 'precondition_failed') return null;
      throw error;
    }
  }

  /** After a few failures each new try must wait (doubling); after more the account locks. */
  private refuseWhileThrottled(user: UserRecord): void {
    const { slowdownAfter } = this.deps.config.login;
    const now = Date.now();
    const lockedUntil = user.login.lockedUntil ? Date.parse(user.login.lockedUntil) : 0;
    if (lockedUntil > now) {
      throw new AppError('rate_limited', 'Too many failed sign-ins: the account is locked for a while. The owner has been emailed.', {
        headers: { 'Retry-After': String(Math.ceil((lockedUntil - now) / 1000)) },
      });
    }
    if (user.login.failures >= slowdownAfter && user.login.lastFailureAt) {
      const waitUntil = Date.parse(user.login.lastFailureAt) + backoffMs(user.login.failures - slowdownAfter);
      if (waitUntil > now) {
        throw new AppError('rate_limited', 'Too many failed sign-ins: wait before trying again.', { headers: { 'Retry-After': String(Math.ceil((waitUntil - now) / 1000)) } });
      }
    }
  }

  private async recordFailure(user: Stored<UserRecord>, client: ClientInfo): Promise<void> {
    const { lockAfter, lockMinutes } = this.deps.config.login;
    const failures = user.login.failures + 1;
    const locks = failures >= lockAfter;
    const login: UserRecord['login'] = locks ? { failures: 0, lockedUntil: new Date(Date.now() + lockMinutes * 60_000).toISOString() } : { failures, lastFailureAt: new Date().toISOString() };
    // A concurrent failure may have written first; counting one of the two is enough.
    const saved = await this.deps.users.save({ ...user, login }, user._etag).then(
      () => true,
      (error: unknown) => {
        if (!(error instanceof AppError && error.kind === 'precondition_failed')) throw error;
        return false;
      },
    );
    await this.audit({ action: locks ? 'account.locked' : 'login.failed', actorId: null, targetId: user.id, outcome: 'failure', details: { failures } }, client);
    // Only the write that locked tells the owner (its lock time names the email).
    if (locks && saved) {
      await this.notify(
        user,
        `account-locked:${user.id}:${login.lockedUntil}`,
        'Your account was locked',
        `There were ${failures} failed sign-ins to your FoodXchange account, so it is locked for ${lockMinutes} minutes. If this was not you, consider resetting your password:\n\n${this.deps.config.mail.publicAppUrl}/forgot-password`,
      );
    }
  }

  private async setPassword(user: Stored<UserRecord>, password: string): Promise<Stored<UserRecord>> {
    const passwordHash = await hashPassword(password, this.deps.config.argon2);
    return this.deps.users.save({ ...user, passwordHash, passwordChangedAt: new Date().toISOString() }, user._etag);
  }

  private async sendVerification(user: UserRecord): Promise<void> {
    const { token, id } = await this.deps.oneTime.issue('verify-email', user.id, VERIFY_EMAIL_TTL);
    await this.notify(
      user,
      `verify-email:${id}`,
      'Confirm your email address',
      `Welcome to FoodXchange, ${user.displayName}.\n\nConfirm your email address within 24 hours:\n\n${this.link('verify-email', token)}\n`,
    );
  }

  /**
   * Email through the outbox, once per `cause`: the event that caused it (the token it carries,
   * or the user record version the change wrote), so a repeated call never sends a second one.
   */
  private notify(user: UserRecord, cause: string, subject: string, text: string): Promise<void> {
    return this.deps.outbox.enqueue({ to: user.email, subject, text }, cause);
  }

  private link(page: string, token: string): string {
    return `${this.deps.config.mail.publicAppUrl}/${page}?token=${encodeURIComponent(token)}`;
  }
}

function backoffMs(extraFailures: number): number {
  return Math.min(60_000, 1000 * 2 ** extraFailures);
}

async function requireStrongPassword(password: string, userInputs: string[], field: string): Promise<void> {
  const issues = await passwordIssues(password, userInputs, field);
  if (issues.length) throw new AppError('validation', `The password ${issues[0]!.message}.`, { issues });
}

function wrongCode(): AppError {
  return new AppError('validation', 'The code is wrong or was already used.', { issues: [{ field: 'body.code', message: 'wrong or already used' }] });
}
