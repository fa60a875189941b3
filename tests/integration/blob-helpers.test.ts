import { AnonymousCredential, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, safeFileName } from '../../shared/blob/content-disposition';
import { normalizeContentType, SNIFF_BYTES, sniffContentType } from '../../shared/blob/content-sniffing';
import { AzureBlobStorage } from '../../shared/adapters/blob/azure-blob';
import { ConfigError, loadConfig } from '../../shared/config';

/*
 * The parts of the blob helpers that need no server: content sniffing, Content-Disposition,
 * how SAS are signed for each kind of endpoint and credential, and the composition root.
 */

const KEY = Buffer.alloc(64, 7).toString('base64');
const bytes = (...values: (number | string)[]) => Buffer.concat(values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]))));

describe('content sniffing', () => {
  it.each([
    ['PDF', bytes('%PDF-1.7\n'), 'application/pdf'],
    ['PNG', bytes(0x89, 'PNG\r\n\x1a\n', 0, 0, 0, 13), 'image/png'],
    ['JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'), 'image/jpeg'],
    ['JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1, 0, 0x10, 'Exif'), 'image/jpeg'],
    ['GIF', bytes('GIF89a'), 'image/gif'],
    ['WebP', bytes('RIFF', 1, 2, 3, 4, 'WEBPVP8 '), 'image/webp'],
    ['Windows executable', bytes('MZ', 0x90, 0), 'application/x-msdownload'],
    ['ELF', bytes(0x7f, 'ELF', 2), 'application/x-executable'],
    ['shell script', bytes('#!/bin/sh\n'), 'application/x-sh'],
    ['ZIP / docx', bytes('PK', 3, 4, 20, 0), 'application/zip'],
    ['HTML, any case', bytes('<!DocType HTML><p>'), 'text/html'],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg">'), 'image/svg+xml'],
  ])('recognises %s', (_label, head, type) => {
    expect(sniffContentType(head)?.type).toBe(type);
  });

  it.each([
    ['text', bytes('hello')],
    ['a PDF marker not at the start', bytes(' %PDF-1.7')],
    ['a truncated PNG signature', bytes(0x89, 'PNG')],
    ['RIFF that is not WebP', bytes('RIFF', 1, 2, 3, 4, 'WAVEfmt ')],
    ['nothing', Buffer.alloc(0)],
  ])('does not recognise %s', (_label, head) => {
    expect(sniffContentType(head)).toBeUndefined();
  });

  it('needs only the first few bytes', () => {
    expect(SNIFF_BYTES).toBeGreaterThanOrEqual(12);
    expect(SNIFF_BYTES).toBeLessThanOrEqual(64);
  });

  it('folds media type parameters, case and aliases', () => {
    expect(normalizeContentType('Image/JPG; charset=binary')).toBe('image/jpeg');
    expect(normalizeContentType('application/pdf')).toBe('application/pdf');
    expect(normalizeContentType('')).toBeUndefined();
    expect(normalizeContentType(undefined)).toBeUndefined();
  });
});

describe('Content-Disposition', () => {
  it.each([
    ['report.pdf', 'attachment; filename="report.pdf"'],
    ['HACCP plan.pdf', 'attachment; filename="HACCP plan.pdf"'],
    ['Zoë.pdf', `attachment; filename="Zo_.pdf"; filename*=UTF-8''Zo%C3%AB.pdf`],
    ["it's (final)*.pdf", `attachment; filename="it's (final)*.pdf"`],
    ["día (final)'*.pdf", `attachment; filename="d_a (final)'*.pdf"; filename*=UTF-8''d%C3%ADa%20%28final%29%27%2A.pdf`],
    ['a/b/../c.pdf', 'attachment; filename="c.pdf"'],
    ['C:\\Users\\x\\evil.pdf', 'attachment; filename="evil.pdf"'],
    ['"quoted"\r\n.pdf', 'attachment; filename="quoted.pdf"'],
    ['..', 'attachment; filename="download"'],
    ['', 'attachment; filename="download"'],
  ])('%j → %s', (fileName, header) => {
    expect(attachmentDisposition(fileName)).toBe(header);
    expect(header).toMatch(/^[\x20-\x7e]+$/); // a header value is ASCII
  });

  it('keeps at most 200 characters without splitting an emoji', () => {
    const name = safeFileName(`${'🍞'.repeat(250)}.pdf`);
    expect([...name]).toHaveLength(200);
    expect(() => encodeURIComponent(name)).not.toThrow();
  });
});

describe('how SAS are signed', () => {
  const name = 'uploads/u-1/a.pdf';
  const upload = (storage: AzureBlobStorage) => storage.createUploadUrl(name, { contentType: 'application/pdf', maxBytes: 1024 });

  it('over HTTPS, an account key signs an HTTPS-only SAS (no network needed)', async () => {
    const service = new BlobServiceClient('https://fxacct.blob.core.windows.net', new StorageSharedKeyCredential('fxacct', KEY));
    const storage = new AzureBlobStorage(service, 'app-data');
    expect(storage.sasKind).toBe('account-key');
    const { url } = await upload(storage);
    expect(url.startsWith('https://fxacct.blob.core.windows.net/app-data/uploads/u-1/a.pdf?')).toBe(true);
    const params = new URL(url).searchParams;
    expect(params.get('spr')).toBe('https');
    expect(params.get('sv')).toBe('2025-07-05');
    expect(params.get('skoid')).toBeNull();
  });

  it('refuses to sign a plain-HTTP SAS for an Azure storage account', async () => {
    const service = new BlobServiceClient('http://fxacct.blob.core.windows.net', new StorageSharedKeyCredential('fxacct', KEY));
    await expect(upload(new AzureBlobStorage(service, 'app-data'))).rejects.toThrow(/plain HTTP/);
  });

  it('uses user-delegation SAS with a token credential', () => {
    const service = new BlobServiceClient('https://fxacct.blob.core.windows.net', { getToken: async () => null });
    expect(new AzureBlobStorage(service, 'app-data').sasKind).toBe('user-delegation');
  });

  it('says clearly when the client can sign nothing (a SAS-only connection)', async () => {
    const service = new BlobServiceClient('https://fxacct.blob.core.windows.net?sv=x&sig=y', new AnonymousCredential());
    const storage = new AzureBlobStorage(service, 'app-data');
    expect(storage.sasKind).toBeUndefined();
    await expect(upload(storage)).rejects.toThrow(/neither a shared key nor a token credential/);
  });

  it('refuses an invalid container name', () => {
    const service = new BlobServiceClient('https://fxacct.blob.core.windows.net', new StorageSharedKeyCredential('fxacct', KEY));
    expect(() => new AzureBlobStorage(service, 'App_Data')).toThrow(/Invalid blob container name/);
  });
});

describe('BLOB_DATA_CONTAINER', () => {
  it('defaults to app-data and accepts Azure container names', () => {
    expect(loadConfig({}).blobDataContainer).toBe('app-data');
    expect(loadConfig({ BLOB_DATA_CONTAINER: 'fx-docs-2' }).blobDataContainer).toBe('fx-docs-2');
    expect(loadConfig({ BLOB_DATA_CONTAINER: 'a'.repeat(63) }).blobDataContainer).toHaveLength(63);
  });

  it.each(['ab', 'a'.repeat(64), 'App-Data', 'app_data', '-app', 'app-', 'app--data'])('refuses BLOB_DATA_CONTAINER=%j, naming the setting', (value) => {
    expect(() => loadConfig({ BLOB_DATA_CONTAINER: value })).toThrow(ConfigError);
    expect(() => loadConfig({ BLOB_DATA_CONTAINER: value })).toThrow(/BLOB_DATA_CONTAINER/);
  });
});
