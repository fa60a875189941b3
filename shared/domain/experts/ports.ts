/**
 * What the experts area needs of the outside world beyond the store and the blob port
 * (`shared/blob/port.ts`): reading the text of an uploaded document (a certificate, a licence)
 * so automated checks can compare it with what the expert declared. Adapters in
 * `shared/adapters/text-extraction/`: Document Intelligence in Azure; locally, the text layer of
 * PDFs and plain text (no OCR: a scanned image needs a person to read it).
 */
export interface ExtractedDocument {
  text: string;
  pages: number;
  /** Which reader produced the text. */
  source: 'document-intelligence' | 'pdf-text-layer' | 'plain-text' | 'none';
  /** Nothing machine-readable was found; a reviewer must read the document. */
  needsHumanReading: boolean;
}

export interface DocumentTextExtractor {
  extract(content: Uint8Array, contentType: string): Promise<ExtractedDocument>;
}

/** Whitespace collapsed, so checks match phrases across the line breaks of a layout. */
export function normalizeExtractedText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
