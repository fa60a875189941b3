import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { ServiceIdentity } from '../../realtime-config';

/**
 * The checks an upstream (event handler) of Web PubSub makes, as the service documents them:
 * - abuse protection: the service's OPTIONS carries `WebHook-Request-Origin` (its own host); the
 *   handler allows only the host of the service it is configured with;
 * - `ce-signature`: `sha256=<hex HMAC-SHA256 of the connection id with the access key>`, one
 *   comma-separated value per key (primary and secondary during a key rotation), where the app
 *   holds the access key (locally); without one, the service's token (below).
 */
export function allowedWebhookOrigin(requestOrigin: string | null, serviceEndpoint: string): string | undefined {
  if (!requestOrigin) return undefined;
  const serviceHost = new URL(serviceEndpoint).host.toLowerCase();
  return requestOrigin.trim().toLowerCase() === serviceHost ? serviceHost : undefined;
}

export function isSignedByService(connectionId: string, signatureHeader: string, accessKey: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', accessKey).update(connectionId).digest('hex')}`);
  return signatureHeader.split(',').some((candidate) => {
    const given = Buffer.from(candidate.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Without an access key (Azure), the hub's event handler has `auth.type: ManagedIdentity`: the
 * service sends `Authorization: Bearer <token>`, an Entra ID access token it obtains with its own
 * managed identity for the configured audience. Accepted only when Entra's signature (the tenant's
 * published keys), issuer (the tenant, v1 or v2 form), audience, lifetime and `oid` (the service's
 * identity, so no other principal of the tenant can call) all check out. `keys` is for tests.
 */
export function serviceTokenVerifier(
  identity: ServiceIdentity,
  keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(`https://login.microsoftonline.com/${identity.tenantId}/discovery/v2.0/keys`)),
): (authorization: string | null) => Promise<boolean> {
  const issuer = [`https://sts.windows.net/${identity.tenantId}/`, `https://login.microsoftonline.com/${identity.tenantId}/v2.0`];
  return async (authorization) => {
    const token = /^Bearer\s+([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) return false;
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, audience: identity.audience, algorithms: ['RS256'] });
      return typeof payload.oid === 'string' && payload.oid.toLowerCase() === identity.principalId.toLowerCase();
    } catch (error) {
      if (error instanceof errors.JOSEError) return false;
      throw error;
    }
  };
}
