import type { HttpRequest } from '@azure/functions';
import { AppError } from '../errors';
import type { Authenticator } from '../domain/identity/authenticator';
import type { Principal, Role } from '../domain/identity/principal';

/** What an ownership rule sees: the parsed request and the caller. */
export interface OwnershipInput {
  params: unknown;
  principal: Principal;
}

/**
 * Who may call an endpoint. Every endpoint states one; there is no default, so an endpoint
 * cannot become anonymous by omission (createHandler refuses a missing policy at start-up).
 * - public: anyone; the request is not authenticated at all (with `viewer`, a valid token is read
 *   to tell the handler who is looking, and a bad one ignored).
 * - signedIn: any valid access token of a live session.
 * - roles: a signed-in caller holding at least one of the roles.
 * - owner: a signed-in caller who owns the resource `ownerOf` names (404 when there is none).
 *   Admins are not exempt: an endpoint that lets admins act on others says so with roles.
 */
export type AuthPolicy =
  | { kind: 'public'; viewer?: boolean }
  | { kind: 'signedIn' }
  | { kind: 'roles'; roles: readonly Role[] }
  | { kind: 'owner'; resource: string; ownerOf: (input: OwnershipInput) => Promise<string | null> };

export const publicAccess = { kind: 'public' } as const satisfies AuthPolicy;
/** Public, and the handler learns who is looking when a valid token comes (owners and admins see more). */
export const publicWithViewer = { kind: 'public', viewer: true } as const satisfies AuthPolicy;
export const signedIn = { kind: 'signedIn' } as const satisfies AuthPolicy;

export function requireRoles(...roles: Role[]): Extract<AuthPolicy, { kind: 'roles' }> {
  if (!roles.length) throw new Error('requireRoles needs at least one role');
  return { kind: 'roles', roles };
}

/** `resource` names what is owned, for messages and the OpenAPI document. */
export function ownerOnly(resource: string, ownerOf: (input: OwnershipInput) => Promise<string | null>): Extract<AuthPolicy, { kind: 'owner' }> {
  return { kind: 'owner', resource, ownerOf };
}

/**
 * The caller, when the policy needs one: 401 without a valid token. Null on public endpoints,
 * except that one which asks for its viewer gets them when a valid token comes (a bad or
 * missing one just means an anonymous viewer there).
 */
export async function authenticateFor(policy: AuthPolicy, request: HttpRequest, authenticator: Authenticator): Promise<Principal | null> {
  const authorization = request.headers.get('authorization');
  if (policy.kind === 'public') return policy.viewer ? authenticator.authenticate(authorization).catch(() => null) : null;
  if (policy.kind === 'signedIn' || policy.kind === 'owner' || policy.kind === 'roles') return requirePrincipal(await authenticator.authenticate(authorization));
  // Fail closed: a policy kind nobody handles here must never let a request through.
  throw new Error(`Unknown auth policy ${JSON.stringify(policy)}`);
}

/** 403 unless the caller holds one of the policy's roles (for role policies). */
export function requireRole(policy: AuthPolicy, principal: Principal | null): void {
  if (policy.kind !== 'roles') return;
  if (!principal?.roles.some((role) => policy.roles.includes(role))) {
    throw new AppError('forbidden', `This needs one of the roles: ${policy.roles.join(', ')}.`);
  }
}

/** Ownership, once the route parameters are parsed: 404 when the resource does not exist, 403 when it is another's. */
export async function enforceOwnership(policy: AuthPolicy, params: unknown, principal: Principal | null): Promise<void> {
  if (policy.kind !== 'owner' || !principal) return;
  const owner = await policy.ownerOf({ params, principal });
  if (owner === null) throw new AppError('not_found', `No such ${policy.resource}.`);
  if (owner !== principal.userId) throw new AppError('forbidden', `This ${policy.resource} belongs to another account.`);
}

function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw new AppError('unauthenticated', 'Sign in: send an access token as "Authorization: Bearer <token>".');
  return principal;
}

/** How a policy reads in the OpenAPI document (`x-auth-policy`) and in the authorization matrix test. */
export function describePolicy(policy: AuthPolicy): { kind: AuthPolicy['kind']; roles?: Role[]; resource?: string } {
  if (policy.kind === 'roles') return { kind: 'roles', roles: [...policy.roles] };
  if (policy.kind === 'owner') return { kind: 'owner', resource: policy.resource };
  return { kind: policy.kind };
}
