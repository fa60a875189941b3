import type { HttpRequest } from '@azure/functions';

/**
 * Who may call an endpoint. Every endpoint states one; there is no default, so an endpoint
 * cannot become anonymous by omission. Signed-in, role and ownership policies join this union.
 */
export type AuthPolicy = { kind: 'public' };

export const publicAccess: AuthPolicy = { kind: 'public' };

/** Throws an AppError (401/403) when the request does not satisfy the policy. */
export async function enforceAuth(policy: AuthPolicy, _request: HttpRequest): Promise<void> {
  switch (policy.kind) {
    case 'public':
      return;
  }
  // Fail closed: a policy kind nobody handles here must never let a request through.
  throw new Error(`Unknown auth policy ${JSON.stringify(policy)}`);
}
