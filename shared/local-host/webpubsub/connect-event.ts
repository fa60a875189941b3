import type { IncomingMessage } from 'node:http';
import type { AccessClaims } from './access-token';
import type { EventHandlerClient } from './event-handler';

export interface ConnectDecision {
  userId: string | null;
  groups: string[];
  roles: string[];
}

/** The handler refused the connection: the client's upgrade gets this status. */
export class ConnectRejectedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Statuses a connect handler may answer to refuse a client; others become 500, as in the service. */
const PASSED_THROUGH = new Set([400, 401, 403]);

/**
 * The blocking `connect` event: identity and permissions come from the token, and a connect
 * handler, when the hub has one, may refuse the client or set its user id, groups and roles.
 */
export async function connectEvent(
  events: EventHandlerClient,
  hub: string,
  connectionId: string,
  claims: AccessClaims,
  url: URL,
  req: IncomingMessage,
  subprotocols: string[],
): Promise<ConnectDecision> {
  const decision: ConnectDecision = {
    userId: typeof claims.sub === 'string' && claims.sub ? claims.sub : null,
    groups: claims['webpubsub.group'] ?? [],
    roles: claims.role ?? [],
  };
  if (!events.handles(hub, 'sys', 'connect')) return decision;
  const body = {
    claims: Object.fromEntries(Object.entries(claims).map(([key, value]) => [key, (Array.isArray(value) ? value : [value]).map(String)])),
    query: groupValues([...url.searchParams]),
    headers: groupValues(Object.entries(req.headers).flatMap(([key, value]) => (Array.isArray(value) ? value : [value ?? '']).map((v) => [key, v] as [string, string]))),
    subprotocols,
    clientCertificates: [],
  };
  const response = await events.send(
    { hub, connectionId, userId: decision.userId, subprotocol: undefined },
    { kind: 'sys', name: 'connect', contentType: 'application/json', body: Buffer.from(JSON.stringify(body)) },
  );
  const text = (await response?.text()) ?? '';
  if (!response || response.status === 204) return decision;
  if (!response.ok) throw new ConnectRejectedError(PASSED_THROUGH.has(response.status) ? response.status : 500, text || response.statusText);
  if (!text) return decision;
  const answer = JSON.parse(text) as { userId?: unknown; groups?: unknown; roles?: unknown };
  return {
    userId: typeof answer.userId === 'string' && answer.userId ? answer.userId : decision.userId,
    groups: [...decision.groups, ...strings(answer.groups)],
    roles: [...decision.roles, ...strings(answer.roles)],
  };
}

function groupValues(pairs: [string, string][]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const [key, value] of pairs) (grouped[key] ??= []).push(value);
  return grouped;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
