import { z } from 'zod';
import {
  challengeSchema,
  changePasswordBody,
  codeBody,
  disableTwoFactorBody,
  forgotBody,
  loginBody,
  logoutBody,
  profilePatch,
  refreshBody,
  registerBody,
  resetBody,
  secondFactorBody,
  sessionSchema,
  tokenBody,
  tokenPairSchema,
  userSchema,
} from '../shared/domain/identity/schemas';
import type { ClientInfo } from '../shared/domain/identity/sessions';
import { type AuthPolicy, ownerOnly, publicAccess, signedIn } from '../shared/http/auth';
import { clientInfo } from '../shared/http/client-info';
import type { CallerOf } from '../shared/http/endpoint';
import { requireIfMatch, strongEtag } from '../shared/http/etag';
import { userWithEtag } from '../shared/http/user-response';
import { defineEndpoint, identity } from '../shared/composition';

const tags = ['auth'];
const service = async () => (await identity()).service;

/** A credentials-tier POST whose answer is a bare status: 204 done, or 202 accepted (an email is on its way). */
function credentialAction<A extends AuthPolicy, B extends z.ZodType | undefined = undefined>(spec: {
  name: string;
  route: string;
  summary: string;
  auth: A;
  body?: B;
  done: { status: 202 | 204; description: string };
  /** For the ones that send email: a retried request with the same Idempotency-Key sends nothing again. */
  idempotent?: boolean;
  run: (input: { body: B extends z.ZodType ? z.output<B> : undefined; principal: CallerOf<A>; client: ClientInfo }) => Promise<void>;
}) {
  return defineEndpoint({
    name: spec.name,
    method: 'POST',
    route: spec.route,
    summary: spec.summary,
    tags,
    auth: spec.auth,
    rateLimit: 'credentials',
    idempotent: spec.idempotent,
    body: spec.body,
    responses: { [spec.done.status]: { description: spec.done.description } },
    handler: async ({ body, principal, request }) => {
      await spec.run({ body: body as never, principal, client: clientInfo(request) });
      return spec.done.status === 202 ? { status: 202, body: { status: 'accepted' } } : { status: 204 };
    },
  });
}

export const register = defineEndpoint({
  name: 'authRegister',
  method: 'POST',
  route: 'v1/auth/register',
  summary: 'Create an account (client, expert or agent) and sign in',
  description: 'Sends an email to verify the address. Fields the client may not set (role, id, emailVerified) are refused.',
  tags,
  auth: publicAccess,
  rateLimit: 'credentials',
  body: registerBody,
  responses: { 201: { description: 'Signed in', schema: tokenPairSchema }, 409: { description: 'The email already has an account' } },
  handler: async ({ body, request }) => ({ status: 201, body: await (await service()).register(body, clientInfo(request)) }),
});

export const login = defineEndpoint({
  name: 'authLogin',
  method: 'POST',
  route: 'v1/auth/login',
  summary: 'Sign in with email and password',
  description: 'With 2FA on, the answer is a challenge for POST /v1/auth/login/2fa and grants nothing by itself. Repeated failures slow down, then lock the account (429 with Retry-After).',
  tags,
  auth: publicAccess,
  rateLimit: 'credentials',
  body: loginBody,
  responses: {
    200: { description: 'Signed in, or the 2FA challenge', schema: z.union([tokenPairSchema, challengeSchema]) },
    401: { description: 'Wrong email or password' },
    403: { description: 'The account is suspended' },
  },
  handler: async ({ body, request }) => ({ body: await (await service()).login(body.email, body.password, clientInfo(request)) }),
});

export const loginSecondFactor = defineEndpoint({
  name: 'authLoginSecondFactor',
  method: 'POST',
  route: 'v1/auth/login/2fa',
  summary: 'Second sign-in step: the challenge and a TOTP or backup code',
  tags,
  auth: publicAccess,
  rateLimit: 'credentials',
  body: secondFactorBody,
  responses: { 200: { description: 'Signed in', schema: tokenPairSchema }, 401: { description: 'Wrong or reused code' } },
  handler: async ({ body, request }) => ({ body: await (await service()).loginSecondFactor(body.challengeToken, body.code, clientInfo(request)) }),
});

export const refresh = defineEndpoint({
  name: 'authRefresh',
  method: 'POST',
  route: 'v1/auth/refresh',
  summary: 'New tokens for a refresh token (which is used up)',
  description: 'A refresh token already used ends its whole session: someone else holds a copy.',
  tags,
  auth: publicAccess,
  rateLimit: 'credentials',
  body: refreshBody,
  responses: { 200: { description: 'New tokens', schema: tokenPairSchema }, 401: { description: 'Not valid, expired, revoked or reused' } },
  handler: async ({ body, request }) => ({ body: await (await service()).refresh(body.refreshToken, clientInfo(request)) }),
});

export const logout = defineEndpoint({
  name: 'authLogout',
  method: 'POST',
  route: 'v1/auth/logout',
  summary: 'End this session (or, with everywhere: true, every session)',
  tags,
  auth: signedIn,
  body: logoutBody,
  responses: { 204: { description: 'Signed out' } },
  handler: async ({ body, principal, request }) => {
    await (await service()).logout(principal, body?.everywhere ?? false, clientInfo(request));
    return { status: 204 };
  },
});

export const me = defineEndpoint({
  name: 'authMe',
  method: 'GET',
  route: 'v1/auth/me',
  summary: 'The signed-in account',
  tags,
  auth: signedIn,
  responses: { 200: { description: 'The account, with its ETag', schema: userSchema } },
  handler: async ({ principal }) => {
    return userWithEtag(await (await service()).me(principal.userId));
  },
});

export const updateMe = defineEndpoint({
  name: 'authUpdateMe',
  method: 'PATCH',
  route: 'v1/auth/me',
  summary: 'Change display name, company or bio (plain text); needs If-Match',
  description: 'null removes company or bio. Other fields (email, roles, status, emailVerified) are refused.',
  tags,
  auth: signedIn,
  body: profilePatch,
  responses: { 200: { description: 'The changed account', schema: userSchema }, 412: { description: 'Changed since you read it' }, 428: { description: 'If-Match missing' } },
  handler: async ({ body, principal, request }) => {
    return userWithEtag(await (await service()).updateProfile(principal.userId, body, (etag) => requireIfMatch(request, strongEtag(etag))));
  },
});

export const changePassword = credentialAction({
  name: 'authChangePassword',
  route: 'v1/auth/password/change',
  summary: 'Change the password; ends every other session',
  auth: signedIn,
  body: changePasswordBody,
  done: { status: 204, description: 'Changed' },
  run: async ({ body, principal, client }) => (await service()).changePassword(principal, body.currentPassword, body.newPassword, client),
});

export const forgotPassword = credentialAction({
  name: 'authForgotPassword',
  route: 'v1/auth/password/forgot',
  summary: 'Email a password-reset link (the answer is the same whether or not the account exists)',
  auth: publicAccess,
  body: forgotBody,
  idempotent: true,
  done: { status: 202, description: 'If the address has an account, a link is on its way' },
  run: async ({ body, client }) => (await service()).forgotPassword(body.email, client),
});

export const resetPassword = credentialAction({
  name: 'authResetPassword',
  route: 'v1/auth/password/reset',
  summary: 'Set a new password with the emailed token (single use, 30 minutes); ends every session',
  auth: publicAccess,
  body: resetBody,
  done: { status: 204, description: 'Password set' },
  run: async ({ body, client }) => (await service()).resetPassword(body.token, body.newPassword, client),
});

export const verifyEmail = credentialAction({
  name: 'authVerifyEmail',
  route: 'v1/auth/verify-email',
  summary: 'Confirm the email address with the emailed token (single use, 24 hours)',
  auth: publicAccess,
  body: tokenBody,
  done: { status: 204, description: 'Verified' },
  run: async ({ body, client }) => (await service()).verifyEmail(body.token, client),
});

export const resendVerification = credentialAction({
  name: 'authResendVerification',
  route: 'v1/auth/verify-email/resend',
  summary: 'Send the verification email again (409 when already verified)',
  auth: signedIn,
  idempotent: true,
  done: { status: 202, description: 'Sent' },
  run: async ({ principal }) => (await service()).resendVerification(principal.userId),
});

export const twoFactorSetup = defineEndpoint({
  name: 'authTwoFactorSetup',
  method: 'POST',
  route: 'v1/auth/2fa/setup',
  summary: 'Start TOTP enrolment: the secret, its otpauth:// URI and a QR code (PNG data URL), shown once',
  tags,
  auth: signedIn,
  rateLimit: 'credentials',
  responses: {
    200: { description: 'Scan the QR code, then confirm with POST /v1/auth/2fa/verify', schema: z.object({ secret: z.string(), otpauthUri: z.string(), qrCodePng: z.string() }) },
    409: { description: '2FA is already on' },
  },
  handler: async ({ principal, request }) => ({ body: await (await service()).setupTwoFactor(principal, clientInfo(request)) }),
});

export const twoFactorVerify = defineEndpoint({
  name: 'authTwoFactorVerify',
  method: 'POST',
  route: 'v1/auth/2fa/verify',
  summary: 'Turn 2FA on with a first code; returns ten single-use backup codes, shown once',
  tags,
  auth: signedIn,
  rateLimit: 'credentials',
  body: codeBody,
  responses: { 200: { description: '2FA is on', schema: z.object({ backupCodes: z.array(z.string()) }) }, 409: { description: 'No enrolment started, or already on' } },
  handler: async ({ body, principal, request }) => ({ body: await (await service()).enableTwoFactor(principal, body.code, clientInfo(request)) }),
});

export const twoFactorDisable = credentialAction({
  name: 'authTwoFactorDisable',
  route: 'v1/auth/2fa/disable',
  summary: 'Turn 2FA off (password and a current code or backup code; 409 when it is not on)',
  auth: signedIn,
  body: disableTwoFactorBody,
  done: { status: 204, description: '2FA is off' },
  run: async ({ body, principal, client }) => (await service()).disableTwoFactor(principal, body.password, body.code, client),
});

export const listSessions = defineEndpoint({
  name: 'authListSessions',
  method: 'GET',
  route: 'v1/auth/sessions',
  summary: "The caller's live sessions, newest first",
  tags,
  auth: signedIn,
  responses: { 200: { description: 'Sessions', schema: z.object({ items: z.array(sessionSchema) }) } },
  handler: async ({ principal }) => ({ body: { items: await (await service()).listSessions(principal) } }),
});

const sessionParams = z.object({ id: z.uuid('must be a session id') });

export const revokeSession = defineEndpoint({
  name: 'authRevokeSession',
  method: 'DELETE',
  route: 'v1/auth/sessions/{id}',
  summary: 'End one of your sessions',
  tags,
  auth: ownerOnly('session', async ({ params }) => (await service()).sessionOwner((params as z.output<typeof sessionParams>).id)),
  params: sessionParams,
  responses: { 204: { description: 'Ended' }, 403: { description: "Another account's session" }, 404: { description: 'No such live session' } },
  handler: async ({ params, principal, request }) => {
    await (await service()).revokeSession(principal, params.id, clientInfo(request));
    return { status: 204 };
  },
});

export const jwks = defineEndpoint({
  name: 'authJwks',
  method: 'GET',
  route: 'v1/auth/.well-known/jwks.json',
  summary: 'The public keys that verify access tokens (JWKS)',
  tags,
  auth: publicAccess,
  responses: { 200: { description: 'JSON Web Key Set', contentType: 'application/jwk-set+json' } },
  handler: async () => ({
    raw: JSON.stringify(await (await identity()).accessTokens.jwks()),
    contentType: 'application/jwk-set+json',
    // Verifiers may cache it briefly; one that meets an unknown kid should fetch it again.
    headers: { 'Cache-Control': 'public, max-age=300' },
  }),
});
