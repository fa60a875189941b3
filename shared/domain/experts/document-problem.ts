import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describeContentType } from '../../blob/content-sniffing';

/** Larger images are refused before they are decoded: decoding holds every pixel in memory. */
export const MAX_IMAGE_MEGAPIXELS = 50;

/**
 * Why a file of an accepted type does not open, or undefined when it does: a PDF must parse
 * (PDF.js through unpdf, as the local reader does) with every page loadable, an image must
 * decode (pngjs, jpeg-js: pure JavaScript). Magic bytes alone let through a file that the
 * reader later chokes on.
 */
export async function documentProblem(content: Uint8Array, contentType: string): Promise<string | undefined> {
  try {
    if (contentType === 'application/pdf') return await pdfProblem(content);
    if (contentType === 'image/png') return pngProblem(Buffer.from(content.buffer, content.byteOffset, content.byteLength));
    if (contentType === 'image/jpeg') {
      jpeg.decode(content, { useTArray: true, maxResolutionInMP: MAX_IMAGE_MEGAPIXELS });
      return undefined;
    }
    return `Files of type ${contentType} cannot be opened here.`;
  } catch (error) {
    return `The ${describeContentType(contentType)} cannot be opened: ${(error as Error).message}`;
  }
}

async function pdfProblem(content: Uint8Array): Promise<string | undefined> {
  // PDF.js (1.7 MB) loads with the first PDF, not with the app.
  const { getDocumentProxy } = await import('unpdf');
  let document: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // PDF.js takes ownership of the buffer it is given, so it gets a copy; verbosity 0: errors only.
    document = await getDocumentProxy(new Uint8Array(content), { verbosity: 0 });
  } catch (error) {
    if ((error as Error).name === 'PasswordException') return 'The PDF is password-protected; upload it without a password.';
    throw error;
  }
  try {
    if (document.numPages < 1) return 'The PDF has no pages.';
    for (let page = 1; page <= document.numPages; page += 1) await document.getPage(page);
    return undefined;
  } finally {
    await document.loadingTask.destroy();
  }
}

function pngProblem(content: Buffer): string | undefined {
  // The first chunk is IHDR (checked by the decoder); its width and height say what decoding would allocate.
  if (content.length >= 24 && content.toString('latin1', 12, 16) === 'IHDR') {
    const megapixels = (content.readUInt32BE(16) * content.readUInt32BE(20)) / 1e6;
    if (megapixels > MAX_IMAGE_MEGAPIXELS) return `The PNG image is ${Math.ceil(megapixels)} megapixels; at most ${MAX_IMAGE_MEGAPIXELS} are accepted.`;
  }
  PNG.sync.read(content);
  return undefined;
}
