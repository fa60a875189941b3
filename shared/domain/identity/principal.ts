/** The roles an account can hold. Anyone may register as the first three; admin is only granted. */
export const ROLES = ['client', 'expert', 'agent', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const SELF_SERVICE_ROLES = ['client', 'expert', 'agent'] as const satisfies readonly Role[];

/** Who is calling, as established from a verified access token and its live session. */
export interface Principal {
  userId: string;
  sessionId: string;
  roles: Role[];
}
