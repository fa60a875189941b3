export { assertBlobName, blobNameProblem, MAX_BLOB_NAME_LENGTH } from './blob-names';
export {
  BlobStorage,
  type BlobProperties,
  type BlobStorageOptions,
  type DownloadUrl,
  type DownloadUrlOptions,
  type StoredBlob,
  type UploadOptions,
  type UploadRules,
  type UploadUrl,
  type UploadUrlOptions,
  type VerifiedUpload,
} from './blob-storage';
export { attachmentDisposition, safeFileName } from './content-disposition';
export { normalizeContentType, sniffContentType, type SniffedType } from './content-sniffing';
export { CLOCK_SKEW_SECONDS, MAX_SAS_SECONDS, SAS_VERSION, type SasKind } from './sas-signer';
