import type { ClientConnection } from './connection';
import type { FilterPredicate } from './odata-filter';
import { Outbound, type Origin } from './outbound';
import type { Payload } from './payload';

export interface Audience {
  /** Connection ids that must not receive the message (`excluded` query parameters). */
  excluded?: ReadonlySet<string>;
  filter?: FilterPredicate;
}

/**
 * One hub's live state: its connections, groups and users. Group membership lives on the
 * connection; a user's group membership is remembered here so that the user's later
 * connections join too, until it is removed.
 */
export class Hub {
  readonly connections = new Map<string, ClientConnection>();
  private readonly groups = new Map<string, Set<ClientConnection>>();
  private readonly users = new Map<string, Set<ClientConnection>>();
  private readonly userGroups = new Map<string, Set<string>>();

  constructor(readonly name: string) {}

  add(connection: ClientConnection, groups: Iterable<string>): void {
    this.connections.set(connection.id, connection);
    if (connection.userId !== null) {
      setOf(this.users, connection.userId).add(connection);
      for (const group of this.userGroups.get(connection.userId) ?? []) this.join(connection, group);
    }
    for (const group of groups) this.join(connection, group);
  }

  remove(connection: ClientConnection): void {
    if (this.connections.get(connection.id) !== connection) return;
    this.connections.delete(connection.id);
    for (const group of [...connection.groups]) this.leave(connection, group);
    if (connection.userId !== null) deleteFrom(this.users, connection.userId, connection);
  }

  join(connection: ClientConnection, group: string): void {
    connection.groups.add(group);
    setOf(this.groups, group).add(connection);
  }

  leave(connection: ClientConnection, group: string): void {
    connection.groups.delete(group);
    deleteFrom(this.groups, group, connection);
  }

  connectionsOfUser(userId: string): ClientConnection[] {
    return [...(this.users.get(userId) ?? [])];
  }

  connectionsInGroup(group: string): ClientConnection[] {
    return [...(this.groups.get(group) ?? [])];
  }

  addUserToGroup(userId: string, group: string): void {
    setOf(this.userGroups, userId).add(group);
    for (const connection of this.connectionsOfUser(userId)) this.join(connection, group);
  }

  removeUserFromGroup(userId: string, group: string): void {
    this.userGroups.get(userId)?.delete(group);
    for (const connection of this.connectionsOfUser(userId)) this.leave(connection, group);
  }

  removeUserFromAllGroups(userId: string): void {
    this.userGroups.delete(userId);
    for (const connection of this.connectionsOfUser(userId)) for (const group of [...connection.groups]) this.leave(connection, group);
  }

  /** Sends to each connection of `targets` the audience admits. */
  send(targets: Iterable<ClientConnection>, payload: Payload, origin: Origin, audience: Audience = {}): void {
    const message = new Outbound(payload, origin);
    for (const connection of targets) {
      if (audience.excluded?.has(connection.id)) continue;
      if (audience.filter && !audience.filter(connection)) continue;
      connection.deliver(message);
    }
  }

  describe(): { name: string; connections: unknown[]; groups: Record<string, string[]>; users: Record<string, string[]> } {
    return {
      name: this.name,
      connections: [...this.connections.values()].map((c) => ({
        connectionId: c.id,
        userId: c.userId,
        subprotocol: c.subprotocol ?? null,
        groups: [...c.groups],
        roles: [...c.roles],
        attached: c.attached,
        recoveries: c.recoveries,
        unackedMessages: c.pendingAcks,
        connectedAt: c.connectedAt.toISOString(),
      })),
      groups: Object.fromEntries([...this.groups].map(([group, members]) => [group, [...members].map((c) => c.id)])),
      users: Object.fromEntries([...this.users].map(([user, members]) => [user, [...members].map((c) => c.id)])),
    };
  }
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function deleteFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
