import { createHash } from 'node:crypto';
import { StoreError } from '../../data/errors';
import type { Condition, Container, Document, Stored } from '../../data/document-store';
import { stableJson } from '../../stable-json';

/** Who did what to whom, from where. Never holds a secret, a token or a password. */
export interface AuditEvent {
  action: string;
  actorId: string | null;
  targetId?: string;
  outcome: 'success' | 'failure';
  ip?: string;
  userAgent?: string;
  details?: Record<string, string | number | boolean | string[]>;
}

/** A record before its hash is computed. */
export interface UnsignedRecord extends Document, AuditEvent {
  kind: 'event';
  /** The chain (a calendar month, `2026-11`), also the partition. */
  chain: string;
  seq: number;
  at: string;
  prevHash: string;
}

export interface AuditRecord extends UnsignedRecord {
  hash: string;
}

/** The newest record of a chain, kept in the chain's partition so an append is one batch. */
interface ChainHead extends Document {
  kind: 'head';
  chain: string;
  seq: number;
  hash: string;
}

type AuditDocument = AuditRecord | ChainHead;

export interface ChainBreak {
  chain: string;
  seq: number;
  reason: string;
}

const HEAD_ID = 'head';
const MAX_ATTEMPTS = 20;

export function recordId(seq: number): string {
  return String(seq).padStart(12, '0');
}

export function recordHash(record: UnsignedRecord): string {
  const { _etag: _e, _ts: _t, hash: _h, ...content } = record as AuditRecord & { _etag?: string; _ts?: number };
  return createHash('sha256').update(stableJson(content)).digest('hex');
}

/**
 * Append-only, hash-chained audit trail. Each record's hash covers its content and the previous
 * record's hash; the chain head moves in the same transactional batch as the append, so two
 * concurrent appends cannot both take a sequence number (the loser retries).
 */
export class AuditTrail {
  constructor(
    private readonly container: Container<AuditDocument>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(event: AuditEvent): Promise<AuditRecord> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const at = this.now();
      const chain = at.toISOString().slice(0, 7);
      const head = (await this.container.read(chain, HEAD_ID)) as Stored<ChainHead> | null;
      const seq = (head?.seq ?? 0) + 1;
      const unsigned: UnsignedRecord = { id: recordId(seq), kind: 'event', chain, seq, at: at.toISOString(), prevHash: head?.hash ?? `genesis:${chain}`, ...event };
      const record: AuditRecord = { ...unsigned, hash: recordHash(unsigned) };
      const nextHead: ChainHead = { id: HEAD_ID, kind: 'head', chain, seq, hash: record.hash };
      try {
        await this.container.batch(chain, [{ op: 'create', document: record }, head ? { op: 'replace', document: nextHead, ifMatch: head._etag } : { op: 'create', document: nextHead }]);
        return record;
      } catch (error) {
        if (!isRace(error)) throw error;
      }
    }
    throw new Error('Audit trail: could not append after repeated concurrent writes');
  }

  async query(filter: { actorId?: string; targetId?: string; action?: string; from?: string; to?: string }, limit: number, continuation?: string) {
    const conditions: Condition[] = [{ field: 'kind', op: 'eq', value: 'event' }];
    if (filter.actorId) conditions.push({ field: 'actorId', op: 'eq', value: filter.actorId });
    if (filter.targetId) conditions.push({ field: 'targetId', op: 'eq', value: filter.targetId });
    if (filter.action) conditions.push({ field: 'action', op: 'eq', value: filter.action });
    if (filter.from) conditions.push({ field: 'at', op: 'gte', value: filter.from });
    if (filter.to) conditions.push({ field: 'at', op: 'lt', value: filter.to });
    const page = await this.container.query({ where: { and: conditions }, orderBy: [{ field: 'at', direction: 'desc' }], limit, continuation });
    return { items: page.items as Stored<AuditRecord>[], continuation: page.continuation };
  }

  /** Re-walks every chain: sequence gaps, broken links, altered records and a head that disagrees. */
  async verify(): Promise<{ checked: number; chains: number; breaks: ChainBreak[] }> {
    const heads = await this.all({ field: 'kind', op: 'eq', value: 'head' }, [{ field: 'id' }]);
    const breaks: ChainBreak[] = [];
    let checked = 0;
    for (const head of heads as ChainHead[]) {
      const records = (await this.all(
        {
          and: [
            { field: 'kind', op: 'eq', value: 'event' },
            { field: 'chain', op: 'eq', value: head.chain },
          ],
        },
        [{ field: 'seq' }],
        head.chain,
      )) as AuditRecord[];
      let expectedPrev = `genesis:${head.chain}`;
      let expectedSeq = 1;
      for (const record of records) {
        checked++;
        if (record.seq !== expectedSeq) breaks.push({ chain: head.chain, seq: expectedSeq, reason: `record ${expectedSeq} is missing (found ${record.seq})` });
        if (record.prevHash !== expectedPrev) breaks.push({ chain: head.chain, seq: record.seq, reason: 'does not link to the previous record' });
        if (recordHash(record) !== record.hash) breaks.push({ chain: head.chain, seq: record.seq, reason: 'content does not match its hash (altered)' });
        expectedPrev = record.hash;
        expectedSeq = record.seq + 1;
      }
      if (head.seq !== expectedSeq - 1 || head.hash !== expectedPrev) {
        breaks.push({ chain: head.chain, seq: head.seq, reason: 'the chain head does not match the last record (records removed or added)' });
      }
    }
    return { checked, chains: heads.length, breaks };
  }

  private async all(where: Condition, orderBy: { field: string }[], partitionKey?: string): Promise<AuditDocument[]> {
    const items: AuditDocument[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.container.query({ where, orderBy, limit: 1000, continuation, partitionKey });
      items.push(...page.items);
      continuation = page.continuation ?? undefined;
    } while (continuation);
    return items;
  }
}

/** Another append took the sequence number first (BatchError is a StoreError of its cause's kind). */
function isRace(error: unknown): boolean {
  return error instanceof StoreError && (error.kind === 'conflict' || error.kind === 'precondition_failed');
}
