import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { decodeCursor, encodeCursor, page, paginationQuery } from '../../../../shared/http/pagination';

const position = z.object({ createdAt: z.iso.datetime(), id: z.string() }).strict();

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('cursor pagination', () => {
  it('round-trips a position through an opaque url-safe cursor', () => {
    const at = { createdAt: '2025-01-02T03:04:05Z', id: 'e/1+2' };
    const cursor = encodeCursor(at);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('createdAt');
    expect(decodeCursor(cursor, position)).toEqual(at);
  });

  it('builds pages with a next cursor only when there is more', () => {
    const more = page([1, 2], { createdAt: '2025-01-02T03:04:05Z', id: 'b' });
    expect(decodeCursor(more.nextCursor!, position)).toEqual({ createdAt: '2025-01-02T03:04:05Z', id: 'b' });
    expect(page([3], undefined)).toEqual({ items: [3], nextCursor: null });
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['not JSON', Buffer.from('{"createdAt":').toString('base64url')],
    ['edited to another shape', encodeCursor({ createdAt: 'yesterday', id: 'x' })],
    ['with an injected field', encodeCursor({ createdAt: '2025-01-02T03:04:05Z', id: 'x', partition: 'other-tenant' })],
  ])('rejects a %s cursor as a validation error on query.cursor', (_label, cursor) => {
    const error = thrown(() => decodeCursor(cursor, position));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('validation');
    expect((error as AppError).issues).toEqual([{ field: 'query.cursor', message: expect.any(String) }]);
  });

  it('reads limit from the query string with bounds and a default', () => {
    expect(paginationQuery.parse({})).toEqual({ limit: 20 });
    expect(paginationQuery.parse({ limit: '100', cursor: 'abc' })).toEqual({ limit: 100, cursor: 'abc' });
    for (const limit of ['0', '101', '2.5', 'ten', '']) expect(paginationQuery.safeParse({ limit }).success).toBe(false);
  });
});
