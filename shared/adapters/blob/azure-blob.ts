import type { Readable } from 'node:stream';
import type { TokenCredential } from '@azure/identity';
import { BlobSASPermissions, BlobServiceClient, type BlockBlobClient, type ContainerClient, StorageRetryPolicyType } from '@azure/storage-blob';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { assertBlobName } from '../../blob/blob-names';
import { attachmentDisposition, safeFileName } from '../../blob/content-disposition';
import { describeContentType, normalizeContentType, SNIFF_BYTES, sniffContentType } from '../../blob/content-sniffing';
import { withTypeExtension } from '../../blob/file-names';
import type { BlobProperties, BlobStorage, DownloadUrl, DownloadUrlOptions, StoredBlob, UploadOptions, UploadRules, UploadUrl, UploadUrlOptions, VerifiedUpload } from '../../blob/port';
import { MAX_SAS_SECONDS, type SasKind, SasSigner } from './sas-signer';

export interface AzureBlobStorageOptions {
  /** The clock SAS times are computed from, for tests. */
  now?: () => number;
}

const DEFAULT_SAS_SECONDS = 300;
const RETRY = { retryPolicyType: StorageRetryPolicyType.EXPONENTIAL, maxTries: 4, tryTimeoutInMs: 30_000 };
/** Azure's limit for a single Put Blob (service version 2019-12-12 and later). */
const MAX_SINGLE_PUT_BYTES = 5000 * 1024 * 1024;
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[\x20-\x7e]*)?$/i;
const METADATA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const METADATA_VALUE = /^[\x20-\x7e]*$/;

/**
 * The blob port on Azure Blob Storage: the app's container, with short-lived SAS URLs for direct
 * client transfers. Same code in Azure (managed identity: user-delegation SAS) and against
 * Azurite locally (shared key: account-key SAS), so the port needs no local twin. Every name
 * passes `assertBlobName`.
 */
export class AzureBlobStorage implements BlobStorage {
  readonly containerName: string;
  private readonly container: ContainerClient;
  private readonly signer: SasSigner;

  /** The configured account: by connection string (Azurite locally), or by managed identity in Azure (no keys). */
  static connect(storage: Exclude<Config['storage'], { kind: 'none' }>, containerName: string, credential: TokenCredential): AzureBlobStorage {
    const service =
      storage.kind === 'connectionString'
        ? BlobServiceClient.fromConnectionString(storage.connectionString, { retryOptions: RETRY })
        : new BlobServiceClient(storage.blobServiceUri, credential, { retryOptions: RETRY });
    return new AzureBlobStorage(service, containerName);
  }

  constructor(service: BlobServiceClient, containerName: string, options: AzureBlobStorageOptions = {}) {
    if (!CONTAINER_NAME.test(containerName)) {
      throw new Error(`Invalid blob container name "${containerName}": 3-63 lower-case letters, digits and single hyphens.`);
    }
    this.containerName = containerName;
    this.container = service.getContainerClient(containerName);
    this.signer = new SasSigner(service, { now: options.now });
  }

  /** How SAS URLs are signed: `user-delegation` (token credential) or `account-key` (shared key). */
  get sasKind(): SasKind | undefined {
    return this.signer.kind;
  }

  /** Delegation keys requested so far (one serves many SAS). */
  get delegationKeyRequests(): number {
    return this.signer.delegationKeyRequests;
  }

  /** The container's properties: the endpoint answers, the credential works, the container exists. */
  async ping(abortSignal?: AbortSignal): Promise<void> {
    await this.container.getProperties({ abortSignal });
  }

  async ensureContainer(): Promise<void> {
    await this.container.createIfNotExists();
  }

  async upload(name: string, data: Buffer | Readable, options: UploadOptions): Promise<{ etag?: string }> {
    const blob = this.blob(name);
    const settings = {
      blobHTTPHeaders: { blobContentType: assertContentType(options.contentType) },
      metadata: assertMetadata(options.metadata),
    };
    const response = Buffer.isBuffer(data) ? await blob.uploadData(data, settings) : await blob.uploadStream(data, 4 * 1024 * 1024, 4, settings);
    return { etag: response.etag };
  }

  async download(name: string): Promise<Buffer> {
    const blob = this.blob(name);
    return notFoundAsAppError(name, () => blob.downloadToBuffer());
  }

  async stream(name: string): Promise<StoredBlob> {
    const blob = this.blob(name);
    const response = await notFoundAsAppError(name, () => blob.download());
    return {
      body: response.readableStreamBody as Readable,
      contentType: response.contentType ?? 'application/octet-stream',
      contentLength: response.contentLength ?? 0,
      etag: response.etag,
      lastModified: response.lastModified,
    };
  }

  async exists(name: string): Promise<boolean> {
    return this.blob(name).exists();
  }

  async properties(name: string): Promise<BlobProperties> {
    const blob = this.blob(name);
    const properties = await notFoundAsAppError(name, () => blob.getProperties());
    return {
      name,
      contentType: properties.contentType ?? 'application/octet-stream',
      contentLength: properties.contentLength ?? 0,
      etag: properties.etag,
      lastModified: properties.lastModified,
      metadata: properties.metadata ?? {},
    };
  }

  /** Snapshots go with it. */
  async delete(name: string): Promise<void> {
    await this.blob(name).deleteIfExists({ deleteSnapshots: 'include' });
  }

  /**
   * The SAS grants Create on this one blob only, which cannot read, list, delete or overwrite, so
   * once `verifyUpload` has passed a file the same URL cannot swap it. A SAS cannot limit size or type.
   */
  async createUploadUrl(name: string, options: UploadUrlOptions): Promise<UploadUrl> {
    const blob = this.blob(name);
    const contentType = assertContentType(options.contentType);
    const maxBytes = assertMaxBytes(options.maxBytes);
    const { query, expiresOn } = await this.signer.sign({
      containerName: this.containerName,
      blobName: name,
      permissions: BlobSASPermissions.parse('c'),
      expiresInSeconds: sasSeconds(options.expiresInSeconds),
    });
    return {
      url: `${blob.url}?${query}`,
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': contentType },
      expiresAt: expiresOn.toISOString(),
      maxBytes,
    };
  }

  /** A read SAS whose response headers (`rsct`, `rscd`) carry the stored type and the attachment name. */
  async createDownloadUrl(name: string, options: DownloadUrlOptions = {}): Promise<DownloadUrl> {
    const blob = this.blob(name);
    const expiresInSeconds = sasSeconds(options.expiresInSeconds);
    const properties = await notFoundAsAppError(name, () => blob.getProperties());
    const contentType = properties.contentType ?? 'application/octet-stream';
    const fileName = withTypeExtension(safeFileName(options.fileName ?? name), contentType);
    const { query, expiresOn } = await this.signer.sign({
      containerName: this.containerName,
      blobName: name,
      permissions: BlobSASPermissions.parse('r'),
      expiresInSeconds,
      contentType,
      contentDisposition: attachmentDisposition(fileName),
    });
    return { url: `${blob.url}?${query}`, method: 'GET', expiresAt: expiresOn.toISOString(), contentType, fileName };
  }

  /** Reads are conditional on the etag first seen, so a file swapped meanwhile is not the one judged. */
  async verifyUpload(name: string, rules: UploadRules): Promise<VerifiedUpload> {
    const blob = this.blob(name);
    const maxBytes = assertMaxBytes(rules.maxBytes);
    const allowed = rules.allowedContentTypes.map((type) => normalizeContentType(type)).filter((type): type is string => !!type);
    const properties = await notFoundAsAppError(name, () => blob.getProperties(), 'No uploaded file was found; upload it first.');
    const size = properties.contentLength ?? 0;
    const reject = async (kind: 'validation' | 'payload_too_large' | 'unprocessable', message: string): Promise<never> => {
      await blob.deleteIfExists({ deleteSnapshots: 'include' });
      throw new AppError(kind, message, { issues: [{ field: 'file', message }] });
    };

    if (size > maxBytes) return reject('payload_too_large', `The file is ${size} bytes; the limit is ${maxBytes} bytes.`);
    if (size === 0) return reject('validation', 'The file is empty.');

    const conditions = properties.etag ? { ifMatch: properties.etag } : undefined;
    const head = await blob.downloadToBuffer(0, Math.min(SNIFF_BYTES, size), { conditions });
    const sniffed = sniffContentType(head);
    const accepted = allowed.map(describeContentType).join(', ');
    if (!sniffed || !allowed.includes(sniffed.type)) {
      const what = sniffed ? sniffed.phrase : 'not a recognised file type';
      return reject('validation', `The file is ${what}; accepted: ${accepted}. The type is judged by the content, not the name or header.`);
    }
    const declared = normalizeContentType(properties.contentType);
    if (declared !== sniffed.type) {
      return reject('validation', `The file was uploaded as ${declared ?? 'an unknown type'} but its content is ${sniffed.phrase} (${sniffed.type}); upload it with content-type ${sniffed.type}.`);
    }
    if (rules.open) {
      const problem = await rules.open(await blob.downloadToBuffer(0, size, { conditions }), sniffed.type);
      if (problem) return reject('unprocessable', problem);
    }
    return { name, contentType: sniffed.type, size, etag: properties.etag };
  }

  private blob(name: string): BlockBlobClient {
    return this.container.getBlockBlobClient(assertBlobName(name));
  }
}

function sasSeconds(value: number | undefined): number {
  const seconds = value ?? DEFAULT_SAS_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SAS_SECONDS) {
    const message = `must be a whole number of seconds from 1 to ${MAX_SAS_SECONDS}`;
    throw new AppError('validation', `expiresInSeconds ${message}.`, { issues: [{ field: 'expiresInSeconds', message }] });
  }
  return seconds;
}

function assertMaxBytes(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_SINGLE_PUT_BYTES) {
    const message = `must be a whole number of bytes from 1 to ${MAX_SINGLE_PUT_BYTES}`;
    throw new AppError('validation', `maxBytes ${message}.`, { issues: [{ field: 'maxBytes', message }] });
  }
  return value;
}

function assertContentType(value: string): string {
  if (typeof value !== 'string' || !MEDIA_TYPE.test(value)) {
    const message = 'must be a media type such as application/pdf';
    throw new AppError('validation', `contentType ${message}.`, { issues: [{ field: 'contentType', message }] });
  }
  return value;
}

function assertMetadata(metadata: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!metadata) return undefined;
  for (const [key, value] of Object.entries(metadata)) {
    const message = !METADATA_NAME.test(key)
      ? 'metadata names are letters, digits and "_", not starting with a digit'
      : !METADATA_VALUE.test(value)
        ? 'metadata values are printable ASCII (encode other text first)'
        : undefined;
    if (message) throw new AppError('validation', `Invalid metadata "${key}": ${message}.`, { issues: [{ field: `metadata.${key}`, message }] });
  }
  return metadata;
}

/** A missing blob is `not_found`; a missing container stays an error (the app is misconfigured). */
async function notFoundAsAppError<T>(name: string, action: () => Promise<T>, message?: string): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const { statusCode, code } = (error ?? {}) as { statusCode?: number; code?: string };
    if (statusCode === 404 && code !== 'ContainerNotFound') {
      throw new AppError('not_found', message ?? `No file named "${name.slice(0, 200)}".`, { cause: error });
    }
    throw error;
  }
}
