import { createHash } from 'node:crypto';

/**
 * The record id of a side effect's cause (an outbox message, an inbox item): a name-based UUID
 * (RFC 9562 version 8 over SHA-256), so the same cause always names the same record and the id
 * still looks like every other id in the API.
 */
export function causeId(cause: string): string {
  const bytes = createHash('sha256').update(cause, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
