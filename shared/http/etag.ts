import { hash } from 'node:crypto';
import type { HttpRequest } from '@azure/functions';
import { AppError } from '../errors';

interface EntityTag {
  weak: boolean;
  /** The quoted part, quotes included. */
  opaque: string;
}

/** `W/"x"` or `"x"` followed by a comma or the end, per RFC 9110 §8.8.3. */
const ENTITY_TAG = /\s*(W\/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)/y;

/** A strong ETag for a representation or a version marker (such as Cosmos DB's `_etag`). */
export function strongEtag(value: unknown): string {
  return `"${hash('sha256', JSON.stringify(value), 'base64url').slice(0, 27)}"`;
}

/**
 * Headers for a response carrying an ETag. `no-cache` (store, but revalidate every time)
 * replaces the default `no-store`, which would keep clients from ever sending If-None-Match.
 */
export function etagHeaders(etag: string): Record<string, string> {
  return { ETag: etag, 'Cache-Control': 'private, no-cache' };
}

/**
 * Guards an update: 428 when the client did not say which version it changes, 412 when that
 * version is no longer current. If-Match uses strong comparison, so weak tags never match.
 */
export function requireIfMatch(request: HttpRequest, currentEtag: string): void {
  const header = request.headers.get('if-match');
  if (header === null) {
    throw new AppError('precondition_required', 'This update requires an If-Match header with the ETag you last read.');
  }
  const current = parseEntityTag(currentEtag);
  const tags = parseEntityTagList(header);
  const matches = tags === '*' || tags.some((tag) => !tag.weak && !current.weak && tag.opaque === current.opaque);
  if (!matches) {
    throw new AppError('precondition_failed', 'The resource has changed since you read it; read it again and retry.', {
      headers: { ETag: currentEtag },
    });
  }
}

/**
 * True when a GET's If-None-Match already names the current version, so the answer is 304.
 * Weak comparison applies: `W/"x"` matches `"x"`.
 */
export function notModified(request: HttpRequest, currentEtag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (header === null) return false;
  const tags = parseEntityTagList(header);
  const current = parseEntityTag(currentEtag);
  return tags === '*' || tags.some((tag) => tag.opaque === current.opaque);
}

/** `*`, or the entity tags in a list; a malformed list matches nothing. */
function parseEntityTagList(header: string): '*' | EntityTag[] {
  if (header.trim() === '*') return '*';
  const tags: EntityTag[] = [];
  ENTITY_TAG.lastIndex = 0;
  while (ENTITY_TAG.lastIndex < header.length) {
    const match = ENTITY_TAG.exec(header);
    if (!match) return [];
    tags.push({ weak: match[1] !== undefined, opaque: match[2]! });
  }
  return tags;
}

function parseEntityTag(etag: string): EntityTag {
  const tags = parseEntityTagList(etag);
  if (tags === '*' || tags.length !== 1) throw new Error(`Not a single entity tag: ${etag}`);
  return tags[0]!;
}
