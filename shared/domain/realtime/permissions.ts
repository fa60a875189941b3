import type { Principal } from '../identity/principal';
import type { ClientGrant } from './gateway';

/** Every expert's status changes go to this group; watching an expert is being in it. */
export const expertGroup = (expertId: string) => `expert:${expertId}`;

/** At most this many experts watched per connection: a directory page's worth. */
export const MAX_WATCHED = 50;
export const CLIENT_TOKEN_MINUTES = 60;

/**
 * What a signed-in caller's connection may do. Clients only receive: nobody may send to a
 * group (pushes come from the app, so nobody can forge a presence change or notification).
 * - everyone: bound to their own user id (notifications arrive by user), and may join and
 *   leave the watch groups of the experts they ask to watch (`watch`), and no other group;
 * - experts: also join their own watch group at connect, so every device of theirs sees the
 *   status they set elsewhere.
 * Groups are granted one by one because Web PubSub roles name a group, not a pattern.
 */
export function grantFor(principal: Principal, watch: readonly string[]): ClientGrant {
  const groups = principal.roles.includes('expert') ? [expertGroup(principal.userId)] : [];
  const watched = [...new Set(watch)].map(expertGroup);
  return {
    userId: principal.userId,
    groups,
    roles: [...new Set([...groups, ...watched])].map((group) => `webpubsub.joinLeaveGroup.${group}`),
    expiresInMinutes: CLIENT_TOKEN_MINUTES,
  };
}
