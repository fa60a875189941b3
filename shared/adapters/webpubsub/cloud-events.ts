import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The two checks an upstream (event handler) of Web PubSub makes, as the service documents them:
 * - abuse protection: the service's OPTIONS carries `WebHook-Request-Origin` (its own host); the
 *   handler allows only the host of the service it is configured with;
 * - `ce-signature`: `sha256=<hex HMAC-SHA256 of the connection id with the access key>`, one
 *   comma-separated value per key (primary and secondary during a key rotation).
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
