import { HttpRequest, HttpResponse, type HttpResponseInit, InvocationContext } from '@azure/functions';
import type { TokenCredential } from '@azure/identity';
import { createHmac } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { serviceTokenVerifier } from '../../../../../shared/adapters/webpubsub/cloud-events';
import { ConfigError, loadConfig } from '../../../../../shared/config';
import { testApp } from '../../../../helpers/test-app';

// The service clients the app creates, with their arguments; and a credential that records the
// scopes it is asked for and refuses, so nothing leaves the machine.
const clients = vi.hoisted(() => [] as unknown[][]);
const scopes = vi.hoisted(() => [] as string[]);
vi.mock('@azure/web-pubsub', async (importOriginal) => {
  const sdk = await importOriginal<typeof import('@azure/web-pubsub')>();
  class RecordedClient extends sdk.WebPubSubServiceClient {
    constructor(...args: unknown[]) {
      super(...(args as [string, string]));
      clients.push(args);
    }
  }
  return { ...sdk, WebPubSubServiceClient: RecordedClient };
});
const credential = vi.hoisted(
  (): TokenCredential => ({
    getToken: async (scope) => {
      scopes.push(...[scope].flat());
      throw new Error('no token in tests');
    },
  }),
);
vi.mock('../../../../../shared/azure-credential', () => ({ getAzureCredential: () => credential, createAzureCredential: () => credential }));

const TENANT = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const SERVICE_PRINCIPAL = '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4';
const AUDIENCE = 'https://webpubsub.azure.com';
const ENDPOINT = 'https://wps-fx.webpubsub.azure.com';
/** What Bicep gives the app for real-time in Azure (and the two settings Azure mode requires). */
const AZURE = {
  APP_ENV: 'azure',
  COSMOS_ENDPOINT: 'https://cosmos-fx.documents.azure.com:443/',
  KEY_VAULT_URI: 'https://kv-fx.vault.azure.net/',
  WEBPUBSUB_ENDPOINT: ENDPOINT,
  WEBPUBSUB_HUB: 'marketplace',
  WEBPUBSUB_EVENT_TENANT_ID: TENANT,
  WEBPUBSUB_EVENT_AUDIENCE: AUDIENCE,
  WEBPUBSUB_EVENT_PRINCIPAL_ID: SERVICE_PRINCIPAL,
};
const LOCAL_CONNECTION = 'Endpoint=http://127.0.0.1:7080;AccessKey=bG9jYWwta2V5LWZvci10ZXN0cw==;Version=1.0;';

// The Cosmos account the Azure settings name is the embedded store here.
vi.mock('../../../../../shared/adapters/document-store/cosmos/cosmos-document-store', () => ({ CosmosDocumentStore: { connect: async () => SqliteDocumentStore.open(':memory:') } }));

const requireRealtime = async (settings: Record<string, string>) => (await testApp(settings).realtime()).require();

/** The real-time event endpoint of an app started with `settings` (a fresh module graph, as a new process would load). */
async function eventsEndpoint(settings: Record<string, string>) {
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  vi.resetModules();
  return (await import('../../../../../functions/realtime.http.js')).events;
}

beforeEach(() => {
  clients.length = 0;
  scopes.length = 0;
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('real-time in Azure (WEBPUBSUB_ENDPOINT, no access key)', () => {
  it('is configured (no 503): the service client is built on the endpoint with the app credential, and client URLs are asked of the service with an Entra token', async () => {
    const { gateway, presence } = await requireRealtime(AZURE);
    expect(presence).toBeDefined();
    expect(gateway.hub).toBe('marketplace');
    expect(clients).toEqual([[ENDPOINT, credential, 'marketplace']]);
    // getClientAccessToken cannot sign a URL without a key: it calls the service, authenticated by the credential.
    await expect(gateway.clientAccess({ userId: 'u-1', groups: [], roles: [], expiresInMinutes: 60 })).rejects.toThrow(/no token in tests/);
    expect(scopes).toEqual(['https://webpubsub.azure.com/.default']);
  });

  it('needs the event handler settings with the endpoint, and an https endpoint', () => {
    const { WEBPUBSUB_EVENT_TENANT_ID, WEBPUBSUB_EVENT_AUDIENCE, WEBPUBSUB_EVENT_PRINCIPAL_ID, ...withoutEvents } = AZURE;
    expect(() => loadConfig(withoutEvents)).toThrow(ConfigError);
    const problems = (() => {
      try {
        loadConfig(withoutEvents);
      } catch (error) {
        return (error as InstanceType<typeof ConfigError>).problems;
      }
    })();
    expect(problems).toEqual([
      'WEBPUBSUB_EVENT_TENANT_ID: is required with WEBPUBSUB_ENDPOINT (it authenticates the events the service sends)',
      'WEBPUBSUB_EVENT_AUDIENCE: is required with WEBPUBSUB_ENDPOINT (it authenticates the events the service sends)',
      'WEBPUBSUB_EVENT_PRINCIPAL_ID: is required with WEBPUBSUB_ENDPOINT (it authenticates the events the service sends)',
    ]);
    expect(() => loadConfig({ ...AZURE, WEBPUBSUB_ENDPOINT: 'http://wps-fx.webpubsub.azure.com' })).toThrow(/WEBPUBSUB_ENDPOINT: must be the https endpoint/);
  });

  it('prefers the endpoint to a connection string, which stays the local path', async () => {
    await requireRealtime({ WebPubSubConnectionString: LOCAL_CONNECTION });
    expect(clients).toEqual([[LOCAL_CONNECTION, 'marketplace', { allowInsecureConnection: true }]]);
    expect(loadConfig({ ...AZURE, WebPubSubConnectionString: LOCAL_CONNECTION }).realtime.connection).toMatchObject({ kind: 'identity', endpoint: ENDPOINT });
  });
});

describe("the event handler in Azure (the service's token instead of ce-signature)", () => {
  const cloudEvent = (extra: Record<string, string> = {}) =>
    new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/v1/realtime/webpubsub',
      headers: {
        'ce-specversion': '1.0',
        'ce-type': 'azure.webpubsub.sys.connected',
        'ce-hub': 'marketplace',
        'ce-connectionid': 'conn-1',
        'ce-userid': 'u-1',
        ...extra,
      },
    });
  const send = async (request: HttpRequest) => {
    const events = await eventsEndpoint(AZURE);
    const context = new InvocationContext({ invocationId: 'inv-1', functionName: 'realtimeEvents' });
    vi.spyOn(context, 'error').mockImplementation(() => undefined);
    const response = new HttpResponse((await events(request, context)) as HttpResponseInit);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  it('refuses an event without a valid token (401 problem+json), even one signed with some key', async () => {
    const bare = await send(cloudEvent());
    expect(bare.status).toBe(401);
    expect(bare.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bare.body.detail).toMatch(/managed identity/);
    const signature = `sha256=${createHmac('sha256', 'guessed-key').update('conn-1').digest('hex')}`;
    expect((await send(cloudEvent({ 'ce-signature': signature }))).status).toBe(401);
    expect((await send(cloudEvent({ authorization: 'Bearer not.a.token' }))).status).toBe(401);
  });

  it("answers the abuse-protection handshake for the configured service's host only", async () => {
    const options = (origin: string) => send(new HttpRequest({ method: 'OPTIONS', url: 'http://localhost/api/v1/realtime/webpubsub', headers: { 'webhook-request-origin': origin } }));
    expect((await options('wps-fx.webpubsub.azure.com')).headers.get('webhook-allowed-origin')).toBe('wps-fx.webpubsub.azure.com');
    expect((await options('evil.example.com')).headers.get('webhook-allowed-origin')).toBeNull();
  });
});

describe("the service's token", async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'entra-1', alg: 'RS256' }] });
  const verify = serviceTokenVerifier({ tenantId: TENANT, audience: AUDIENCE, principalId: SERVICE_PRINCIPAL }, keys);
  const token = async (claims: Record<string, unknown> = {}, options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string } = {}) =>
    `Bearer ${await new SignJWT({ oid: SERVICE_PRINCIPAL, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra-1' })
      .setIssuer(options.issuer ?? `https://sts.windows.net/${TENANT}/`)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(options.key ?? privateKey)}`;

  it("is accepted when Entra issued it in the tenant, for the audience, to the service's identity (v1 or v2 issuer)", async () => {
    expect(await verify(await token())).toBe(true);
    expect(await verify(await token({}, { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` }))).toBe(true);
  });

  it('is refused for another principal, audience, tenant or key, when expired, or when absent or garbled', async () => {
    expect(await verify(await token({ oid: '11111111-2222-4333-8444-555555555555' }))).toBe(false);
    expect(await verify(await token({}, { audience: 'https://management.azure.com/' }))).toBe(false);
    expect(await verify(await token({}, { issuer: 'https://sts.windows.net/00000000-0000-4000-8000-000000000000/' }))).toBe(false);
    expect(await verify(await token({}, { key: other.privateKey }))).toBe(false);
    expect(await verify(await token({}, { expiresIn: '-1m' }))).toBe(false);
    expect(await verify(null)).toBe(false);
    expect(await verify('Basic dXNlcjpwYXNz')).toBe(false);
    expect(await verify((await token()).replace('Bearer ', ''))).toBe(false);
  });
});
