import { describe, expect, it } from 'vitest';
import { documentProblem } from '../../../../../shared/domain/experts/document-problem';
import { minimalJpeg, minimalPdf, minimalPng, JPEG_HEAD, PDF_MAGIC_ONLY } from '../../../../helpers/sample-files';

describe('opening an uploaded document', () => {
  it.each([
    ['a PDF', minimalPdf(), 'application/pdf'],
    ['a PNG', minimalPng(), 'image/png'],
    ['a JPEG', minimalJpeg(), 'image/jpeg'],
  ])('opens %s', async (_what, bytes, type) => {
    expect(await documentProblem(bytes, type)).toBeUndefined();
  });

  it('refuses a file that only starts like a PDF', async () => {
    expect(await documentProblem(PDF_MAGIC_ONLY, 'application/pdf')).toBe('The PDF document cannot be opened: Invalid PDF structure.');
  });

  it('refuses a cut-off PNG and a JPEG that is only a header', async () => {
    expect(await documentProblem(minimalPng().subarray(0, 40), 'image/png')).toMatch(/^The PNG image cannot be opened: /);
    expect(await documentProblem(JPEG_HEAD, 'image/jpeg')).toMatch(/^The JPEG image cannot be opened: /);
  });

  it('refuses an image whose pixels would not fit in memory, before decoding it', async () => {
    const png = minimalPng();
    png.writeUInt32BE(100_000, 16); // IHDR width
    png.writeUInt32BE(100_000, 20); // IHDR height (the CRC is now wrong too: the size is judged first)
    expect(await documentProblem(png, 'image/png')).toBe('The PNG image is 10000 megapixels; at most 50 are accepted.');
    const jpeg = minimalJpeg();
    const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0])); // SOF0: length, precision, height, width
    jpeg.writeUInt16BE(60_000, frame + 5);
    jpeg.writeUInt16BE(60_000, frame + 7);
    expect(await documentProblem(jpeg, 'image/jpeg')).toMatch(/^The JPEG image cannot be opened: maxResolutionInMP limit exceeded/);
  });
});
