import { rmSync } from 'node:fs';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureBlobStorage } from '../../shared/adapters/blob/azure-blob';
import { Azurite } from '../../shared/local-host/azurite';
import { tempDir } from '../helpers/host-process';
import { minimalPdf } from '../helpers/sample-files';
import { blobStorageContract, REFUSED_NAMES } from './blob.contract';

/*
 * The Azure Blob adapter against a real Azurite, started here (on ports it picks) and stopped
 * afterwards. Azurite holds the development account's shared key, so SAS URLs here are
 * account-key SAS (the user-delegation path is in tests/integration/blob-sas-delegation.test.ts).
 */

const dataDir = tempDir('fx-blob-');
const azurite = new Azurite(dataDir);
let service: BlobServiceClient;
let containers = 0;

beforeAll(async () => {
  service = BlobServiceClient.fromConnectionString((await azurite.start()).connectionString);
});

afterAll(async () => {
  await azurite.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

blobStorageContract('Azure Blob Storage on Azurite', {
  storage: (options) => new AzureBlobStorage(service, 'app-data', options),
  uncreated: () => new AzureBlobStorage(service, `not-yet-created-${++containers}`),
});

describe('Azure Blob adapter specifics', () => {
  const PDF = minimalPdf();
  const storage = () => new AzureBlobStorage(service, 'app-data');
  const listed = async (prefix?: string) => {
    const names: string[] = [];
    for await (const item of service.getContainerClient('app-data').listBlobsFlat({ prefix })) names.push(item.name);
    return names;
  };

  it('answers the ping of a missing container with the service 404', async () => {
    await expect(new AzureBlobStorage(service, `not-yet-created-${++containers}`).ping()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('stores a unicode name as given, not percent-encoded twice or normalised', async () => {
    const name = 'experts/e-2/תעודה כשרות — 🍞 ü.pdf';
    await storage().upload(name, PDF, { contentType: 'application/pdf' });
    expect(await listed('experts/e-2/')).toEqual([name]);
  });

  it('creates the container with no public access level', async () => {
    await storage().ensureContainer();
    expect((await service.getContainerClient('app-data').getProperties()).blobPublicAccess).toBeUndefined();
  });

  it('signs an upload SAS for create only, on one blob, from a few minutes back for slow clocks, and a download SAS for read only', async () => {
    const before = Date.now();
    const upload = await storage().createUploadUrl('uploads/sas/a.pdf', { contentType: 'application/pdf', maxBytes: 10_000 });
    expect(upload.headers).toEqual({ 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/pdf' });
    const params = new URL(upload.url).searchParams;
    expect(params.get('sp')).toBe('c'); // create only: no read, no overwrite, no delete
    expect(params.get('sr')).toBe('b'); // one blob, not the container
    expect(params.get('spr')).toBe('https,http'); // plain HTTP only because Azurite listens on it
    expect(params.get('se')).toBe(upload.expiresAt.replace('.000Z', 'Z'));
    expect(before - Date.parse(params.get('st')!)).toBeGreaterThanOrEqual(4 * 60_000);

    await storage().upload('uploads/sas/b.pdf', PDF, { contentType: 'application/pdf' });
    expect(new URL((await storage().createDownloadUrl('uploads/sas/b.pdf')).url).searchParams.get('sp')).toBe('r');
  });

  it('refuses a listing of the container through an upload SAS', async () => {
    const upload = await storage().createUploadUrl('uploads/sas/c.pdf', { contentType: 'application/pdf', maxBytes: 10_000 });
    const containerUrl = `${service.getContainerClient('app-data').url}${new URL(upload.url).search}&restype=container&comp=list`;
    expect((await fetch(containerUrl)).status).toBe(403);
  });

  it('writes nothing for a refused name', async () => {
    for (const [, name] of REFUSED_NAMES) await expect(storage().upload(name, PDF, { contentType: 'application/pdf' })).rejects.toMatchObject({ kind: 'validation' });
    const names = await listed();
    expect(names.filter((name) => name.includes('escape') || name.includes('admin') || name.startsWith('/') || name.includes('\\'))).toEqual([]);
  });
});
