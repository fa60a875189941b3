/**
 * The real type of an uploaded file, judged from its first bytes ("magic numbers"), so a
 * client's Content-Type header or file name is never trusted.
 */
interface Signature {
  type: string;
  /** A human name for messages. */
  label: string;
  /** The label's article when it is not "a". */
  article?: 'an';
  /** Bytes at `offset`; `undefined` matches any byte. */
  bytes: (number | undefined)[];
  offset?: number;
  /** Compare ASCII letters without regard to case (markup). */
  anyCase?: boolean;
}

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
const ANY = undefined;

const SIGNATURES: Signature[] = [
  // Files the marketplace accepts.
  { type: 'application/pdf', label: 'PDF document', bytes: ascii('%PDF-') },
  { type: 'image/png', label: 'PNG image', bytes: [0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', label: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', label: 'GIF image', bytes: ascii('GIF8') },
  { type: 'image/webp', label: 'WebP image', bytes: [...ascii('RIFF'), ANY, ANY, ANY, ANY, ...ascii('WEBP')] },
  // Files recognised only to say clearly what was refused.
  { type: 'application/x-msdownload', label: 'Windows executable', bytes: ascii('MZ') },
  { type: 'application/x-executable', label: 'ELF executable', article: 'an', bytes: [0x7f, ...ascii('ELF')] },
  { type: 'application/x-mach-binary', label: 'macOS executable', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { type: 'application/x-mach-binary', label: 'macOS executable', bytes: [0xfe, 0xed, 0xfa, 0xcf] },
  { type: 'application/x-sh', label: 'script', bytes: ascii('#!') },
  { type: 'application/zip', label: 'ZIP archive (or Office document)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/x-rar-compressed', label: 'RAR archive', bytes: ascii('Rar!') },
  { type: 'application/x-7z-compressed', label: '7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'application/gzip', label: 'gzip archive', bytes: [0x1f, 0x8b] },
  { type: 'text/html', label: 'HTML page', article: 'an', bytes: ascii('<!doctype html'), anyCase: true },
  { type: 'text/html', label: 'HTML page', article: 'an', bytes: ascii('<html'), anyCase: true },
  { type: 'image/svg+xml', label: 'SVG image', bytes: ascii('<svg'), anyCase: true },
];

/** How many leading bytes the sniffer needs. */
export const SNIFF_BYTES = Math.max(...SIGNATURES.map(({ bytes, offset = 0 }) => offset + bytes.length));

export interface SniffedType {
  type: string;
  /** e.g. `PDF document`. */
  label: string;
  /** e.g. `a PDF document`, `an ELF executable`. */
  phrase: string;
}

/** The type the bytes show, or undefined when they match no known signature. */
const lower = (byte: number) => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);

export function sniffContentType(head: Uint8Array): SniffedType | undefined {
  const match = SIGNATURES.find(
    ({ bytes, offset = 0, anyCase }) =>
      head.length >= offset + bytes.length &&
      bytes.every((byte, index) => {
        if (byte === undefined) return true;
        const actual = head[offset + index]!;
        return anyCase ? lower(actual) === byte : actual === byte;
      }),
  );
  return match && { type: match.type, label: match.label, phrase: `${match.article ?? 'a'} ${match.label}` };
}

const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
};

/** `Image/JPG; charset=x` → `image/jpeg`: the essence of a media type, with common aliases folded. */
export function normalizeContentType(value: string | undefined): string | undefined {
  const essence = value?.split(';')[0]?.trim().toLowerCase();
  if (!essence) return undefined;
  return ALIASES[essence] ?? essence;
}

/** A human name for an accepted type, for messages: `application/pdf` → `PDF document`. */
export function describeContentType(type: string): string {
  return SIGNATURES.find((signature) => signature.type === type)?.label ?? type;
}
