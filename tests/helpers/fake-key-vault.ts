import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Agent } from 'node:https';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { tempDir } from './host-process';
import { type LoopbackAnswer, type LoopbackRequest, LoopbackServer } from './loopback-server';
import { selfSignedCertificate } from './tls-certificate';

interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  created: number;
}

export const KEY_VAULT_SCOPE = 'https://vault.azure.net/.default';
const TOKEN = 'fake-key-vault-token';

/**
 * A stand-in for Key Vault's secrets REST API as its reference documents it, on HTTPS (the SDK
 * sends tokens only over TLS) with a throw-away certificate its `agent` trusts: the challenge a
 * request without a token gets (401 with `WWW-Authenticate: Bearer authorization=…, resource=…`),
 * then a bearer token; `api-version` required; `GET /secrets/{name}[/{version}]` (the latest
 * version without one; 404 `SecretNotFound` when absent), `PUT /secrets/{name}` (a new version),
 * both answering with the secret bundle (`value`, `id`, `contentType`, `attributes`). With
 * `readOnly`, writes are 403 `Forbidden` as for an identity holding only "Key Vault Secrets User".
 */
export class FakeKeyVault {
  readonly secrets = new Map<string, SecretVersion[]>();
  readOnly = false;
  /** The scopes the credential was asked for: what the challenge told the SDK. */
  readonly requestedScopes: string[] = [];

  private constructor(
    private readonly server: LoopbackServer,
    /** An HTTPS agent that trusts this vault's certificate, for the SDK client's `agent` option. */
    readonly agent: Agent,
  ) {}

  static async start(): Promise<FakeKeyVault> {
    const dir = tempDir('fx-key-vault-');
    const tls = selfSignedCertificate(dir);
    rmSync(dir, { recursive: true, force: true });
    let fake: FakeKeyVault | undefined;
    const server = await LoopbackServer.start((request) => fake!.handle(request), tls);
    fake = new FakeKeyVault(server, new Agent({ ca: tls.cert, keepAlive: true }));
    return fake;
  }

  get vaultUri(): string {
    return this.server.endpoint;
  }

  /** The credential the app's identity would be: it hands out the token this vault accepts. */
  get credential(): TokenCredential {
    return {
      getToken: async (scopes): Promise<AccessToken> => {
        this.requestedScopes.push(...[scopes].flat());
        return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
  }

  /** The latest value stored under `name`, as an operator would see it in the portal. */
  latest(name: string): SecretVersion | undefined {
    return this.secrets.get(name)?.at(-1);
  }

  stop(): Promise<void> {
    this.agent.destroy();
    return this.server.stop();
  }

  private handle(request: LoopbackRequest): LoopbackAnswer {
    if (!request.headers.authorization) {
      return {
        ...failure(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.'),
        headers: { 'www-authenticate': 'Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net"' },
      };
    }
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return failure(401, 'Unauthorized', 'AKV10032: Invalid issuer.');
    if (!request.url.searchParams.get('api-version')) return failure(400, 'BadParameter', 'The request URI contains an invalid or missing api-version.');
    const route = /^\/secrets\/([0-9a-zA-Z-]{1,127})(?:\/([0-9a-f]*))?\/?$/.exec(request.url.pathname);
    if (!route) return failure(404, 'NotFound', 'The requested resource was not found.');
    const [, name, version] = route as unknown as [string, string, string | undefined];
    if (request.method === 'GET') {
      const versions = this.secrets.get(name) ?? [];
      const found = version ? versions.find((candidate) => candidate.version === version) : versions.at(-1);
      if (!found) return failure(404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
      return { status: 200, json: this.bundle(name, found) };
    }
    if (request.method === 'PUT' && !version) {
      if (this.readOnly) return failure(403, 'Forbidden', `Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'`);
      const body = JSON.parse(request.body.toString('utf8')) as { value?: unknown; contentType?: string };
      if (typeof body.value !== 'string') return failure(400, 'BadParameter', 'Property value is required.');
      const stored: SecretVersion = { version: randomBytes(16).toString('hex'), value: body.value, contentType: body.contentType, created: Math.floor(Date.now() / 1000) };
      this.secrets.set(name, [...(this.secrets.get(name) ?? []), stored]);
      return { status: 200, json: this.bundle(name, stored) };
    }
    return failure(405, 'MethodNotAllowed', 'The requested method is not allowed.');
  }

  private bundle(name: string, secret: SecretVersion) {
    return {
      value: secret.value,
      contentType: secret.contentType,
      id: `${this.vaultUri}/secrets/${name}/${secret.version}`,
      attributes: { enabled: true, created: secret.created, updated: secret.created, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
      tags: {},
    };
  }
}

const failure = (status: number, code: string, message: string): LoopbackAnswer => ({ status, json: { error: { code, message } } });
