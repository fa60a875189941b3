import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, newPipeline } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureBlobStorage } from '../../shared/adapters/blob/azure-blob';
import { projectRoot, tempDir } from '../helpers/host-process';
import { selfSignedCertificate } from '../helpers/tls-certificate';

/*
 * The production path: a token credential (managed identity in Azure) and user-delegation SAS.
 * Azurite serves Get User Delegation Key and checks user-delegation SAS only with `--oauth basic`,
 * which needs HTTPS; so this suite makes a throw-away self-signed certificate (openssl),
 * starts Azurite's blob service on it, and presents a bearer token shaped like Entra ID's
 * (Azurite checks issuer, audience and lifetime, not the signature). Clients trust the
 * certificate explicitly; nothing turns TLS verification off.
 */

const dir = tempDir('fx-blob-udk-');
let certFile: string;
let keyFile: string;
const tenantId = randomUUID();
const objectId = randomUUID();
let ca: Buffer;
let agent: Agent;
let azurite: ChildProcess | undefined;
let endpoint: string;

/** A bearer token with the claims Azurite's basic OAuth check reads (unsigned: Azurite does not verify signatures). */
const credential: TokenCredential = {
  async getToken() {
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { aud: 'https://storage.azure.com', iss: `https://sts.windows.net/${tenantId}/`, oid: objectId, tid: tenantId, iat: now, nbf: now - 60, exp: now + 3600 };
    return { token: `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`, expiresOnTimestamp: (now + 3600) * 1000 };
  },
};

/** A service client on the token credential that trusts the test certificate. */
function tokenClient(): BlobServiceClient {
  const pipeline = newPipeline(credential, { retryOptions: { maxTries: 1 } });
  pipeline.factories.push({
    create: (next) => ({
      sendRequest: (httpRequest) => {
        httpRequest.agent = agent;
        return next.sendRequest(httpRequest);
      },
    }),
  });
  return new BlobServiceClient(endpoint, pipeline);
}

/** What a browser does with a URL: one HTTPS request, no SDK, no credential. */
function send(url: string, method = 'GET', headers: Record<string, string> = {}, body?: Buffer) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(url, { method, headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
let storage: AzureBlobStorage;

beforeAll(async () => {
  ({ certFile, keyFile, cert: ca } = selfSignedCertificate(dir));
  agent = new Agent({ ca, keepAlive: true });
  const child = spawn(
    process.execPath,
    [
      path.join(projectRoot, 'node_modules/azurite/dist/src/blob/main.js'),
      '--silent',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--loose',
      '--location',
      path.join(dir, 'azurite'),
      '--blobPort',
      '0',
      '--cert',
      certFile,
      '--key',
      keyFile,
      '--oauth',
      'basic',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  azurite = child;
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Azurite (HTTPS, OAuth) did not start:\n${output}`)), 15_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      // Port 0: Azurite reports the port it bound.
      const listening = /successfully listens on (https:\S+)/.exec(output);
      if (listening) {
        endpoint = `${listening[1]}/devstoreaccount1`;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`Azurite exited with ${code}:\n${output}`)));
  });
  child.removeAllListeners('exit');
  storage = new AzureBlobStorage(tokenClient(), 'app-data');
  await storage.ensureContainer();
});

afterAll(async () => {
  agent?.destroy();
  const child = azurite;
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('user-delegation SAS (token credential, as with managed identity)', () => {
  it('signs with a delegation key, HTTPS only, and the upload URL works for that blob only', async () => {
    expect(storage.sasKind).toBe('user-delegation');
    const name = 'uploads/u-1/מסמך.pdf';
    const upload = await storage.createUploadUrl(name, { contentType: 'application/pdf', maxBytes: 10_000 });
    const params = new URL(upload.url).searchParams;
    expect(params.get('skoid')).toBe(objectId); // signed by the identity's delegation key
    expect(params.get('sktid')).toBe(tenantId);
    expect(params.get('spr')).toBe('https');
    expect(params.get('sp')).toBe('c');

    expect((await send(upload.url, 'PUT', upload.headers, PDF)).status).toBe(201);
    expect(await storage.download(name)).toEqual(PDF);

    const other = upload.url.replace(encodeURIComponent('מסמך.pdf'), 'other.pdf');
    expect(other).not.toBe(upload.url);
    expect((await send(other, 'PUT', upload.headers, PDF)).status).toBe(403);
    expect((await send(upload.url)).status).toBe(403);
    expect((await send(upload.url, 'PUT', upload.headers, PDF)).status).toBe(403); // no overwrite
  });

  it('is refused when the URL is tampered with (the signature covers the permissions)', async () => {
    const name = 'uploads/u-2/a.pdf';
    const upload = await storage.createUploadUrl(name, { contentType: 'application/pdf', maxBytes: 10_000 });
    const widened = upload.url.replace('sp=c', 'sp=rcw');
    expect((await send(widened, 'PUT', upload.headers, PDF)).status).toBe(403);
    expect((await send(widened)).status).toBe(403);
    expect(await storage.exists(name)).toBe(false);
  });

  it('gives a read-only download URL with the content disposition and stored type', async () => {
    const name = 'docs/d-1/plan.pdf';
    await storage.upload(name, PDF, { contentType: 'application/pdf' });
    const download = await storage.createDownloadUrl(name, { fileName: 'Plan HACCP.pdf' });
    expect(new URL(download.url).searchParams.get('skoid')).toBe(objectId);
    const response = await send(download.url);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="Plan HACCP.pdf"');
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.body).toEqual(PDF);
    expect((await send(download.url, 'PUT', { 'x-ms-blob-type': 'BlockBlob' }, PDF)).status).toBe(403);
  });

  it('refuses an expired user-delegation SAS', async () => {
    const halfHourAgo = new AzureBlobStorage(tokenClient(), 'app-data', { now: () => Date.now() - 30 * 60_000 });
    const upload = await halfHourAgo.createUploadUrl('uploads/late/a.pdf', { contentType: 'application/pdf', maxBytes: 1024 });
    expect((await send(upload.url, 'PUT', upload.headers, PDF)).status).toBe(403);
    expect(await storage.exists('uploads/late/a.pdf')).toBe(false);
  });

  it('asks for one delegation key for many URLs, and a new one shortly before it expires', async () => {
    let now = Date.now();
    const clocked = new AzureBlobStorage(tokenClient(), 'app-data', { now: () => now });
    await storage.upload('docs/d-2/x.pdf', PDF, { contentType: 'application/pdf' });
    await Promise.all([
      ...Array.from({ length: 5 }, (_, index) => clocked.createUploadUrl(`uploads/many/${index}.pdf`, { contentType: 'application/pdf', maxBytes: 1024 })),
      clocked.createDownloadUrl('docs/d-2/x.pdf'),
    ]);
    expect(clocked.delegationKeyRequests).toBe(1);

    // The key is asked for an hour; it is still used while it outlives any SAS (15 min) plus the clock skew (5 min)...
    now += 39 * 60_000;
    await clocked.createUploadUrl('uploads/many/later.pdf', { contentType: 'application/pdf', maxBytes: 1024 });
    expect(clocked.delegationKeyRequests).toBe(1);
    // ...and replaced once it would not.
    now += 2 * 60_000;
    await clocked.createUploadUrl('uploads/many/later-still.pdf', { contentType: 'application/pdf', maxBytes: 1024 });
    expect(clocked.delegationKeyRequests).toBe(2);
  });

  it('verifies an upload made through a user-delegation URL', async () => {
    const name = 'uploads/u-3/cert.pdf';
    const upload = await storage.createUploadUrl(name, { contentType: 'application/pdf', maxBytes: 10_000 });
    expect((await send(upload.url, 'PUT', upload.headers, PDF)).status).toBe(201);
    expect(await storage.verifyUpload(name, { maxBytes: 10_000, allowedContentTypes: ['application/pdf'] })).toMatchObject({ contentType: 'application/pdf', size: PDF.length });
  });
});
