import type { Readable } from 'node:stream';

/**
 * The blob port: the app's private file container, with short-lived URLs a client uploads to or
 * downloads from directly. Pure types, so the domain depends on it without the Azure SDK. One
 * adapter, `shared/adapters/blob/azure-blob.ts`: Azure Blob Storage in Azure and the same code
 * against Azurite locally. Every name must pass `assertBlobName` (`validation` otherwise); a
 * missing blob is `not_found`.
 */
export interface BlobStorage {
  /** Proves the storage answers and the container exists (readiness). */
  ping(abortSignal?: AbortSignal): Promise<void>;
  /** Creates the container, private (no anonymous reads); a no-op when it exists. */
  ensureContainer(): Promise<void>;
  upload(name: string, data: Buffer | Readable, options: UploadOptions): Promise<{ etag?: string }>;
  download(name: string): Promise<Buffer>;
  /** The blob as a stream, with what an HTTP response needs to serve it. */
  stream(name: string): Promise<StoredBlob>;
  exists(name: string): Promise<boolean>;
  properties(name: string): Promise<BlobProperties>;
  /** Idempotent: deleting a missing blob is not an error. */
  delete(name: string): Promise<void>;
  /**
   * A URL the client PUTs one file to, once: it cannot read, list, delete, reach another blob,
   * or overwrite the file once it is there. Size and type are checked afterwards, by `verifyUpload`.
   */
  createUploadUrl(name: string, options: UploadUrlOptions): Promise<UploadUrl>;
  /** A read-only URL that downloads an existing blob as an attachment, with its stored type. */
  createDownloadUrl(name: string, options?: DownloadUrlOptions): Promise<DownloadUrl>;
  /**
   * Checks a file a client uploaded through an upload URL: its real size, and its real type from
   * its first bytes (never the client's header). The type must be allowed and must be the type it
   * was uploaded as; with `rules.open`, it must also open. A file that fails is deleted, then the
   * error is thrown: `payload_too_large` for size, `unprocessable` for a file of the right type
   * that does not open, `validation` for anything else; `not_found` when nothing was uploaded.
   */
  verifyUpload(name: string, rules: UploadRules): Promise<VerifiedUpload>;
}

export interface UploadOptions {
  contentType: string;
  /** Names are C# identifiers, values printable ASCII (they travel as HTTP headers). */
  metadata?: Record<string, string>;
}

export interface StoredBlob {
  body: Readable;
  contentType: string;
  contentLength: number;
  etag?: string;
  lastModified?: Date;
}

export interface BlobProperties {
  name: string;
  contentType: string;
  contentLength: number;
  etag?: string;
  lastModified?: Date;
  metadata: Record<string, string>;
}

export interface UploadUrlOptions {
  /** The type the client says it sends; `verifyUpload` holds it to that. */
  contentType: string;
  /** The size limit to tell the client; a SAS cannot enforce it, `verifyUpload` does. */
  maxBytes: number;
  /** Default 300, at most 900. */
  expiresInSeconds?: number;
}

export interface UploadUrl {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the PUT. */
  headers: { 'x-ms-blob-type': 'BlockBlob'; 'content-type': string };
  /** ISO 8601; the URL is refused after this instant. */
  expiresAt: string;
  maxBytes: number;
}

export interface DownloadUrlOptions {
  /** Default 300, at most 900. */
  expiresInSeconds?: number;
  /** The name the browser saves the file as (given the stored type's extension); the blob name's last segment by default. */
  fileName?: string;
}

export interface DownloadUrl {
  url: string;
  method: 'GET';
  expiresAt: string;
  /** The stored content type the response carries. */
  contentType: string;
  fileName: string;
}

export interface UploadRules {
  maxBytes: number;
  /** Media types accepted, e.g. `application/pdf`, `image/png`, `image/jpeg`. */
  allowedContentTypes: readonly string[];
  /**
   * Opens the whole file once its type and size pass (a PDF parses, an image decodes) and
   * names what is wrong with it, or answers undefined; a named problem refuses the file.
   */
  open?: (content: Buffer, contentType: string) => Promise<string | undefined>;
}

export interface VerifiedUpload {
  name: string;
  /** The type the content shows (and the type it was uploaded as). */
  contentType: string;
  size: number;
  etag?: string;
}
