import { describe, expect, it } from 'vitest';
import { createAzureCredential } from '../../shared/azure-credential';
import { loadConfig } from '../../shared/config';
import { DocumentIntelligenceExtractor } from '../../shared/adapters/text-extraction/document-intelligence';
import { LocalTextExtractor } from '../../shared/adapters/text-extraction/local';
import { minimalPng } from '../helpers/sample-files';
import { textExtractorContract } from './text-extractor.contract';

textExtractorContract('local (PDF text layer)', () => new LocalTextExtractor());

describe('local extractor specifics', () => {
  it('flags an image for a person to read (no OCR locally)', async () => {
    expect(await new LocalTextExtractor().extract(minimalPng(), 'image/png')).toEqual({ text: '', pages: 1, source: 'none', needsHumanReading: true });
  });

  it('reads plain text and refuses types it cannot read', async () => {
    expect((await new LocalTextExtractor().extract(Buffer.from('Halal auditor\n\n  licence 77'), 'text/plain; charset=utf-8')).text).toBe('Halal auditor licence 77');
    await expect(new LocalTextExtractor().extract(Buffer.from('x'), 'application/zip')).rejects.toMatchObject({ kind: 'validation' });
  });
});

const endpoint = process.env.DOCUMENT_INTELLIGENCE_ENDPOINT;
if (endpoint) {
  textExtractorContract('Azure Document Intelligence', () => new DocumentIntelligenceExtractor(endpoint, createAzureCredential(loadConfig())));
} else {
  describe.skip('document text extractor: Azure Document Intelligence — skipped: DOCUMENT_INTELLIGENCE_ENDPOINT is not set (no Azure here)', () => {
    it('runs the same contract against the real service', () => expect(endpoint).toBeDefined());
  });
}
