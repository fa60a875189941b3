import type { Page, Stored } from '../../data/document-store';
import { AppError } from '../../errors';
import type { AuditEvent, AuditRecord, AuditTrail, ChainBreak } from '../audit/audit-trail';
import type { Outbox, OutboxStatus, OutboxView } from '../notifications/outbox';
import type { Principal, Role } from './principal';
import { publicUser, type PublicUser, type UserRecord } from './records';
import type { ClientInfo, Sessions } from './sessions';
import type { Users } from './users';

export interface AuditFilter {
  actorId?: string;
  targetId?: string;
  action?: string;
  from?: string;
  to?: string;
}

/**
 * What admins do: read and change accounts, read and re-check the audit trail, and look after
 * the outbox. Every use case is audited with the admin and where they called from, reads
 * included (who looked at whose data is itself worth knowing).
 */
export class AdminConsole {
  constructor(
    private readonly deps: {
      users: Users;
      sessions: Sessions;
      trail: AuditTrail;
      outbox: Outbox;
      /** Appends to the audit trail, stamped with the caller's address and user agent. */
      audit: (event: AuditEvent, client: ClientInfo) => Promise<void>;
    },
  ) {}

  /** Accounts, newest first, filtered by role, status or the start of the email address. */
  async listUsers(
    admin: Principal,
    filter: { role?: Role; status?: UserRecord['status']; email?: string },
    page: { limit: number; continuation?: string },
    client: ClientInfo,
  ): Promise<Page<PublicUser>> {
    const found = await this.deps.users.list({ role: filter.role, status: filter.status, email: filter.email }, page.limit, page.continuation);
    await this.deps.audit({ action: 'admin.users_listed', actorId: admin.userId, outcome: 'success' }, client);
    return { items: found.items.map(publicUser), continuation: found.continuation };
  }

  /** One account, with the version a change must name. */
  async user(admin: Principal, userId: string, client: ClientInfo): Promise<Stored<UserRecord>> {
    const user = await this.deps.users.byId(userId);
    if (!user) throw new AppError('not_found', 'No such user.');
    await this.deps.audit({ action: 'admin.user_viewed', actorId: admin.userId, targetId: user.id, outcome: 'success' }, client);
    return user;
  }

  /**
   * Roles and suspension, after `ifMatch` accepts the version read. Suspending ends every session;
   * new roles reach the live sessions. An admin cannot lock themselves out.
   */
  async updateUser(admin: Principal, userId: string, changes: { roles?: Role[]; status?: UserRecord['status'] }, ifMatch: (current: string) => void, client: ClientInfo): Promise<Stored<UserRecord>> {
    const { users, sessions } = this.deps;
    const user = await users.byId(userId);
    if (!user) throw new AppError('not_found', 'No such user.');
    ifMatch(user._etag);
    if (userId === admin.userId && (changes.status === 'suspended' || (changes.roles && !changes.roles.includes('admin')))) {
      throw new AppError('unprocessable', 'Admins cannot suspend themselves or remove their own admin role; ask another admin.');
    }
    const roles = changes.roles ? [...new Set(changes.roles)] : user.roles;
    const saved = await users.save({ ...user, roles, status: changes.status ?? user.status }, user._etag);
    if (changes.status === 'suspended' && user.status !== 'suspended') await sessions.revokeAll(userId, 'account suspended');
    else if (changes.roles) await sessions.setRoles(userId, roles);
    const details: AuditEvent['details'] = {};
    if (changes.roles) Object.assign(details, { rolesBefore: user.roles, rolesAfter: roles });
    if (changes.status) Object.assign(details, { statusBefore: user.status, statusAfter: saved.status });
    await this.deps.audit({ action: 'admin.user_updated', actorId: admin.userId, targetId: userId, outcome: 'success', details }, client);
    return saved;
  }

  /** Audit records, newest first. */
  async auditRecords(admin: Principal, filter: AuditFilter, page: { limit: number; continuation?: string }, client: ClientInfo): Promise<Page<Stored<AuditRecord>>> {
    const found = await this.deps.trail.query(filter, page.limit, page.continuation);
    await this.deps.audit({ action: 'admin.audit_viewed', actorId: admin.userId, outcome: 'success' }, client);
    return found;
  }

  /** Every hash chain re-checked; the check itself is audited as failed when a chain is broken. */
  async verifyAudit(admin: Principal, client: ClientInfo): Promise<{ intact: boolean; checked: number; chains: number; breaks: ChainBreak[] }> {
    const result = await this.deps.trail.verify();
    await this.deps.audit({ action: 'admin.audit_verified', actorId: admin.userId, outcome: result.breaks.length ? 'failure' : 'success', details: { breaks: result.breaks.length } }, client);
    return { intact: result.breaks.length === 0, ...result };
  }

  /** Outgoing messages, newest first (masked, without their text). */
  async outboxMessages(admin: Principal, status: OutboxStatus | undefined, page: { limit: number; continuation?: string }, client: ClientInfo): Promise<Page<OutboxView>> {
    const found = await this.deps.outbox.list({ status, limit: page.limit, continuation: page.continuation });
    await this.deps.audit({ action: 'admin.outbox_listed', actorId: admin.userId, outcome: 'success', details: { status: status ?? 'any' } }, client);
    return found;
  }

  /** Sends a dead or pending message again now; audited as failed when this attempt failed too. */
  async retryOutboxMessage(admin: Principal, id: string, client: ClientInfo): Promise<OutboxView> {
    const message = await this.deps.outbox.retry(id);
    await this.deps.audit({ action: 'admin.outbox_retried', actorId: admin.userId, targetId: id, outcome: message.status === 'sent' ? 'success' : 'failure' }, client);
    return message;
  }
}
