import { describe, expect, it } from 'vitest';
import type { DocumentTextExtractor } from '../../shared/domain/experts/ports';
import { minimalPdf } from '../helpers/sample-files';

/** What every document reader must do, the local one and Document Intelligence alike. */
export function textExtractorContract(name: string, make: () => DocumentTextExtractor): void {
  describe(`document text extractor: ${name}`, () => {
    it('reads the text of a PDF certificate, lines joined by single spaces', async () => {
      const pdf = minimalPdf(['Certificate of Completion', 'Maria Garcia-Lopez', 'Preventive Controls Qualified Individual', 'Certificate No. PCQI-2024-118733', 'Valid until 2027-03-31']);
      const document = await make().extract(pdf, 'application/pdf');
      expect(document.pages).toBe(1);
      expect(document.needsHumanReading).toBe(false);
      for (const phrase of ['Maria Garcia-Lopez', 'Preventive Controls Qualified Individual', 'PCQI-2024-118733', '2027-03-31']) {
        expect(document.text).toContain(phrase);
      }
      expect(document.text).not.toMatch(/\s{2,}|\n/);
    });

    it('reads text with parentheses and punctuation as written', async () => {
      const document = await make().extract(minimalPdf('HACCP (Seafood) - Level 2: passed'), 'application/pdf');
      expect(document.text).toContain('HACCP (Seafood) - Level 2: passed');
    });

    it('refuses a file that is not a readable PDF with a validation error', async () => {
      await expect(make().extract(Buffer.from('%PDF-1.4 this is not really a pdf'), 'application/pdf')).rejects.toMatchObject({ kind: 'validation' });
    });
  });
}
