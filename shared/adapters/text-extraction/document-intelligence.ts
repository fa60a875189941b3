import DocumentIntelligence, { getLongRunningPoller, isUnexpected, type AnalyzeOperationOutput, type DocumentIntelligenceClient } from '@azure-rest/ai-document-intelligence';
import type { TokenCredential } from '@azure/core-auth';
import { AppError } from '../../errors';
import { normalizeExtractedText, type DocumentTextExtractor, type ExtractedDocument } from '../../domain/experts/ports';

/**
 * Azure AI Document Intelligence, `prebuilt-read` (printed and handwritten text, PDFs and
 * images), with the app's managed identity (Cognitive Services User on the resource); the
 * client's pipeline retries throttling and transient failures.
 */
export class DocumentIntelligenceExtractor implements DocumentTextExtractor {
  private readonly client: DocumentIntelligenceClient;

  constructor(endpoint: string, credential: TokenCredential) {
    this.client = DocumentIntelligence(endpoint, credential, { retryOptions: { maxRetries: 4 } });
  }

  async extract(content: Uint8Array, contentType: string): Promise<ExtractedDocument> {
    const initial = await this.client.path('/documentModels/{modelId}:analyze', 'prebuilt-read').post({
      contentType: 'application/json',
      body: { base64Source: Buffer.from(content).toString('base64') },
    });
    if (isUnexpected(initial)) throw readFailure(initial.status, initial.body.error?.message, contentType);
    const done = await getLongRunningPoller(this.client, initial).pollUntilDone();
    if (isUnexpected(done)) throw readFailure(done.status, done.body.error?.message, contentType);
    const result = (done.body as AnalyzeOperationOutput).analyzeResult;
    const text = normalizeExtractedText(result?.content ?? '');
    return { text, pages: result?.pages?.length ?? 0, source: 'document-intelligence', needsHumanReading: text.length === 0 };
  }
}

function readFailure(status: string, message: string | undefined, contentType: string): AppError {
  // The service refuses unreadable or corrupt files with 400; anything else is a dependency failure.
  if (status === '400') return new AppError('validation', `The ${contentType} document could not be read: ${message ?? 'invalid document'}`);
  return new AppError('unavailable', `Document Intelligence answered ${status}: ${message ?? 'no detail'}`);
}
