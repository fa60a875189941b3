/**
 * The blob-port contract (shared/blob/port.ts), spoken only through the port, with every URL used
 * the way a browser would: plain fetch, no SDK, no credential. The port has one adapter, Azure
 * Blob Storage, run here against Azurite (blob-azure.test.ts): the SDK points at the emulator and
 * only the connection setting changes, so there is no local twin to run it against as well.
 */
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BlobStorage } from '../../shared/blob/port';
import { documentProblem } from '../../shared/domain/experts/document-problem';
import { JPEG_HEAD, minimalPdf, minimalPng, PDF_MAGIC_ONLY, windowsExecutable } from '../helpers/sample-files';

export interface BlobContractTarget {
  /** The port over the suite's container; `now` is the clock its URLs are signed with (to make expired ones). */
  storage(options?: { now?: () => number }): BlobStorage;
  /** The port over a container nobody has created yet, a new one each call. */
  uncreated(): BlobStorage;
}

const PDF = minimalPdf();
const PNG = minimalPng();
const EXE = windowsExecutable();
const ACCEPTED = ['application/pdf', 'image/png', 'image/jpeg'];

/** Names that could escape the prefix they were built under, each refused by every operation. */
export const REFUSED_NAMES: [label: string, name: string][] = [
  ['traversal', '../escape.pdf'],
  ['traversal inside', 'uploads/u-1/../../admin/x.pdf'],
  ['a dot segment', 'uploads/./x.pdf'],
  ['a leading slash', '/absolute.pdf'],
  ['an empty segment', 'uploads//x.pdf'],
  ['a trailing slash', 'uploads/'],
  ['nothing', ''],
  ['a backslash', 'uploads\\..\\x.pdf'],
  ['a control character', 'uploads/x\u0000.pdf'],
  ['a lone surrogate', 'uploads/\ud800.pdf'],
  ['more than 1024 characters', `n/${'x'.repeat(1023)}`],
];

const put = (url: string, headers: Record<string, string>, body: Buffer) => fetch(url, { method: 'PUT', headers, body: new Uint8Array(body) });
const unique = (prefix: string) => `${prefix}/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
/** The same signed URL pointed at another blob: the URL names its blob in its path. */
const elsewhere = (url: string, name: string, other: string) => {
  const moved = url.replace(name, other);
  expect(moved).not.toBe(url);
  return moved;
};

export function blobStorageContract(adapterName: string, target: BlobContractTarget): void {
  describe(`blob storage contract: ${adapterName}`, () => {
    let storage: BlobStorage;
    beforeAll(async () => {
      storage = target.storage();
      await storage.ensureContainer();
    });

    /** Uploads through a fresh upload URL, as a client would; returns the PUT's status. */
    async function clientUpload(name: string, bytes: Buffer, contentType: string, maxBytes = 10_000): Promise<number> {
      const upload = await storage.createUploadUrl(name, { contentType, maxBytes });
      return (await put(upload.url, upload.headers, bytes)).status;
    }

    describe('readiness ping', () => {
      it('fails while the container is missing and passes once it is ensured', async () => {
        const other = target.uncreated();
        await expect(other.ping()).rejects.toThrow();
        await other.ensureContainer();
        await other.ensureContainer(); // idempotent
        await expect(other.ping()).resolves.toBeUndefined();
      });
    });

    describe('upload, download, stream, delete', () => {
      it('round-trips a file with a unicode name, with its type and metadata', async () => {
        const name = 'experts/e-1/תעודה כשרות — 🍞 ü.pdf';
        await storage.upload(name, PDF, { contentType: 'application/pdf', metadata: { owner: 'e_1', kind: 'certificate' } });

        expect(await storage.exists(name)).toBe(true);
        expect(await storage.download(name)).toEqual(PDF);
        const properties = await storage.properties(name);
        expect(properties).toMatchObject({ name, contentType: 'application/pdf', contentLength: PDF.length, metadata: { owner: 'e_1', kind: 'certificate' } });

        const stored = await storage.stream(name);
        expect(stored.contentType).toBe('application/pdf');
        expect(stored.contentLength).toBe(PDF.length);
        const chunks: Buffer[] = [];
        for await (const chunk of stored.body) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks)).toEqual(PDF);

        await storage.delete(name);
        await storage.delete(name); // idempotent
        expect(await storage.exists(name)).toBe(false);
        await expect(storage.download(name)).rejects.toMatchObject({ kind: 'not_found' });
        await expect(storage.stream(name)).rejects.toMatchObject({ kind: 'not_found' });
        await expect(storage.properties(name)).rejects.toMatchObject({ kind: 'not_found' });
      });

      it('uploads from a stream', async () => {
        const name = 'reports/r-1/日本語 report.txt';
        const parts = ['line one\n', 'línea dos\n', '三行目\n'];
        await storage.upload(name, Readable.from(parts.map((part) => Buffer.from(part))), { contentType: 'text/plain; charset=utf-8' });
        expect((await storage.download(name)).toString('utf8')).toBe(parts.join(''));
        expect((await storage.properties(name)).contentType).toBe('text/plain; charset=utf-8');
      });

      it('keeps the container private: the URL without its signature is refused', async () => {
        const name = 'private/secret.pdf';
        await storage.upload(name, PDF, { contentType: 'application/pdf' });
        const plainUrl = (await storage.createDownloadUrl(name)).url.split('?')[0]!;
        const response = await fetch(plainUrl);
        // Azure answers 404 to an anonymous reader of a private container; Azurite answers 403.
        expect([403, 404]).toContain(response.status);
        expect(Buffer.from(await response.arrayBuffer()).includes(PDF.subarray(0, 16))).toBe(false);
        await storage.ensureContainer(); // idempotent, and does not open it up
        expect([403, 404]).toContain((await fetch(plainUrl)).status);
      });

      it('refuses metadata that cannot travel as a header, and a malformed content type', async () => {
        await expect(storage.upload('m/1.pdf', PDF, { contentType: 'application/pdf', metadata: { 'bad-name': 'x' } })).rejects.toMatchObject({ kind: 'validation' });
        await expect(storage.upload('m/1.pdf', PDF, { contentType: 'application/pdf', metadata: { owner: 'Zoë' } })).rejects.toMatchObject({ kind: 'validation' });
        await expect(storage.upload('m/1.pdf', PDF, { contentType: 'pdf' })).rejects.toMatchObject({ kind: 'validation' });
        expect(await storage.exists('m/1.pdf')).toBe(false);
      });
    });

    describe('blob names', () => {
      const longest = `n/${'x'.repeat(1022)}`;

      it.each(REFUSED_NAMES)('refuses %s on every operation', async (_label, name) => {
        const refused = { kind: 'validation', message: expect.stringMatching(/^Invalid blob name/) };
        await expect(storage.upload(name, PDF, { contentType: 'application/pdf' })).rejects.toMatchObject(refused);
        await expect(storage.download(name)).rejects.toMatchObject(refused);
        await expect(storage.stream(name)).rejects.toMatchObject(refused);
        await expect(storage.exists(name)).rejects.toMatchObject(refused);
        await expect(storage.properties(name)).rejects.toMatchObject(refused);
        await expect(storage.delete(name)).rejects.toMatchObject(refused);
        await expect(storage.createUploadUrl(name, { contentType: 'application/pdf', maxBytes: 1024 })).rejects.toMatchObject(refused);
        await expect(storage.createDownloadUrl(name)).rejects.toMatchObject(refused);
        await expect(storage.verifyUpload(name, { maxBytes: 1024, allowedContentTypes: ACCEPTED })).rejects.toMatchObject(refused);
      });

      it('accepts a name of exactly 1024 characters', async () => {
        expect(longest).toHaveLength(1024);
        await storage.upload(longest, PDF, { contentType: 'application/pdf' });
        expect(await storage.download(longest)).toEqual(PDF);
        await storage.delete(longest);
      });
    });

    describe('upload URLs', () => {
      it('lets a client PUT one file to that blob, with the stored type it declared, for five minutes by default', async () => {
        const name = 'uploads/u-1/תעודה.pdf';
        const before = Date.now();
        const upload = await storage.createUploadUrl(name, { contentType: 'application/pdf', maxBytes: 10_000 });

        expect(upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'application/pdf' }, maxBytes: 10_000 });
        const lifetime = Date.parse(upload.expiresAt) - before;
        expect(lifetime).toBeGreaterThan(298_000);
        expect(lifetime).toBeLessThanOrEqual(300_000);

        const response = await put(upload.url, upload.headers, PDF);
        expect(response.status).toBe(201);
        expect(await storage.download(name)).toEqual(PDF);
        expect((await storage.properties(name)).contentType).toBe('application/pdf');
      });

      it('is refused for another blob, for a read, a delete, and a second PUT that would overwrite', async () => {
        const name = 'uploads/u-2/cert.pdf';
        const upload = await storage.createUploadUrl(name, { contentType: 'application/pdf', maxBytes: 10_000 });

        expect((await put(elsewhere(upload.url, name, 'uploads/u-2/other.pdf'), upload.headers, PDF)).status).toBe(403);
        expect((await put(elsewhere(upload.url, name, 'uploads/u-3/cert.pdf'), upload.headers, PDF)).status).toBe(403);
        expect(await storage.exists('uploads/u-2/other.pdf')).toBe(false);
        expect(await storage.exists('uploads/u-3/cert.pdf')).toBe(false);

        expect((await put(upload.url, upload.headers, PDF)).status).toBe(201);
        expect((await fetch(upload.url)).status).toBe(403);
        expect((await fetch(upload.url, { method: 'DELETE' })).status).toBe(403);

        // Once the file is there, the same URL cannot replace it.
        expect((await put(upload.url, upload.headers, EXE)).status).toBe(403);
        expect(await storage.download(name)).toEqual(PDF);
      });

      it('is refused once expired (an URL made with a clock an hour behind), while a live one works', async () => {
        const expired = await target.storage({ now: () => Date.now() - 3_600_000 }).createUploadUrl('uploads/late/a.pdf', { contentType: 'application/pdf', maxBytes: 1024 });
        expect(Date.parse(expired.expiresAt)).toBeLessThan(Date.now());
        const refused = await put(expired.url, expired.headers, PDF);
        expect(refused.status).toBe(403);
        expect(await refused.text()).toMatch(/AuthorizationFailure|not authorized/i);
        expect(await storage.exists('uploads/late/a.pdf')).toBe(false);

        const live = await target.storage({ now: () => Date.now() - 60_000 }).createUploadUrl('uploads/late/b.pdf', { contentType: 'application/pdf', maxBytes: 1024 });
        expect((await put(live.url, live.headers, PDF)).status).toBe(201);
      });

      it('is refused after a one-second lifetime has passed (an URL made with a clock two seconds behind)', async () => {
        const twoSecondsAgo = target.storage({ now: () => Date.now() - 2_000 });
        const upload = await twoSecondsAgo.createUploadUrl('uploads/late/c.pdf', { contentType: 'application/pdf', maxBytes: 1024, expiresInSeconds: 1 });
        expect(Date.parse(upload.expiresAt)).toBeLessThan(Date.now());
        expect((await put(upload.url, upload.headers, PDF)).status).toBe(403);
        expect(await storage.exists('uploads/late/c.pdf')).toBe(false);
      });

      it.each([0, -5, 1.5, 901, 3600])('refuses a lifetime of %s seconds (1 to 900 allowed)', async (expiresInSeconds) => {
        await expect(storage.createUploadUrl('uploads/x.pdf', { contentType: 'application/pdf', maxBytes: 1024, expiresInSeconds })).rejects.toMatchObject({
          kind: 'validation',
          issues: [{ field: 'expiresInSeconds' }],
        });
      });

      it('allows the 900-second maximum', async () => {
        const before = Date.now();
        const upload = await storage.createUploadUrl('uploads/x.pdf', { contentType: 'application/pdf', maxBytes: 1024, expiresInSeconds: 900 });
        expect(Date.parse(upload.expiresAt) - before).toBeGreaterThan(898_000);
        expect(Date.parse(upload.expiresAt) - before).toBeLessThanOrEqual(900_000);
      });

      it.each([0, -1, 1.5, Number.NaN])('refuses maxBytes %s', async (maxBytes) => {
        await expect(storage.createUploadUrl('uploads/x.pdf', { contentType: 'application/pdf', maxBytes })).rejects.toMatchObject({ kind: 'validation' });
      });
    });

    describe('download URLs', () => {
      it('returns the bytes read-only, as an attachment with the stored type and a unicode file name', async () => {
        const name = 'docs/d-1/report.pdf';
        await storage.upload(name, PDF, { contentType: 'application/pdf' });
        const download = await storage.createDownloadUrl(name, { fileName: 'HACCP plan – תכנית.pdf', expiresInSeconds: 120 });
        expect(download).toMatchObject({ method: 'GET', contentType: 'application/pdf', fileName: 'HACCP plan – תכנית.pdf' });

        const response = await fetch(download.url);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/pdf');
        const disposition = response.headers.get('content-disposition')!;
        expect(disposition).toBe(`attachment; filename="HACCP plan _ _____.pdf"; filename*=UTF-8''HACCP%20plan%20%E2%80%93%20%D7%AA%D7%9B%D7%A0%D7%99%D7%AA.pdf`);
        // What a browser saves it as: the RFC 8187 name, decoded.
        expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe('HACCP plan – תכנית.pdf');
        expect(Buffer.from(await response.arrayBuffer())).toEqual(PDF);

        // Read-only: no overwrite, no delete.
        expect((await put(download.url, { 'x-ms-blob-type': 'BlockBlob' }, PNG)).status).toBe(403);
        expect((await fetch(download.url, { method: 'DELETE' })).status).toBe(403);
        expect(await storage.download(name)).toEqual(PDF);
      });

      it('names the file after the blob by default, and keeps an ASCII name as it is', async () => {
        const name = 'docs/d-2/label-artwork.png';
        await storage.upload(name, PNG, { contentType: 'image/png' });
        const response = await fetch((await storage.createDownloadUrl(name)).url);
        expect(response.headers.get('content-disposition')).toBe('attachment; filename="label-artwork.png"');
        expect(response.headers.get('content-type')).toBe('image/png');
        expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG);
      });

      it("ends the file name with the stored type's extension, whatever the caller named it", async () => {
        const name = 'docs/d-4/x.pdf';
        await storage.upload(name, PDF, { contentType: 'application/pdf' });
        const download = await storage.createDownloadUrl(name, { fileName: 'PCQI-certificate\u202Efdp.hta' });
        expect(download.fileName).toBe('PCQI-certificatefdp.hta.pdf');
        expect((await fetch(download.url)).headers.get('content-disposition')).toBe('attachment; filename="PCQI-certificatefdp.hta.pdf"');
      });

      it('strips quotes and path parts a caller put in the file name', async () => {
        const name = 'docs/d-3/x.pdf';
        await storage.upload(name, PDF, { contentType: 'application/pdf' });
        const response = await fetch((await storage.createDownloadUrl(name, { fileName: '../../etc/"passwd".pdf' })).url);
        expect(response.headers.get('content-disposition')).toBe('attachment; filename="passwd.pdf"');
      });

      it('is not_found for a blob that does not exist', async () => {
        await expect(storage.createDownloadUrl('docs/missing.pdf')).rejects.toMatchObject({ kind: 'not_found' });
      });
    });

    describe('verifyUpload', () => {
      const rules = { maxBytes: 10_000, allowedContentTypes: ACCEPTED };

      it.each([
        ['a real PDF', PDF, 'application/pdf'],
        ['a real PNG', PNG, 'image/png'],
        ['a JPEG', JPEG_HEAD, 'image/jpeg'],
      ])('accepts %s uploaded as its own type', async (_label, bytes, type) => {
        const name = unique('uploads/ok');
        expect(await clientUpload(name, bytes, type)).toBe(201);
        const verified = await storage.verifyUpload(name, rules);
        expect(verified).toMatchObject({ name, contentType: type, size: bytes.length });
        expect(await storage.download(name)).toEqual(bytes);
      });

      it('accepts image/jpg as the alias of image/jpeg', async () => {
        const name = unique('uploads/ok');
        await clientUpload(name, JPEG_HEAD, 'image/jpg');
        expect((await storage.verifyUpload(name, rules)).contentType).toBe('image/jpeg');
      });

      it.each([
        ['a PNG renamed as a PDF', PNG, 'application/pdf', rules.allowedContentTypes, /uploaded as application\/pdf but its content is a PNG image \(image\/png\)/],
        ['a PNG where only PDFs are accepted', PNG, 'image/png', ['application/pdf'], /The file is a PNG image; accepted: PDF document\./],
        ['an executable with a PDF content type', EXE, 'application/pdf', rules.allowedContentTypes, /The file is a Windows executable; accepted: PDF document, PNG image, JPEG image\./],
        ['an ELF binary', Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1'), 'application/pdf', rules.allowedContentTypes, /an ELF executable/],
        ['an HTML page as a PNG', Buffer.from('<!DOCTYPE html><script>alert(1)</script>'), 'image/png', rules.allowedContentTypes, /an HTML page/],
        ['plain text', Buffer.from('just some text, no magic number'), 'application/pdf', rules.allowedContentTypes, /not a recognised file type/],
        ['a PDF whose magic number is not at the start', Buffer.concat([Buffer.from('junk'), PDF]), 'application/pdf', rules.allowedContentTypes, /not a recognised file type/],
        ['an empty file', Buffer.alloc(0), 'application/pdf', rules.allowedContentTypes, /The file is empty\./],
      ])('rejects %s, deletes it, and says why', async (_label, bytes, claimed, allowedContentTypes, message) => {
        const name = unique('uploads/bad');
        expect(await clientUpload(name, bytes, claimed)).toBe(201);
        expect(await storage.exists(name)).toBe(true);
        const failure = storage.verifyUpload(name, { maxBytes: rules.maxBytes, allowedContentTypes });
        await expect(failure).rejects.toMatchObject({ name: 'AppError', kind: 'validation', message: expect.stringMatching(message) });
        await expect(failure).rejects.toMatchObject({ issues: [{ field: 'file' }] });
        expect(await storage.exists(name)).toBe(false);
        await expect(storage.download(name)).rejects.toMatchObject({ kind: 'not_found' });
      });

      it('rejects an upload over the size limit as payload_too_large and deletes it', async () => {
        const name = unique('uploads/big');
        const big = Buffer.concat([PDF, Buffer.alloc(2048, 0x20)]);
        // The upload URL itself cannot stop it: the PUT succeeds.
        expect(await clientUpload(name, big, 'application/pdf', 1024)).toBe(201);
        await expect(storage.verifyUpload(name, { maxBytes: 1024, allowedContentTypes: ACCEPTED })).rejects.toMatchObject({
          kind: 'payload_too_large',
          message: `The file is ${big.length} bytes; the limit is 1024 bytes.`,
        });
        expect(await storage.exists(name)).toBe(false);
      });

      it('accepts a file of exactly the limit', async () => {
        const name = unique('uploads/edge');
        expect(await clientUpload(name, PDF, 'application/pdf')).toBe(201);
        expect((await storage.verifyUpload(name, { maxBytes: PDF.length, allowedContentTypes: ACCEPTED })).size).toBe(PDF.length);
      });

      it('with an opener, refuses a file of the right type that does not open as unprocessable, and deletes it', async () => {
        const name = unique('uploads/broken');
        expect(await clientUpload(name, PDF_MAGIC_ONLY, 'application/pdf')).toBe(201);
        await expect(storage.verifyUpload(name, { ...rules, open: documentProblem })).rejects.toMatchObject({
          kind: 'unprocessable',
          message: 'The PDF document cannot be opened: Invalid PDF structure.',
          issues: [{ field: 'file' }],
        });
        expect(await storage.exists(name)).toBe(false);
        const good = unique('uploads/opens');
        await clientUpload(good, PDF, 'application/pdf');
        expect((await storage.verifyUpload(good, { ...rules, open: documentProblem })).contentType).toBe('application/pdf');
      });

      it('is not_found when nothing was uploaded', async () => {
        await expect(storage.verifyUpload(unique('uploads/none'), rules)).rejects.toMatchObject({
          kind: 'not_found',
          message: 'No uploaded file was found; upload it first.',
        });
      });

      it('a verified file cannot be swapped afterwards through the same upload URL', async () => {
        const name = unique('uploads/swap');
        const upload = await storage.createUploadUrl(name, { contentType: 'application/pdf', maxBytes: 10_000 });
        expect((await put(upload.url, upload.headers, PDF)).status).toBe(201);
        await storage.verifyUpload(name, rules);
        expect((await put(upload.url, upload.headers, EXE)).status).toBe(403);
        expect(await storage.download(name)).toEqual(PDF);
      });
    });
  });
}
