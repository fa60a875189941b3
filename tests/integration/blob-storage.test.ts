import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStorage } from '../../shared/blob/blob-storage';
import { Azurite } from '../../shared/local-host/azurite';
import { tempDir } from '../helpers/host-process';

// Against a real Azurite, started here on free ports.
const azurite = new Azurite(tempDir('fx-blob-'));
let storage: BlobStorage;

/** The smallest well-formed PDF a viewer opens. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode', 'latin1');
const rules = { maxBytes: 10 * 1024, allowedContentTypes: ['application/pdf', 'image/png', 'image/jpeg'] };

beforeAll(async () => {
  const { connectionString } = await azurite.reserve();
  await azurite.start();
  storage = new BlobStorage(BlobServiceClient.fromConnectionString(connectionString), 'app-data');
  await storage.ensureContainer();
  await storage.ensureContainer(); // idempotent
});
afterAll(async () => {
  await azurite.stop();
});

const put = (url: string, headers: Record<string, string>, body: Buffer) => fetch(url, { method: 'PUT', headers, body });

describe('blob storage on Azurite', () => {
  it('round-trips a file with a unicode name: upload, download, stream, exists, delete', async () => {
    const name = 'experts/e-1/תעודה-כשרות 🍞.pdf';
    await storage.upload(name, PDF, { contentType: 'application/pdf', metadata: { owner: 'e-1' } });
    expect(await storage.download(name)).toEqual(PDF);
    const { body, contentType, contentLength } = await storage.stream(name);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(PDF);
    expect(contentType).toBe('application/pdf');
    expect(contentLength).toBe(PDF.length);
    expect(await storage.exists(name)).toBe(true);
    await storage.delete(name);
    await storage.delete(name); // idempotent
    expect(await storage.exists(name)).toBe(false);
  });

  it('lets a client PUT through an upload URL, for that blob only and never to read', async () => {
    const upload = await storage.createUploadUrl('uploads/u-1/cert.pdf', { contentType: 'application/pdf', maxBytes: rules.maxBytes });
    expect(upload.method).toBe('PUT');
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    expect((await put(upload.url, upload.headers, PDF)).status).toBe(201);
    expect(await storage.download('uploads/u-1/cert.pdf')).toEqual(PDF);

    const otherBlob = upload.url.replace('cert.pdf', 'other.pdf');
    expect((await put(otherBlob, upload.headers, PDF)).status).toBe(403);
    expect((await fetch(upload.url)).status).toBe(403);
  });

  it('refuses an upload URL once it has expired', async () => {
    const upload = await storage.createUploadUrl('uploads/u-2/late.pdf', { contentType: 'application/pdf', maxBytes: 1024, expiresInSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await put(upload.url, upload.headers, PDF)).status).toBe(403);
  });

  it('gives a read-only download URL that returns the bytes as an attachment', async () => {
    await storage.upload('docs/d-1/report.pdf', PDF, { contentType: 'application/pdf' });
    const { url } = await storage.createDownloadUrl('docs/d-1/report.pdf', { fileName: 'HACCP plan.pdf' });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="HACCP plan.pdf"');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PDF);
    expect((await put(url, { 'x-ms-blob-type': 'BlockBlob' }, PNG)).status).toBe(403);
  });

  it.each([
    ['a real PDF', PDF, 'application/pdf', true],
    ['a real PNG', PNG, 'image/png', true],
    ['a PNG uploaded as a PDF', PNG, 'application/pdf', 'image/png'],
    ['an executable claiming to be a PDF', EXE, 'application/pdf', false],
    ['an empty file', Buffer.alloc(0), 'application/pdf', false],
  ])('verifies %s by its content, not its header', async (_label, bytes, claimed, expected) => {
    const name = `uploads/verify/${Math.random().toString(36).slice(2)}`;
    const upload = await storage.createUploadUrl(name, { contentType: claimed, maxBytes: rules.maxBytes });
    await put(upload.url, upload.headers, bytes);
    if (expected === false) {
      await expect(storage.verifyUpload(name, rules)).rejects.toMatchObject({ kind: 'validation' });
      expect(await storage.exists(name)).toBe(false);
    } else {
      const result = await storage.verifyUpload(name, rules);
      expect(result.contentType).toBe(expected === true ? claimed : expected);
      expect(result.size).toBe(bytes.length);
    }
  });

  it('rejects and deletes an upload over the size limit', async () => {
    const name = 'uploads/big/too-big.pdf';
    const upload = await storage.createUploadUrl(name, { contentType: 'application/pdf', maxBytes: 1024 });
    await put(upload.url, upload.headers, Buffer.concat([PDF, Buffer.alloc(4096, 0x20)]));
    await expect(storage.verifyUpload(name, { ...rules, maxBytes: 1024 })).rejects.toMatchObject({ kind: 'payload_too_large' });
    expect(await storage.exists(name)).toBe(false);
  });

  it.each(['../escape.pdf', '/absolute.pdf', 'a//b.pdf', 'a/./b', 'dir/', ''])('refuses the blob name %j', async (name) => {
    await expect(storage.upload(name, PDF, { contentType: 'application/pdf' })).rejects.toMatchObject({ kind: 'validation' });
  });
});
