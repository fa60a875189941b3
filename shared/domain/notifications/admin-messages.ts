import { AppError } from '../../errors';
import type { Inbox, Notification } from './inbox';

export interface AdminMessage {
  title: string;
  body: string;
  link?: string;
}

/** An admin's message to one user: stored in their inbox as `admin.message` and pushed to them. */
export class AdminMessages {
  constructor(
    private readonly deps: {
      inbox: Inbox;
      /** Whether the account exists (identity's, which is built after this area). */
      userExists: (userId: string) => Promise<boolean>;
    },
  ) {}

  /**
   * `sendId` names this send: the same id (a retried request) stores and pushes one item, and
   * every other send is its own item, however alike the messages are. 404 for an unknown user.
   */
  async send(adminId: string, userId: string, message: AdminMessage, sendId: string): Promise<Notification> {
    if (!(await this.deps.userExists(userId))) throw new AppError('not_found', 'No such user.');
    return this.deps.inbox.notify(userId, { type: 'admin.message', ...message }, `admin-message:${adminId}:${sendId}`);
  }
}
