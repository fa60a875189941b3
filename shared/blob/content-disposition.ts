import { INVISIBLE_CHARACTER } from './file-names';

/**
 * `Content-Disposition: attachment` with a file name any browser reads: a plain ASCII
 * `filename` fallback and, when the name is not plain ASCII, the exact UTF-8 name in
 * `filename*` (RFC 6266 / RFC 8187). Header values must be ASCII, so non-ASCII is never sent raw.
 */
export function attachmentDisposition(fileName: string): string {
  const name = safeFileName(fileName);
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  if (fallback === name) return `attachment; filename="${name}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

const INVISIBLE_CHARACTERS = new RegExp(INVISIBLE_CHARACTER.source, 'gu');

/**
 * The last path segment, without invisible characters (controls, bidi overrides, lone
 * surrogates) or quotes, at most 200 characters; `download` when nothing is left. Names are
 * checked when they are given (`fileNameProblem`); this also covers names stored before that.
 */
export function safeFileName(fileName: string): string {
  const base = fileName.split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(INVISIBLE_CHARACTERS, '').replace(/"/g, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return 'download';
  return [...cleaned].slice(0, 200).join('');
}

/** Percent-encodes everything outside RFC 8187's attr-char set. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
