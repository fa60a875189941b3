import { AppError } from '../../errors';
import { normalizeExtractedText, type DocumentTextExtractor, type ExtractedDocument } from '../../domain/experts/ports';

/**
 * The local reader: the text layer of a PDF (unpdf, a serverless build of PDF.js, pure
 * JavaScript) and plain text. Images get no OCR here and are flagged for a person.
 */
export class LocalTextExtractor implements DocumentTextExtractor {
  async extract(content: Uint8Array, contentType: string): Promise<ExtractedDocument> {
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    if (type === 'application/pdf') return this.pdf(content);
    if (type === 'text/plain') {
      const text = normalizeExtractedText(new TextDecoder('utf-8', { fatal: false }).decode(content));
      return { text, pages: 1, source: 'plain-text', needsHumanReading: text.length === 0 };
    }
    if (type.startsWith('image/')) return { text: '', pages: 1, source: 'none', needsHumanReading: true };
    throw new AppError('validation', `Documents of type ${type} cannot be read; upload a PDF, PNG or JPEG.`);
  }

  private async pdf(content: Uint8Array): Promise<ExtractedDocument> {
    // PDF.js (1.7 MB) loads with the first PDF, not with the app.
    const { extractText, getDocumentProxy } = await import('unpdf');
    let document: Awaited<ReturnType<typeof getDocumentProxy>>;
    try {
      // PDF.js takes ownership of the buffer it is given, so it gets a copy.
      document = await getDocumentProxy(new Uint8Array(content));
    } catch (error) {
      throw new AppError('validation', `The PDF could not be read: ${(error as Error).message}`);
    }
    try {
      const { totalPages, text } = await extractText(document, { mergePages: true });
      const normalized = normalizeExtractedText(text);
      return { text: normalized, pages: totalPages, source: normalized ? 'pdf-text-layer' : 'none', needsHumanReading: normalized.length === 0 };
    } finally {
      // Frees the parsed document and its (in-process) worker transport.
      await document.loadingTask.destroy();
    }
  }
}
