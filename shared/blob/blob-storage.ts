import type { Readable } from 'node:stream';
import {
  BlobSASPermissions,
  type BlobServiceClient,
  type ContainerClient,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
  type UserDelegationKey,
} from '@azure/storage-blob';
import { AppError } from '../errors';
import { assertBlobName } from './blob-names';
import { SNIFF_BYTES, sniffContentType } from './content-sniffing';

export interface UploadUrl {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the PUT. */
  headers: Record<string, string>;
  expiresAt: string;
  maxBytes: number;
}

/** Clocks differ: a SAS starts a few minutes in the past so a fast client clock is not refused. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_SAS_SECONDS = 15 * 60;

/**
 * The app's blob container: uploads, downloads and short-lived SAS URLs for direct client
 * transfers. In Azure the client holds a managed-identity token, so SAS are user-delegation SAS;
 * against Azurite (a shared key) they are account-key SAS. Same code path otherwise.
 */
export class BlobStorage {
  private readonly container: ContainerClient;
  private delegationKey: { key: UserDelegationKey; renewAfter: number } | undefined;

  constructor(
    private readonly service: BlobServiceClient,
    containerName: string,
  ) {
    this.container = service.getContainerClient(containerName);
  }

  /** Creates the container with private access, once. */
  async ensureContainer(): Promise<void> {
    await this.container.createIfNotExists();
  }

  async upload(name: string, data: Buffer, options: { contentType: string; metadata?: Record<string, string> }): Promise<void> {
    await this.container.getBlockBlobClient(assertBlobName(name)).uploadData(data, {
      blobHTTPHeaders: { blobContentType: options.contentType },
      metadata: options.metadata,
    });
  }

  async download(name: string): Promise<Buffer> {
    return this.container.getBlockBlobClient(assertBlobName(name)).downloadToBuffer();
  }

  async stream(name: string): Promise<{ body: Readable; contentType?: string; contentLength?: number }> {
    const response = await this.container.getBlockBlobClient(assertBlobName(name)).download();
    return { body: response.readableStreamBody as Readable, contentType: response.contentType, contentLength: response.contentLength };
  }

  async exists(name: string): Promise<boolean> {
    return this.container.getBlockBlobClient(assertBlobName(name)).exists();
  }

  /** Idempotent: deleting a missing blob is not an error. */
  async delete(name: string): Promise<void> {
    await this.container.getBlockBlobClient(assertBlobName(name)).deleteIfExists();
  }

  /** A URL the client PUTs one file to: create/write on that blob only, for a few minutes. */
  async createUploadUrl(name: string, options: { contentType: string; maxBytes: number; expiresInSeconds?: number }): Promise<UploadUrl> {
    const { url, expiresOn } = await this.signedUrl(name, 'cw', options.expiresInSeconds ?? 300, { contentType: options.contentType });
    return {
      url,
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': options.contentType },
      expiresAt: expiresOn.toISOString(),
      maxBytes: options.maxBytes,
    };
  }

  /** A read-only URL that downloads the blob as an attachment. */
  async createDownloadUrl(name: string, options: { expiresInSeconds?: number; fileName?: string } = {}): Promise<{ url: string; expiresAt: string }> {
    const fileName = (options.fileName ?? name.split('/').pop()!).replace(/["\r\n]/g, '');
    const { url, expiresOn } = await this.signedUrl(name, 'r', options.expiresInSeconds ?? 300, {
      contentDisposition: `attachment; filename="${fileName}"`,
    });
    return { url, expiresAt: expiresOn.toISOString() };
  }

  /**
   * A SAS cannot cap size or type, so an uploaded blob is checked after the fact: its real size
   * and its real type from its first bytes. A blob that fails is deleted before the error.
   */
  async verifyUpload(name: string, rules: { maxBytes: number; allowedContentTypes: string[] }): Promise<{ contentType: string; size: number }> {
    const blob = this.container.getBlockBlobClient(assertBlobName(name));
    const properties = await blob.getProperties();
    const size = properties.contentLength ?? 0;
    if (size > rules.maxBytes) {
      await blob.deleteIfExists();
      throw new AppError('payload_too_large', `The file is ${size} bytes; at most ${rules.maxBytes} are allowed.`);
    }
    const head = size === 0 ? Buffer.alloc(0) : await blob.downloadToBuffer(0, Math.min(SNIFF_BYTES, size));
    const contentType = sniffContentType(head);
    if (!contentType || !rules.allowedContentTypes.includes(contentType)) {
      await blob.deleteIfExists();
      throw new AppError('validation', `The file is not one of: ${rules.allowedContentTypes.join(', ')} (judged by its content, not its name or header).`);
    }
    return { contentType, size };
  }

  private async signedUrl(name: string, permissions: string, expiresInSeconds: number, headers: { contentType?: string; contentDisposition?: string }) {
    const blob = this.container.getBlockBlobClient(assertBlobName(name));
    const seconds = Math.min(Math.max(1, Math.round(expiresInSeconds)), MAX_SAS_SECONDS);
    const now = Date.now();
    const values = {
      containerName: this.container.containerName,
      blobName: name,
      permissions: BlobSASPermissions.parse(permissions),
      startsOn: new Date(now - CLOCK_SKEW_MS),
      expiresOn: new Date(now + seconds * 1000),
      // HTTPS only, except against a local emulator on http.
      protocol: blob.url.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
      ...headers,
    };
    const credential = this.service.credential;
    const sas =
      credential instanceof StorageSharedKeyCredential
        ? generateBlobSASQueryParameters(values, credential)
        : generateBlobSASQueryParameters(values, await this.userDelegationKey(), this.service.accountName);
    return { url: `${blob.url}?${sas.toString()}`, expiresOn: values.expiresOn };
  }

  /** One delegation key serves many SAS; it is renewed well before it expires, as the docs advise. */
  private async userDelegationKey(): Promise<UserDelegationKey> {
    const now = Date.now();
    if (!this.delegationKey || now > this.delegationKey.renewAfter) {
      const expiresOn = new Date(now + 60 * 60 * 1000);
      const key = await this.service.getUserDelegationKey(new Date(now - CLOCK_SKEW_MS), expiresOn);
      this.delegationKey = { key, renewAfter: expiresOn.getTime() - MAX_SAS_SECONDS * 1000 - CLOCK_SKEW_MS };
    }
    return this.delegationKey.key;
  }
}
