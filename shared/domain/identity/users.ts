import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import { StoreError } from '../../data/errors';
import type { Condition, Container, Stored } from '../../data/document-store';
import type { Role } from './principal';
import type { UserEmailRecord, UserRecord } from './records';
import { hashSecret } from './secrets';

export interface NewUser {
  email: string;
  displayName: string;
  company?: string;
  roles: Role[];
  passwordHash: string;
  emailVerified: boolean;
}

/** Accounts and the email index that keeps addresses unique. */
export class Users {
  constructor(
    private readonly users: Container<UserRecord>,
    private readonly emails: Container<UserEmailRecord>,
  ) {}

  /**
   * Claims the address first (an atomic create), then writes the account; if that fails the
   * claim is released, so a failed registration leaves nothing behind.
   */
  async create(input: NewUser): Promise<Stored<UserRecord>> {
    const id = randomUUID();
    const emailId = emailKey(input.email);
    try {
      await this.emails.create({ id: emailId, userId: id });
    } catch (error) {
      if (error instanceof StoreError && error.kind === 'conflict') {
        throw new AppError('conflict', 'An account with this email already exists; sign in or reset the password.');
      }
      throw error;
    }
    const now = new Date().toISOString();
    try {
      return await this.users.create({
        id,
        email: input.email,
        emailLower: input.email.toLowerCase(),
        emailVerified: input.emailVerified,
        displayName: input.displayName,
        ...(input.company ? { company: input.company } : {}),
        roles: input.roles,
        status: 'active',
        passwordHash: input.passwordHash,
        passwordChangedAt: now,
        createdAt: now,
        updatedAt: now,
        login: { failures: 0 },
      });
    } catch (error) {
      await this.emails.delete(emailId, emailId).catch(() => undefined);
      throw error;
    }
  }

  async byId(id: string): Promise<Stored<UserRecord> | null> {
    return this.users.read(id, id);
  }

  async byEmail(email: string): Promise<Stored<UserRecord> | null> {
    const key = emailKey(email);
    const entry = await this.emails.read(key, key);
    return entry ? this.byId(entry.userId) : null;
  }

  /** Writes a changed account; `ifMatch` makes a concurrent change a 412 instead of a lost update. */
  async save(user: UserRecord, ifMatch: string): Promise<Stored<UserRecord>> {
    return this.users.replace({ ...user, updatedAt: new Date().toISOString() }, { ifMatch });
  }

  /**
   * Applies `change` to the current version, re-reading and retrying when another write came
   * first: for writes that must land because something irreversible already happened (a
   * single-use token was used up).
   */
  async update(id: string, change: (user: UserRecord) => UserRecord): Promise<Stored<UserRecord>> {
    for (let attempt = 0; ; attempt++) {
      const user = await this.byId(id);
      if (!user) throw new AppError('not_found', 'No such user.');
      try {
        return await this.save(change(user), user._etag);
      } catch (error) {
        if (attempt >= 4 || !(error instanceof StoreError) || error.kind !== 'precondition_failed') throw error;
      }
    }
  }

  async hasAdmin(): Promise<boolean> {
    return (await this.users.count({ where: { field: 'roles', op: 'contains', value: 'admin' } })) > 0;
  }

  async list(filter: { role?: Role; status?: UserRecord['status']; email?: string }, limit: number, continuation?: string) {
    const conditions: Condition[] = [];
    if (filter.role) conditions.push({ field: 'roles', op: 'contains', value: filter.role });
    if (filter.status) conditions.push({ field: 'status', op: 'eq', value: filter.status });
    if (filter.email) conditions.push({ field: 'emailLower', op: 'startsWith', value: filter.email.toLowerCase() });
    return this.users.query({
      ...(conditions.length ? { where: { and: conditions } } : {}),
      orderBy: [{ field: 'createdAt', direction: 'desc' }],
      limit,
      continuation,
    });
  }
}

/** Addresses are unique case-insensitively (the local part too, in practice). */
function emailKey(email: string): string {
  return hashSecret(email.trim().toLowerCase());
}
