import type { Stored } from '../data/document-store';
import { publicUser, type UserRecord } from '../domain/identity/records';
import type { JsonResult } from './endpoint';
import { etagHeaders, strongEtag } from './etag';

/** An account as the API shows it, with the ETag a later change must send as If-Match. */
export function userWithEtag(user: Stored<UserRecord>): JsonResult {
  return { body: publicUser(user), headers: etagHeaders(strongEtag(user._etag)) };
}
