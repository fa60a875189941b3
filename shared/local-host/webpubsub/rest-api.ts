import type { IncomingMessage, ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';
import { BodyTooLargeError, readBody } from '../http/body';
import { UnauthorizedError, verifyAccessToken } from './access-token';
import type { ClientConnection } from './connection';
import type { Hub } from './hub';
import { FilterSyntaxError, parseFilter, type FilterPredicate } from './odata-filter';
import { payloadFromHttp, PayloadError } from './payload';

/** The service's limit on one message. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface RestContext {
  hub: (name: string) => Hub;
  accessKey: string;
  /** Closes a connection for good (the service side of a close: no recovery, `disconnected` event). */
  closeConnection: (connection: ClientConnection, reason: string) => void;
}

interface Call {
  req: IncomingMessage;
  query: URLSearchParams;
  params: Record<string, string>;
  hub: Hub;
}

type Operation = (call: Call, context: RestContext) => Promise<Answer> | Answer;
type Answer = { status: number; body?: unknown };

class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ok = { status: 200 };
const accepted = { status: 202 };
const noContent = { status: 204 };
const exists = (found: boolean): Answer => (found ? ok : { status: 404 });

/** The data-plane operations `@azure/web-pubsub` calls, as [method, path after /api/hubs/{hub}, operation]. */
const operations: [string, string, Operation][] = [
  ['POST', '/:send', async (c) => send(c, [...c.hub.connections.values()], true)],
  ['POST', '/users/{userId}/:send', async (c) => send(c, c.hub.connectionsOfUser(c.params.userId!), false)],
  ['POST', '/groups/{group}/:send', async (c) => send(c, c.hub.connectionsInGroup(c.params.group!), true)],
  // Like a send to a user with no connections, a send to a gone connection is accepted and goes nowhere.
  ['POST', '/connections/{connectionId}/:send', async (c) => send(c, optional(c.hub.connections.get(c.params.connectionId!)), false)],
  ['HEAD', '/connections/{connectionId}', (c) => exists(c.hub.connections.has(c.params.connectionId!))],
  ['HEAD', '/groups/{group}', (c) => exists(c.hub.connectionsInGroup(c.params.group!).length > 0)],
  ['HEAD', '/users/{userId}', (c) => exists(c.hub.connectionsOfUser(c.params.userId!).length > 0)],
  ['DELETE', '/connections/{connectionId}', (c, x) => close(c, x, optional(c.hub.connections.get(c.params.connectionId!)))],
  ['POST', '/:closeConnections', (c, x) => close(c, x, [...c.hub.connections.values()])],
  ['POST', '/groups/{group}/:closeConnections', (c, x) => close(c, x, c.hub.connectionsInGroup(c.params.group!))],
  ['POST', '/users/{userId}/:closeConnections', (c, x) => close(c, x, c.hub.connectionsOfUser(c.params.userId!))],
  ['PUT', '/groups/{group}/connections/{connectionId}', (c) => (c.hub.join(connection(c), c.params.group!), ok)],
  [
    'DELETE',
    '/groups/{group}/connections/{connectionId}',
    (c) => {
      const found = c.hub.connections.get(c.params.connectionId!);
      if (found) c.hub.leave(found, c.params.group!);
      return noContent;
    },
  ],
  [
    'DELETE',
    '/connections/{connectionId}/groups',
    (c) => {
      const found = c.hub.connections.get(c.params.connectionId!);
      for (const group of [...(found?.groups ?? [])]) c.hub.leave(found!, group);
      return noContent;
    },
  ],
  [
    'GET',
    '/groups/{group}/connections',
    (c) => ({
      status: 200,
      body: { value: c.hub.connectionsInGroup(c.params.group!).map((m) => ({ connectionId: m.id, userId: m.userId ?? undefined })) },
    }),
  ],
  ['PUT', '/users/{userId}/groups/{group}', (c) => (c.hub.addUserToGroup(c.params.userId!, c.params.group!), ok)],
  ['DELETE', '/users/{userId}/groups/{group}', (c) => (c.hub.removeUserFromGroup(c.params.userId!, c.params.group!), noContent)],
  ['DELETE', '/users/{userId}/groups', (c) => (c.hub.removeUserFromAllGroups(c.params.userId!), noContent)],
  ['POST', '/:addToGroups', async (c) => groupsByFilter(c, (conn, group) => c.hub.join(conn, group))],
  ['POST', '/:removeFromGroups', async (c) => groupsByFilter(c, (conn, group) => c.hub.leave(conn, group))],
  ['PUT', '/permissions/{permission}/connections/{connectionId}', (c) => (connection(c).roles.add(role(c)), ok)],
  [
    'DELETE',
    '/permissions/{permission}/connections/{connectionId}',
    (c) => {
      const found = c.hub.connections.get(c.params.connectionId!);
      if (found) revoke(found, role(c), !c.query.get('targetName'));
      return noContent;
    },
  ],
  [
    'HEAD',
    '/permissions/{permission}/connections/{connectionId}',
    (c) => {
      const found = c.hub.connections.get(c.params.connectionId!);
      const general = `webpubsub.${permissionName(c)}`;
      return exists(!!found && (found.roles.has(general) || found.roles.has(role(c))));
    },
  ],
  ['POST', '/:generateToken', (c, x) => ({ status: 200, body: { token: clientToken(c, x.accessKey) } })],
];

const routes = operations.map(([method, path, run]) => {
  const names: string[] = [];
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => (names.push(name), '([^/]+)'));
  return { method, regex: new RegExp(`^/api/hubs/([^/]+)${pattern}/?$`, 'i'), names, run };
});

/** Serves one REST request: authenticates the access-key JWT, then runs the matching operation. */
export async function handleRestRequest(req: IncomingMessage, res: ServerResponse, url: URL, context: RestContext): Promise<void> {
  try {
    if (url.pathname === '/api/health') return answer(res, ok);
    const method = req.method ?? 'GET';
    const route = routes.find((r) => r.method === method && r.regex.test(url.pathname));
    if (!route) return answer(res, { status: 404, body: { code: 'NotFound', message: `No operation ${method} ${url.pathname}.` } });
    const authorization = req.headers.authorization ?? '';
    verifyAccessToken(/^Bearer\s+(.+)$/i.exec(authorization)?.[1], context.accessKey, `http://${req.headers.host}${url.pathname}${url.search}`);
    const [, hub, ...values] = route.regex.exec(url.pathname)!;
    const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(values[i]!)]));
    answer(res, await route.run({ req, query: url.searchParams, params, hub: context.hub(decodeURIComponent(hub!)) }, context));
  } catch (error) {
    if (error instanceof UnauthorizedError) return answer(res, { status: 401, body: { code: 'Unauthorized', message: error.message } });
    if (error instanceof RestError) return answer(res, { status: error.status, body: { code: error.code, message: error.message } });
    if (error instanceof FilterSyntaxError || error instanceof PayloadError) return answer(res, { status: 400, body: { code: 'BadRequest', message: error.message } });
    if (error instanceof BodyTooLargeError) return answer(res, { status: 413, body: { code: 'RequestEntityTooLarge', message: 'A message is at most 1 MB.' } });
    throw error;
  } finally {
    req.resume();
  }
}

async function send(call: Call, targets: ClientConnection[], excludable: boolean): Promise<Answer> {
  const body = (await readBody(call.req, MAX_MESSAGE_BYTES)) ?? Buffer.alloc(0);
  const payload = payloadFromHttp(call.req.headers['content-type'], body);
  const excluded = excludable ? new Set(call.query.getAll('excluded')) : undefined;
  call.hub.send(targets, payload, { from: 'server' }, { excluded, filter: filterOf(call.query) });
  return accepted;
}

function close(call: Call, context: RestContext, targets: ClientConnection[]): Answer {
  const excluded = new Set(call.query.getAll('excluded'));
  const reason = call.query.get('reason') ?? 'Closed by the server.';
  for (const target of targets) if (!excluded.has(target.id)) context.closeConnection(target, reason);
  return noContent;
}

async function groupsByFilter(call: Call, apply: (connection: ClientConnection, group: string) => void): Promise<Answer> {
  const raw = await readBody(call.req, MAX_MESSAGE_BYTES);
  let body: { groups?: unknown; filter?: unknown };
  try {
    body = JSON.parse(raw?.toString('utf8') ?? '{}') as typeof body;
  } catch {
    throw new PayloadError('The body must be JSON: {"groups": [...], "filter": "..."}.');
  }
  if (!Array.isArray(body.groups) || !body.groups.every((g) => typeof g === 'string')) throw new PayloadError('groups must be an array of strings.');
  const filter = typeof body.filter === 'string' && body.filter ? parseFilter(body.filter) : undefined;
  for (const target of [...call.hub.connections.values()]) {
    if (filter && !filter(target)) continue;
    for (const group of body.groups as string[]) apply(target, group);
  }
  return ok;
}

function filterOf(query: URLSearchParams): FilterPredicate | undefined {
  const text = query.get('filter');
  return text ? parseFilter(text) : undefined;
}

function connection(call: Call): ClientConnection {
  const found = call.hub.connections.get(call.params.connectionId!);
  if (!found) throw new RestError(404, 'NotFound', `Connection '${call.params.connectionId}' does not exist.`);
  return found;
}

function optional(connection: ClientConnection | undefined): ClientConnection[] {
  return connection ? [connection] : [];
}

function permissionName(call: Call): string {
  const permission = call.params.permission!;
  if (permission !== 'joinLeaveGroup' && permission !== 'sendToGroup') throw new RestError(400, 'BadRequest', `Unknown permission '${permission}'.`);
  return permission;
}

/** `webpubsub.<permission>` or, with `targetName`, `webpubsub.<permission>.<group>`: the client token's role spelling. */
function role(call: Call): string {
  const target = call.query.get('targetName');
  return `webpubsub.${permissionName(call)}${target ? `.${target}` : ''}`;
}

/** Revoking without a target takes the permission away for every group. */
function revoke(connection: ClientConnection, name: string, everyGroup: boolean): void {
  connection.roles.delete(name);
  if (everyGroup) for (const held of [...connection.roles]) if (held.startsWith(`${name}.`)) connection.roles.delete(held);
}

/** `:generateToken` (what the SDK calls with Entra credentials): the same token the SDK signs with a key. */
function clientToken(call: Call, accessKey: string): string {
  const minutes = Number(call.query.get('minutesToExpire') ?? 60);
  const host = call.req.headers.host;
  const userId = call.query.get('userId');
  return jwt.sign({ role: call.query.getAll('role'), 'webpubsub.group': call.query.getAll('group') }, accessKey, {
    audience: `http://${host}/client/hubs/${call.hub.name}`,
    expiresIn: `${minutes}m` as jwt.SignOptions['expiresIn'],
    algorithm: 'HS256',
    ...(userId ? { subject: userId } : {}),
  });
}

function answer(res: ServerResponse, { status, body }: Answer): void {
  if (body === undefined) {
    res.writeHead(status, { 'content-length': '0' }).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}
