import { randomUUID } from 'node:crypto';
import type { BlobStorage, UploadUrl } from '../../blob/port';
import { extensionFor, withTypeExtension } from '../../blob/file-names';
import { createOnce } from '../../data/create-once';
import type { Container, Stored } from '../../data/document-store';
import { documentProblem } from './document-problem';
import { AppError, isAppError } from '../../errors';
import type { ExpertDocument, ExpertProfile } from './records';

/** What documents need of the blob port: their files' upload and download URLs, checks and deletes. */
export type DocumentFiles = Pick<BlobStorage, 'createUploadUrl' | 'createDownloadUrl' | 'verifyUpload' | 'download' | 'delete'>;

export type ReviewLink = { id: string; fileName: string; status: 'uploaded'; url: string; expiresAt: string } | { id: string; fileName: string; status: 'missing' };

export const DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENTS = 50;

/**
 * An expert's credential documents: an upload is started (a record and a short-lived URL to put
 * the file to storage directly), then completed (the stored file is checked: real type, size, and
 * that it opens), listed, and deleted unless a certification links to it.
 */
export class ExpertDocumentService {
  constructor(
    private readonly deps: {
      documents: Container<ExpertDocument>;
      profiles: Container<ExpertProfile>;
      /** Resolved on use: without storage configured, document calls are a 503 and the rest of the app works. */
      files: () => DocumentFiles;
      now: () => Date;
    },
  ) {}

  /**
   * `effectId` from an idempotent request: a second run of it (after a crash) finds the first
   * run's record and gets a new URL for the same file.
   */
  async startUpload(expertId: string, input: { fileName: string; contentType: DocumentType }, effectId?: string): Promise<{ document: Stored<ExpertDocument>; upload: UploadUrl }> {
    const { documents } = this.deps;
    if ((await documents.count({ partitionKey: expertId })) >= MAX_DOCUMENTS) {
      throw new AppError('conflict', `You have ${MAX_DOCUMENTS} documents; delete some before uploading more.`);
    }
    const id = effectId ?? randomUUID();
    const blobName = `experts/${expertId}/documents/${id}.${extensionFor(input.contentType)}`;
    const upload = await this.deps.files().createUploadUrl(blobName, { contentType: input.contentType, maxBytes: MAX_DOCUMENT_BYTES });
    const document = await createOnce(documents, expertId, {
      id,
      expertId,
      fileName: withTypeExtension(input.fileName, input.contentType),
      contentType: input.contentType,
      maxBytes: MAX_DOCUMENT_BYTES,
      blobName,
      status: 'awaiting_upload',
      createdAt: this.deps.now().toISOString(),
    });
    return { document, upload };
  }

  /** Checks the stored file (a mismatch or a file that does not open is deleted and refused); done once. */
  async complete(expertId: string, id: string): Promise<Stored<ExpertDocument>> {
    const document = await this.own(expertId, id);
    if (document.status === 'uploaded') return document;
    const verified = await this.deps.files().verifyUpload(document.blobName, { maxBytes: document.maxBytes, allowedContentTypes: [document.contentType], open: documentProblem });
    return this.deps.documents.patch(expertId, document.id, [
      { op: 'set', path: 'status', value: 'uploaded' },
      { op: 'set', path: 'size', value: verified.size },
      { op: 'set', path: 'uploadedAt', value: this.deps.now().toISOString() },
    ]);
  }

  /** Newest first. */
  async list(expertId: string): Promise<Stored<ExpertDocument>[]> {
    return (await this.deps.documents.query({ partitionKey: expertId, orderBy: [{ field: 'createdAt', direction: 'desc' }], limit: MAX_DOCUMENTS })).items;
  }

  async delete(expertId: string, id: string): Promise<void> {
    const document = await this.own(expertId, id);
    const profile = await this.deps.profiles.read(expertId, expertId);
    const linked = profile?.certifications.find((certification) => certification.documentId === document.id);
    if (linked) throw new AppError('conflict', `The certification "${linked.name}" links to this document; unlink or replace it on your profile first.`);
    // The record first: if the file's removal then fails, an unreferenced file is left, never a record without its file.
    await this.deps.documents.delete(expertId, document.id);
    await this.deps.files().delete(document.blobName);
  }

  /**
   * What a reviewing admin opens: a short-lived download link per uploaded document, or the
   * document marked missing when its file is gone (the review page still opens).
   */
  async reviewLinks(expertId: string, documentIds: readonly string[]): Promise<ReviewLink[]> {
    const links: ReviewLink[] = [];
    for (const id of documentIds) {
      const document = await this.deps.documents.read(expertId, id);
      if (document && document.status !== 'awaiting_upload') links.push(await this.reviewLink(document));
    }
    return links;
  }

  private async reviewLink(document: ExpertDocument): Promise<ReviewLink> {
    if (document.status === 'uploaded') {
      try {
        const download = await this.deps.files().createDownloadUrl(document.blobName, { fileName: document.fileName });
        return { id: document.id, fileName: download.fileName, status: 'uploaded', url: download.url, expiresAt: download.expiresAt };
      } catch (error) {
        if (!isAppError(error) || error.kind !== 'not_found') throw error;
      }
    }
    return { id: document.id, fileName: document.fileName, status: 'missing' };
  }

  private async own(expertId: string, id: string): Promise<Stored<ExpertDocument>> {
    const document = await this.deps.documents.read(expertId, id);
    if (!document) throw new AppError('not_found', 'No such document.');
    return document;
  }
}
