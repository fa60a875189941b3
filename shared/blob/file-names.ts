import { normalizeContentType } from './content-sniffing';

/**
 * File names a user gives a file, which end up on another person's disk when they download it.
 * A name must show what it is: no characters that are invisible or reorder the text (a
 * right-to-left override turns "…\u202Efdp.hta" into "…ath.pdf" on screen), none that a file
 * system gives a meaning to, and the type's extension is always the last one (`withTypeExtension`).
 */
export const MAX_FILE_NAME_LENGTH = 200;

/**
 * Characters that do not show as themselves: controls (Cc), formatting such as bidi overrides,
 * isolates and zero-width joiners (Cf), lone surrogates (Cs), private use (Co), line and
 * paragraph separators (Zl, Zp) and the rest of what Unicode says to render as nothing
 * (Default_Ignorable_Code_Point: fillers, variation selectors).
 */
export const INVISIBLE_CHARACTER = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
/** Path separators and the characters Windows refuses in a name (":" also opens an NTFS stream). */
const RESERVED_CHARACTER = /[/\\:*?"<>|]/;
/** Device names Windows reserves whatever the extension ("CON.pdf" opens the console). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

const EXTENSIONS: Record<string, readonly [string, ...string[]]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
};

/** Why a file name is refused, or undefined when it is fine. */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_FILE_NAME_LENGTH) return `must be at most ${MAX_FILE_NAME_LENGTH} characters`;
  const invisible = INVISIBLE_CHARACTER.exec(name)?.[0];
  if (invisible !== undefined) {
    const code = `U+${invisible.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return `must not contain control, invisible or text-direction characters (found ${code})`;
  }
  const reserved = RESERVED_CHARACTER.exec(name)?.[0];
  if (reserved !== undefined) return `must not contain "${reserved}" (no folders or characters reserved by Windows: / \\ : * ? " < > |)`;
  if (name.startsWith('.')) return 'must not start with "."';
  if (/[. ]$/.test(name)) return 'must not end with "." or a space (Windows drops them)';
  const stem = name.split('.')[0]!.trimEnd();
  if (WINDOWS_DEVICE.test(stem)) return `must not be "${stem}", a device name Windows reserves`;
  return undefined;
}

/** The usual extension of a media type (`image/jpeg` → `jpg`), or undefined for types without one here. */
export function extensionFor(contentType: string): string | undefined {
  return EXTENSIONS[normalizeContentType(contentType) ?? '']?.[0];
}

/**
 * The name with the content type's extension last: kept when it already ends in one
 * ("Plan.PDF"), appended otherwise ("x.exe" → "x.exe.pdf"), so what opens the file is its real
 * type. The stem is shortened to keep the result within `MAX_FILE_NAME_LENGTH`.
 */
export function withTypeExtension(name: string, contentType: string): string {
  const extensions = EXTENSIONS[normalizeContentType(contentType) ?? ''];
  if (!extensions) return name;
  const dot = name.lastIndexOf('.');
  if (dot > 0 && extensions.includes(name.slice(dot + 1).toLowerCase())) return name;
  const suffix = `.${extensions[0]}`;
  return `${[...name].slice(0, MAX_FILE_NAME_LENGTH - suffix.length).join('')}${suffix}`;
}
