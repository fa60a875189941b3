import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { auditTrail } from '../../../../../shared/domain/audit/containers';
import type { Container, Document } from '../../../../../shared/data/document-store';
import { AuditTrail, recordHash, recordId } from '../../../../../shared/domain/audit/audit-trail';

let container: Container<Document>;
let trail: AuditTrail;
let clock: Date;

beforeEach(async () => {
  container = await SqliteDocumentStore.open(':memory:').container<Document>(auditTrail);
  clock = new Date('2026-10-31T23:59:58Z');
  trail = new AuditTrail(container as never, () => clock);
  for (let i = 1; i <= 5; i++) await trail.append({ action: 'login.succeeded', actorId: `u${i}`, targetId: `u${i}`, outcome: 'success', ip: '192.0.2.1' });
  clock = new Date('2026-11-01T00:00:01Z');
  for (let i = 6; i <= 8; i++) await trail.append({ action: 'login.failed', actorId: null, targetId: `u${i}`, outcome: 'failure' });
});

const chainOf = async (chain: string, seq: number) => (await container.read(chain, recordId(seq)))!;

describe('audit trail', () => {
  it('chains records by hash, one chain per month, and verifies intact', async () => {
    const second = await chainOf('2026-10', 2);
    expect(second.prevHash).toBe((await chainOf('2026-10', 1)).hash);
    expect((await chainOf('2026-11', 1)).prevHash).toBe('genesis:2026-11');
    expect(await trail.verify()).toEqual({ checked: 8, chains: 2, breaks: [] });
  });

  it('appends concurrently without losing or duplicating a sequence number', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => trail.append({ action: 'x', actorId: `c${i}`, outcome: 'success' })));
    const result = await trail.verify();
    expect(result.breaks).toEqual([]);
    expect(result.checked).toBe(18);
  });

  it('finds a record whose content was altered, naming its chain and sequence', async () => {
    const record = await chainOf('2026-10', 3);
    await container.replace({ ...record, actorId: 'someone-else' });
    expect((await trail.verify()).breaks).toEqual([{ chain: '2026-10', seq: 3, reason: 'content does not match its hash (altered)' }]);
  });

  it('finds a record re-hashed after editing (the next link breaks)', async () => {
    const record = await chainOf('2026-10', 2);
    const edited = { ...record, outcome: 'failure' };
    const { _etag: _e, _ts: _t, ...plain } = edited as typeof edited & { _etag: string; _ts: number };
    await container.replace({ ...plain, hash: recordHash(plain as never) });
    expect((await trail.verify()).breaks).toEqual([{ chain: '2026-10', seq: 3, reason: 'does not link to the previous record' }]);
  });

  it('finds removed records, in the middle and at the end', async () => {
    await container.delete('2026-10', recordId(2));
    await container.delete('2026-11', recordId(3));
    const { breaks } = await trail.verify();
    expect(breaks).toEqual(
      expect.arrayContaining([
        { chain: '2026-10', seq: 2, reason: 'record 2 is missing (found 3)' },
        { chain: '2026-11', seq: 3, reason: 'the chain head does not match the last record (records removed or added)' },
      ]),
    );
  });

  it('filters by actor, action and time, newest first', async () => {
    const page = await trail.query({ action: 'login.succeeded', from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }, 10);
    expect(page.items).toHaveLength(5);
    expect((await trail.query({ actorId: 'u4' }, 10)).items.map((record) => record.seq)).toEqual([4]);
  });
});
