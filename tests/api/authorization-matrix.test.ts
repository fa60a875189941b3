import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../helpers/host-process';
import { ADMIN, api, login, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// Every HTTP function the host registered × every role (and anonymous), checked against the
// policy the function declares (x-auth-policy in the OpenAPI document). Bodies are deliberately
// invalid, so an allowed call stops at validation (400) and changes nothing, while a refused
// one must stop earlier, at 401 or 403.
type Caller = 'anonymous' | 'client' | 'expert' | 'agent' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'client', 'expert', 'agent', 'admin'];
/** Functions left out of the OpenAPI document, with the policy they must have. */
const UNDOCUMENTED: Record<string, { kind: string }> = { docsAsset: { kind: 'public' } };

interface Operation {
  name: string;
  method: string;
  route: string;
  policy: { kind: string; roles?: string[]; resource?: string };
}

let host: RunningHost;
let client: Api;
const tokens: Partial<Record<Caller, string>> = {};
const userIds: Partial<Record<Caller, string>> = {};
const credentials: Partial<Record<Caller, { email: string; password: string }>> = {};
/** For ownership: a second session of each signed-in caller, which the matrix may end. */
const spareSessions: Partial<Record<Caller, string>> = {};
let operations: Operation[] = [];

beforeAll(async () => {
  host = await startIdentityHost();
  client = api(host);
  for (const role of ['client', 'expert', 'agent'] as const) {
    const user = await registerUser(client, role);
    tokens[role] = user.accessToken;
    userIds[role] = user.user.id;
    credentials[role] = user;
  }
  const admin = await login(client, ADMIN.email, ADMIN.password);
  tokens.admin = admin.accessToken;
  userIds.admin = admin.user.id;
  credentials.admin = ADMIN;
  await openSpareSessions();

  const registered = (await (await fetch(`${host.baseUrl}/admin/functions`)).json()) as { name: string; trigger: string; bindings: { type: string; route?: string; methods?: string[] }[] }[];
  const document = await (await fetch(`${host.baseUrl}/api/openapi.json`)).json();
  const policies = new Map<string, Operation['policy']>();
  for (const methods of Object.values(document.paths) as Record<string, { operationId: string; 'x-auth-policy': Operation['policy'] }>[]) {
    for (const op of Object.values(methods)) policies.set(op.operationId, op['x-auth-policy']);
  }
  operations = registered
    .filter((fn) => fn.trigger === 'httpTrigger')
    .map((fn) => {
      const trigger = fn.bindings.find((binding) => binding.type === 'httpTrigger')!;
      const policy = policies.get(fn.name) ?? UNDOCUMENTED[fn.name];
      if (!policy) throw new Error(`HTTP function ${fn.name} declares no policy in the OpenAPI document`);
      return { name: fn.name, method: trigger.methods!.find((method) => method !== 'OPTIONS')!, route: trigger.route!, policy };
    });
});
afterAll(async () => {
  await host?.stop();
});

async function openSpareSessions() {
  for (const caller of ['client', 'expert', 'agent', 'admin'] as const) {
    spareSessions[caller] = sessionIdOf((await login(client, credentials[caller]!.email, credentials[caller]!.password)).accessToken);
  }
}

function sessionIdOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid;
}

/** Fills route parameters: the caller's own resource, or (for ownership) someone else's. */
function path(operation: Operation, caller: Caller, foreign: boolean): string {
  return operation.route.replace(/\{(\w+)[^}]*\}/g, (_match, name: string) => {
    if (operation.policy.kind === 'owner' && operation.policy.resource === 'session') {
      const owner: Caller = foreign ? (caller === 'client' ? 'expert' : 'client') : caller === 'anonymous' ? 'client' : caller;
      return spareSessions[owner]!;
    }
    if (name === 'file') return 'swagger-ui.css';
    return userIds.client!;
  });
}

async function callAs(operation: Operation, caller: Caller, foreign = false) {
  return client.call(operation.method, path(operation, caller, foreign), {
    token: caller === 'anonymous' ? undefined : tokens[caller],
    ...(['POST', 'PATCH', 'PUT'].includes(operation.method) ? { body: { matrixProbe: true } } : {}),
  });
}

function allowed(policy: Operation['policy'], caller: Caller): boolean {
  if (policy.kind === 'public') return true;
  if (caller === 'anonymous') return false;
  if (policy.kind === 'roles') return policy.roles!.includes(caller);
  return true;
}

describe('authorization matrix: every registered HTTP route × every role', () => {
  it('finds every HTTP function with a declared policy, auth and admin routes included', () => {
    expect(operations.length).toBeGreaterThanOrEqual(29);
    const names = operations.map((operation) => operation.name);
    expect(names).toEqual(expect.arrayContaining(['authMe', 'authRevokeSession', 'adminUpdateUser', 'adminListAudit', 'health', 'metrics']));
    expect(new Set(operations.map((operation) => operation.policy.kind))).toEqual(new Set(['public', 'signedIn', 'roles', 'owner']));
  });

  it('lets each caller through exactly where the policy allows (401 anonymous, 403 wrong role)', async () => {
    const mismatches: string[] = [];
    for (const operation of operations) {
      for (const caller of CALLERS) {
        const { status } = await callAs(operation, caller);
        const expectAllowed = allowed(operation.policy, caller);
        const refused = status === 401 || status === 403;
        const expectedRefusal = caller === 'anonymous' ? 401 : 403;
        if (expectAllowed ? refused : status !== expectedRefusal) {
          mismatches.push(`${operation.method} ${operation.route} as ${caller}: ${status} (policy ${JSON.stringify(operation.policy)})`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("refuses a user acting on another user's resource (ownership), admins included", async () => {
    const owned = operations.filter((operation) => operation.policy.kind === 'owner');
    expect(owned.length).toBeGreaterThan(0);
    await openSpareSessions(); // the matrix ended the owners' own spare sessions
    for (const operation of owned) {
      for (const caller of ['client', 'expert', 'agent', 'admin'] as const) {
        const response = await callAs(operation, caller, true);
        expect(response.status, `${operation.route} as ${caller} on another's resource`).toBe(403);
      }
      // And the owner may: the spare session ends.
      const own = await callAs(operation, 'agent');
      expect(own.status).toBe(204);
    }
  });
});
