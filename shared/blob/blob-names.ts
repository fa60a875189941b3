import { AppError } from '../errors';

/** Azure's limit on a blob name. */
export const MAX_BLOB_NAME_LENGTH = 1024;

const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;
/** A UTF-16 surrogate without its pair: it cannot be percent-encoded into a URL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a blob name is refused, or undefined when it is fine. */
export function blobNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a blob name is required';
  if (name.length > MAX_BLOB_NAME_LENGTH) return `a blob name has at most ${MAX_BLOB_NAME_LENGTH} characters`;
  if (name.startsWith('/')) return 'a blob name must not start with "/"';
  if (name.endsWith('/')) return 'a blob name must not end with "/"';
  if (CONTROL_OR_BACKSLASH.test(name)) return 'a blob name must not contain control characters or "\\"';
  if (LONE_SURROGATE.test(name)) return 'a blob name must be well-formed Unicode';
  for (const segment of name.split('/')) {
    if (segment === '') return 'a blob name must not contain "//"';
    if (segment === '.' || segment === '..') return 'a blob name must not contain "." or ".." segments';
  }
  return undefined;
}

/**
 * Checks a blob name that a caller built from ids and user input, so it cannot escape the
 * prefix it was built under: no traversal segments, no leading or trailing slash, no empty
 * segments, no control characters, at most 1024 characters. Returns the name unchanged.
 */
export function assertBlobName(name: string): string {
  const problem = blobNameProblem(name);
  if (problem) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : String(name);
    throw new AppError('validation', `Invalid blob name ${shown}: ${problem}.`, {
      issues: [{ field: 'blobName', message: problem }],
    });
  }
  return name;
}
