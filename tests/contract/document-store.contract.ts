/**
 * The document-store contract: one suite that every adapter (embedded SQLite, Cosmos DB) must pass. It speaks only
 * through the port, uses a fresh container per test (so it can share a real Cosmos account), and where scores are
 * adapter-specific it asserts order, not numbers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, type RunnerTask } from 'vitest';
import type { Condition, Container, ContainerDefinition, Document, DocumentStore, QueryOptions, SortKey, Stored } from '../../shared/data/document-store';
import { BatchError, StoreError, type StoreErrorKind } from '../../shared/data/errors';

export interface ContractClock {
  /** Moves the adapter's clock forward; without a clock the suite waits in real time. */
  advance(ms: number): void;
}

export interface ContractOptions {
  clock?: ContractClock;
  /**
   * Cases this target cannot check, each with the reason it is skipped: keyed by the case's name under the suite
   * (`group > case`), or by a group's name for all of its cases. An entry that names no case fails the run, so the
   * list stays exact.
   */
  unsupported?: Record<string, string>;
}

interface Item extends Document {
  tenant: string | number;
  [field: string]: unknown;
}

/** Strings that would change a query's meaning if any adapter built SQL, FTS or JSON paths by concatenation. */
const HOSTILE_STRINGS = [
  `' OR 1=1 --`,
  `"); DROP TABLE documents; --`,
  `x'); DELETE FROM containers; --`,
  `NEAR(haccp audit)`,
  `*`,
  `"`,
  `AND`,
  `haccp" OR "audit`,
  `$.id`,
  `$[0]`,
  `') OR json_extract(doc, '$.id') IS NOT NULL --`,
  `%_`,
];
const HOSTILE_FIELD_PATHS = [`n') OR 1=1 --`, `$.n`, `n[0]`, `n.*`, `n..m`, `n"`, `1n`, ``];

export function runDocumentStoreContract(adapterName: string, open: () => Promise<DocumentStore>, options: ContractOptions = {}): void {
  describe(`document store contract: ${adapterName}`, () => {
    let store: DocumentStore;
    const run = randomUUID().slice(0, 8);
    let containers = 0;

    const unsupported = Object.entries(options.unsupported ?? {});
    const prefix = `document store contract: ${adapterName} > `;
    const covers = (key: string, name: string) => name === key || name.startsWith(`${key} > `);

    beforeAll(async () => {
      store = await open();
    });
    beforeEach((context) => {
      const entry = unsupported.find(([key]) => covers(key, context.task.fullTestName.slice(prefix.length)));
      if (entry) context.skip(`${adapterName} cannot check this: ${entry[1]}`);
    });
    // biome-ignore lint/correctness/noEmptyPattern: vitest hands the suite over second, after fixtures it requires destructured
    afterAll(async ({}, suite) => {
      await store?.close();
      // Checked against every collected case, run or filtered out, so `vitest -t` does not trip it.
      const names: string[] = [];
      const collect = (task: RunnerTask) => (task.type === 'suite' ? task.tasks.forEach(collect) : names.push(task.fullTestName.slice(prefix.length)));
      collect(suite);
      const stale = unsupported.map(([key]) => key).filter((key) => !names.some((name) => covers(key, name)));
      expect(stale, 'unsupported entries that name no contract case').toEqual([]);
    });

    /** A container of its own for each test. */
    function fresh<T extends Document = Item>(definition: Partial<ContainerDefinition> = {}): Promise<Container<T>> {
      return store.container<T>({ name: `contract-${run}-${++containers}`, partitionKey: 'tenant', ...definition });
    }

    async function elapse(ms: number): Promise<void> {
      if (options.clock) options.clock.advance(ms);
      else await new Promise((resolve) => setTimeout(resolve, ms));
    }

    async function expectStoreError(operation: Promise<unknown>, kind: StoreErrorKind): Promise<StoreError> {
      const error = await operation.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error, `expected a ${kind} StoreError`).toBeInstanceOf(StoreError);
      expect((error as StoreError).kind).toBe(kind);
      return error as StoreError;
    }

    async function seed<T extends Document>(container: Container<T>, documents: T[]): Promise<void> {
      for (const document of documents) await container.create(document);
    }

    async function queryAll<T extends Document>(container: Container<T>, query: QueryOptions = {}): Promise<Stored<T>[]> {
      const items: Stored<T>[] = [];
      let continuation: string | undefined;
      do {
        const page = await container.query({ ...query, continuation });
        items.push(...page.items);
        continuation = page.continuation ?? undefined;
      } while (continuation);
      return items;
    }

    const ids = (items: { id: string }[]) => items.map((item) => item.id);
    const sortedIds = (items: { id: string }[]) => ids(items).sort();

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('create, read, replace, upsert, delete', () => {
      it('creates and reads back a document with an etag and a timestamp', async () => {
        const container = await fresh();
        const before = Math.floor(Date.now() / 1000);
        const created = await container.create({ id: 'e1', tenant: 't1', name: 'Dana', rate: 120, tags: ['haccp'], address: { country: 'IL' } });
        expect(created).toMatchObject({ id: 'e1', tenant: 't1', name: 'Dana', rate: 120, tags: ['haccp'], address: { country: 'IL' } });
        expect(created._etag).toEqual(expect.any(String));
        expect(Number.isInteger(created._ts)).toBe(true);
        if (!options.clock) expect(Math.abs(created._ts - before)).toBeLessThan(120);
        expect(await container.read('t1', 'e1')).toEqual(created);
      });

      it('gives etags in the quoted form of HTTP entity tags', async () => {
        const container = await fresh();
        expect((await container.create({ id: 'q', tenant: 't1' }))._etag).toMatch(/^".+"$/);
      });

      it('refuses a second create of the same id in a partition, but not in another partition', async () => {
        const container = await fresh();
        await container.create({ id: 'same', tenant: 't1', v: 1 });
        await expectStoreError(container.create({ id: 'same', tenant: 't1', v: 2 }), 'conflict');
        await container.create({ id: 'same', tenant: 't2', v: 3 });
        expect((await container.read('t1', 'same'))?.v).toBe(1);
        expect((await container.read('t2', 'same'))?.v).toBe(3);
      });

      it('treats string and number partition keys as different partitions', async () => {
        const container = await fresh();
        await container.create({ id: 'k', tenant: '1', kind: 'string' });
        await container.create({ id: 'k', tenant: 1, kind: 'number' });
        expect((await container.read('1', 'k'))?.kind).toBe('string');
        expect((await container.read(1, 'k'))?.kind).toBe('number');
        expect(ids((await container.query({ partitionKey: 1 })).items)).toEqual(['k']);
      });

      it('reads null, and replaces or deletes with not_found, when the document is absent', async () => {
        const container = await fresh();
        expect(await container.read('t1', 'missing')).toBeNull();
        await expectStoreError(container.replace({ id: 'missing', tenant: 't1' }), 'not_found');
        await expectStoreError(container.delete('t1', 'missing'), 'not_found');
        await expectStoreError(container.patch('t1', 'missing', [{ op: 'set', path: 'a', value: 1 }]), 'not_found');
      });

      it('replaces with a new etag and honours ifMatch', async () => {
        const container = await fresh();
        const v1 = await container.create({ id: 'r', tenant: 't1', step: 1 });
        const v2 = await container.replace({ id: 'r', tenant: 't1', step: 2 }, { ifMatch: v1._etag });
        expect(v2._etag).not.toBe(v1._etag);
        expect(v2.step).toBe(2);
        await expectStoreError(container.replace({ id: 'r', tenant: 't1', step: 3 }, { ifMatch: v1._etag }), 'precondition_failed');
        expect((await container.read('t1', 'r'))?.step).toBe(2);
        const v3 = await container.replace({ id: 'r', tenant: 't1', step: 3 });
        expect(v3.step).toBe(3);
        expect(v3).not.toHaveProperty('stale');
      });

      it('replaces the whole document (fields not given are gone)', async () => {
        const container = await fresh();
        await container.create({ id: 'w', tenant: 't1', keep: 1, drop: 2 });
        await container.replace({ id: 'w', tenant: 't1', keep: 1 });
        expect(await container.read('t1', 'w')).not.toHaveProperty('drop');
      });

      it('upserts: creates, then replaces, and honours ifMatch', async () => {
        const container = await fresh();
        const created = await container.upsert({ id: 'u', tenant: 't1', n: 1 });
        const replaced = await container.upsert({ id: 'u', tenant: 't1', n: 2 }, { ifMatch: created._etag });
        expect(replaced.n).toBe(2);
        await expectStoreError(container.upsert({ id: 'u', tenant: 't1', n: 3 }, { ifMatch: created._etag }), 'precondition_failed');
        expect((await container.read('t1', 'u'))?.n).toBe(2);
      });

      it('deletes, honouring ifMatch', async () => {
        const container = await fresh();
        const v1 = await container.create({ id: 'd', tenant: 't1' });
        const v2 = await container.replace({ id: 'd', tenant: 't1', again: true });
        await expectStoreError(container.delete('t1', 'd', { ifMatch: v1._etag }), 'precondition_failed');
        await container.delete('t1', 'd', { ifMatch: v2._etag });
        expect(await container.read('t1', 'd')).toBeNull();
        await container.create({ id: 'd', tenant: 't1', reborn: true });
        expect((await container.read('t1', 'd'))?.reborn).toBe(true);
      });

      it('ignores system fields in the input', async () => {
        const container = await fresh();
        const created = await container.create({ id: 's', tenant: 't1', _etag: '"forged"', _ts: 1 } as Item);
        expect(created._etag).not.toBe('"forged"');
        expect(created._ts).not.toBe(1);
        const replaced = await container.replace({ ...created, note: 'round trip of a read document' });
        expect(replaced._etag).not.toBe(created._etag);
      });

      it('refuses documents without a string id or a string/number partition key', async () => {
        const container = await fresh();
        const bad: unknown[] = [
          { tenant: 't1' },
          { id: 42, tenant: 't1' },
          { id: '', tenant: 't1' },
          { id: 'a/b', tenant: 't1' },
          { id: 'a\\b', tenant: 't1' },
          { id: 'a?b', tenant: 't1' },
          { id: 'a#b', tenant: 't1' },
          { id: 'no-key' },
          { id: 'bool-key', tenant: true },
          { id: 'object-key', tenant: { a: 1 } },
          { id: 'null-key', tenant: null },
          ['not', 'an', 'object'],
          null,
        ];
        for (const document of bad) await expectStoreError(container.create(document as Item), 'validation');
        await expectStoreError(container.upsert({ id: 'a/b', tenant: 't1' }), 'validation');
        await expectStoreError(container.read('t1', 'a#b'), 'validation');
        expect(await container.count()).toBe(0);
      });

      it('lets one of two writers with the same etag win and refuses the other', async () => {
        const container = await fresh();
        const original = await container.create({ id: 'race', tenant: 't1', owner: 'nobody' });
        const results = await Promise.allSettled([
          container.replace({ id: 'race', tenant: 't1', owner: 'alice' }, { ifMatch: original._etag }),
          container.replace({ id: 'race', tenant: 't1', owner: 'bob' }, { ifMatch: original._etag }),
        ]);
        const winners = results.filter((result) => result.status === 'fulfilled');
        const losers = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(1);
        expect((losers[0].reason as StoreError).kind).toBe('precondition_failed');
        const winner = (winners[0] as PromiseFulfilledResult<Stored<Item>>).value;
        expect(await container.read('t1', 'race')).toEqual(winner);
      });

      it('loses no update when writers retry on precondition_failed', async () => {
        const container = await fresh();
        await container.create({ id: 'list', tenant: 't1', names: [] });
        const writers = Array.from({ length: 8 }, (_, i) => `writer-${i}`);
        await Promise.all(
          writers.map(async (name) => {
            for (;;) {
              const current = (await container.read('t1', 'list'))!;
              try {
                await container.replace({ ...current, names: [...(current.names as string[]), name] }, { ifMatch: current._etag });
                return;
              } catch (error) {
                if ((error as StoreError).kind !== 'precondition_failed') throw error;
              }
            }
          }),
        );
        expect(((await container.read('t1', 'list'))!.names as string[]).sort()).toEqual(writers.sort());
      });

      it('applies concurrent increments without losing any', async () => {
        const container = await fresh();
        await container.create({ id: 'counter', tenant: 't1', n: 0 });
        await Promise.all(Array.from({ length: 20 }, () => container.patch('t1', 'counter', [{ op: 'increment', path: 'n', value: 1 }])));
        expect((await container.read('t1', 'counter'))?.n).toBe(20);
      });

      it('returns the same container for the same definition, with the data kept', async () => {
        const definition: ContainerDefinition = { name: `contract-${run}-again`, partitionKey: 'tenant', indexes: ['n'] };
        const first = await store.container<Item>(definition);
        await first.create({ id: 'kept', tenant: 't1', n: 1 });
        const second = await store.container<Item>({ ...definition });
        expect((await second.read('t1', 'kept'))?.n).toBe(1);
      });
    });

    describe('patch', () => {
      async function patched(operations: Parameters<Container<Item>['patch']>[2], initial: Partial<Item> = {}) {
        const container = await fresh();
        await container.create({ id: 'p', tenant: 't1', name: 'Dana', rate: 100, tags: ['a'], address: { city: 'Haifa' }, ...initial });
        return { container, result: await container.patch('t1', 'p', operations) };
      }

      it('sets top-level and nested fields, new or existing', async () => {
        const { container, result } = await patched([
          { op: 'set', path: 'name', value: 'Dana L.' },
          { op: 'set', path: 'address.country', value: 'IL' },
          { op: 'set', path: 'profile', value: { verified: true } },
        ]);
        expect(result).toMatchObject({ name: 'Dana L.', address: { city: 'Haifa', country: 'IL' }, profile: { verified: true } });
        expect(await container.read('t1', 'p')).toEqual(result);
      });

      it('removes a field', async () => {
        const { result } = await patched([{ op: 'remove', path: 'address.city' }]);
        expect(result.address).toEqual({});
      });

      it('increments a number, creating it when absent', async () => {
        const { result } = await patched([
          { op: 'increment', path: 'rate', value: -25 },
          { op: 'increment', path: 'views', value: 3 },
        ]);
        expect(result.rate).toBe(75);
        expect(result.views).toBe(3);
      });

      it('appends to an array, creating it when absent', async () => {
        const { result } = await patched([
          { op: 'append', path: 'tags', value: 'b' },
          { op: 'append', path: 'languages', value: 'he' },
        ]);
        expect(result.tags).toEqual(['a', 'b']);
        expect(result.languages).toEqual(['he']);
      });

      it('gives a new etag and honours ifMatch', async () => {
        const container = await fresh();
        const v1 = await container.create({ id: 'p', tenant: 't1', n: 1 });
        const v2 = await container.patch('t1', 'p', [{ op: 'set', path: 'n', value: 2 }], { ifMatch: v1._etag });
        expect(v2._etag).not.toBe(v1._etag);
        await expectStoreError(container.patch('t1', 'p', [{ op: 'set', path: 'n', value: 3 }], { ifMatch: v1._etag }), 'precondition_failed');
        expect((await container.read('t1', 'p'))?.n).toBe(2);
      });

      it('applies a conditional patch only when the current document matches', async () => {
        const container = await fresh();
        await container.create({ id: 'p', tenant: 't1', status: 'open', claims: 0 });
        const claim = () =>
          container.patch(
            't1',
            'p',
            [
              { op: 'set', path: 'status', value: 'claimed' },
              { op: 'increment', path: 'claims', value: 1 },
            ],
            { condition: { field: 'status', op: 'eq', value: 'open' } },
          );
        expect((await claim()).status).toBe('claimed');
        await expectStoreError(claim(), 'precondition_failed');
        expect((await container.read('t1', 'p'))?.claims).toBe(1);
      });

      it('refuses impossible operations, applying none of the patch', async () => {
        const container = await fresh();
        const original = await container.create({ id: 'p', tenant: 't1', name: 'Dana', tags: ['a'], rate: 1 });
        const impossible: Parameters<Container<Item>['patch']>[2][] = [
          [{ op: 'set', path: 'missing.child', value: 1 }],
          [{ op: 'remove', path: 'nothing' }],
          [{ op: 'increment', path: 'name', value: 1 }],
          [{ op: 'append', path: 'name', value: 'x' }],
          [{ op: 'set', path: 'id', value: 'other' }],
          [{ op: 'set', path: 'tenant', value: 't2' }],
          [],
          Array.from({ length: 11 }, (_, i) => ({ op: 'set' as const, path: `f${i}`, value: i })),
          [
            { op: 'set', path: 'rate', value: 2 },
            { op: 'remove', path: 'nothing' },
          ],
        ];
        for (const operations of impossible) await expectStoreError(container.patch('t1', 'p', operations), 'validation');
        expect(await container.read('t1', 'p')).toEqual(original);
      });
    });

    describe('conditions', () => {
      const documents: Item[] = [
        { id: 'a', tenant: 't1', n: 1, s: 'apple', b: true, tags: ['x', 'y'], nested: { c: 'IL' }, nul: null },
        { id: 'b', tenant: 't1', n: 2, s: 'Banana', b: false, tags: ['y'], nested: { c: 'US' } },
        { id: 'c', tenant: 't2', n: '2', s: 'apricot', tags: [], nested: { c: 'IL' } },
        { id: 'd', tenant: 't2', n: 10, s: 'cherry', tags: ['x', 1, true], nul: null },
        { id: 'e', tenant: 't2' },
      ];
      let container: Container<Item>;
      beforeAll(async () => {
        container = await fresh({ indexes: ['n', 's'] });
        await seed(container, documents);
      });

      const cases: [string, Condition, string[]][] = [
        ['eq number (never the string "2")', { field: 'n', op: 'eq', value: 2 }, ['b']],
        ['eq string (never the number 2)', { field: 'n', op: 'eq', value: '2' }, ['c']],
        ['eq true', { field: 'b', op: 'eq', value: true }, ['a']],
        ['eq false (never 0 or a missing field)', { field: 'b', op: 'eq', value: false }, ['b']],
        ['eq null (only an explicit null)', { field: 'nul', op: 'eq', value: null }, ['a', 'd']],
        ['ne (same type only, never a missing field)', { field: 'n', op: 'ne', value: 2 }, ['a', 'd']],
        ['lt', { field: 'n', op: 'lt', value: 10 }, ['a', 'b']],
        ['lte', { field: 'n', op: 'lte', value: 2 }, ['a', 'b']],
        ['gt', { field: 'n', op: 'gt', value: 1 }, ['b', 'd']],
        ['gte', { field: 'n', op: 'gte', value: 2 }, ['b', 'd']],
        ['gt on strings is ordinal', { field: 's', op: 'gt', value: 'apple' }, ['c', 'd']],
        ['in with mixed types', { field: 'n', op: 'in', values: [1, '2', true] }, ['a', 'c']],
        ['in with no values', { field: 'n', op: 'in', values: [] }, []],
        ['contains a string', { field: 'tags', op: 'contains', value: 'x' }, ['a', 'd']],
        ['contains a number (not its string)', { field: 'tags', op: 'contains', value: 1 }, ['d']],
        ['contains "1" (not the number)', { field: 'tags', op: 'contains', value: '1' }, []],
        ['contains true', { field: 'tags', op: 'contains', value: true }, ['d']],
        ['startsWith', { field: 's', op: 'startsWith', value: 'ap' }, ['a', 'c']],
        ['startsWith is case-sensitive', { field: 's', op: 'startsWith', value: 'b' }, []],
        ['startsWith upper case', { field: 's', op: 'startsWith', value: 'B' }, ['b']],
        ['startsWith the empty string matches every string', { field: 's', op: 'startsWith', value: '' }, ['a', 'b', 'c', 'd']],
        ['defined', { field: 'n', op: 'defined', value: true }, ['a', 'b', 'c', 'd']],
        ['not defined', { field: 'n', op: 'defined', value: false }, ['e']],
        ['null is defined', { field: 'nul', op: 'defined', value: true }, ['a', 'd']],
        ['nested field', { field: 'nested.c', op: 'eq', value: 'IL' }, ['a', 'c']],
        [
          'and',
          {
            and: [
              { field: 'n', op: 'gt', value: 1 },
              { field: 'tags', op: 'contains', value: 'x' },
            ],
          },
          ['d'],
        ],
        [
          'or',
          {
            or: [
              { field: 's', op: 'eq', value: 'cherry' },
              { field: 'b', op: 'eq', value: true },
            ],
          },
          ['a', 'd'],
        ],
        ['empty and is true', { and: [] }, ['a', 'b', 'c', 'd', 'e']],
        ['empty or is false', { or: [] }, []],
        ['not eq skips other types and missing fields', { not: { field: 'n', op: 'eq', value: 2 } }, ['a', 'd']],
        ['not in', { not: { field: 'n', op: 'in', values: [1] } }, ['b', 'd']],
        [
          'not eq where the field is present',
          {
            and: [{ field: 'nested.c', op: 'defined', value: true }, { not: { field: 'nested.c', op: 'eq', value: 'IL' } }],
          },
          ['b'],
        ],
        [
          'not in where the field is present',
          {
            and: [{ field: 'nested.c', op: 'defined', value: true }, { not: { field: 'nested.c', op: 'in', values: ['US'] } }],
          },
          ['a', 'c'],
        ],
        ['not contains needs an array', { not: { field: 'tags', op: 'contains', value: 'x' } }, ['b', 'c']],
        ['not startsWith needs a string', { not: { field: 's', op: 'startsWith', value: 'ap' } }, ['b', 'd']],
        ['not defined, negated', { not: { field: 'n', op: 'defined', value: true } }, ['e']],
        [
          'not of or (De Morgan)',
          {
            not: {
              or: [
                { field: 'n', op: 'eq', value: 1 },
                { field: 'n', op: 'eq', value: 10 },
              ],
            },
          },
          ['b'],
        ],
        ['double not', { not: { not: { field: 'b', op: 'eq', value: true } } }, ['a']],
      ];
      it.each(cases)('%s', async (_, where, expected) => {
        expect(sortedIds(await queryAll(container, { where }))).toEqual(expected);
        expect(await container.count({ where })).toBe(expected.length);
      });

      it('refuses values that are not scalars', async () => {
        await expectStoreError(container.query({ where: { field: 'n', op: 'eq', value: { $gt: 1 } as never } }), 'validation');
        await expectStoreError(container.query({ where: { field: 'n', op: 'eq', value: Number.NaN } }), 'validation');
        await expectStoreError(container.query({ where: { field: 'n', op: 'in', values: [[1]] as never } }), 'validation');
      });
    });

    describe('sorting', () => {
      async function tied(): Promise<Container<Item>> {
        const container = await fresh({ indexes: ['n'] });
        await seed(container, [
          { id: 'c', tenant: 't1', n: 2 },
          { id: 'a', tenant: 't2', n: 3 },
          { id: 'b', tenant: 't1', n: 1 },
          { id: 'e', tenant: 't3', n: 2 },
          { id: 'd', tenant: 't2', n: 2 },
        ]);
        return container;
      }

      it('sorts ascending, ties broken by id, and by id either way', async () => {
        const container = await tied();
        expect(ids(await queryAll(container, { orderBy: [{ field: 'n' }] }))).toEqual(['b', 'c', 'd', 'e', 'a']);
        expect(ids(await queryAll(container, { orderBy: [{ field: 'id', direction: 'desc' }] }))).toEqual(['e', 'd', 'c', 'b', 'a']);
        expect(ids(await queryAll(container))).toEqual(['a', 'b', 'c', 'd', 'e']);
      });

      it('sorts descending, ties broken by id', async () => {
        const container = await tied();
        expect(ids(await queryAll(container, { orderBy: [{ field: 'n', direction: 'desc' }] }))).toEqual(['a', 'e', 'd', 'c', 'b']);
      });

      it.each(['as declared', 'in reverse'] as const)('sorts by several keys with a composite index, %s', async (way) => {
        const container = await fresh({
          compositeIndexes: [
            [
              { path: 'country', order: 'asc' },
              { path: 'rate', order: 'desc' },
            ],
          ],
        });
        await seed(container, [
          { id: 'il-low', tenant: 't1', country: 'IL', rate: 50 },
          { id: 'us-high', tenant: 't2', country: 'US', rate: 300 },
          { id: 'il-high', tenant: 't2', country: 'IL', rate: 200 },
          { id: 'de-mid', tenant: 't1', country: 'DE', rate: 120 },
          { id: 'us-low', tenant: 't1', country: 'US', rate: 90 },
        ]);
        const forward: SortKey[] = [
          { field: 'country', direction: 'asc' },
          { field: 'rate', direction: 'desc' },
        ];
        const backward: SortKey[] = [
          { field: 'country', direction: 'desc' },
          { field: 'rate', direction: 'asc' },
        ];
        const expected = ['de-mid', 'il-high', 'il-low', 'us-high', 'us-low'];
        const sorted = ids(await queryAll(container, { orderBy: way === 'as declared' ? forward : backward, limit: 2 }));
        expect(sorted).toEqual(way === 'as declared' ? expected : [...expected].reverse());
      });

      it.each(['asc', 'desc'] as const)('orders mixed types as Cosmos does: null < booleans < numbers < strings, keeping undefined (%s)', async (direction) => {
        const container = await fresh({ indexes: ['v'] });
        const values: [string, unknown][] = [
          ['s-b', 'b'],
          ['n-5', 5],
          ['null', null],
          ['s-A', 'A'],
          ['true', true],
          ['n-neg', -1.5],
          ['false', false],
          ['n-10', 10],
        ];
        await seed(container, [...values.map(([id, v]) => ({ id, tenant: 't1', v })), { id: 'missing', tenant: 't1' }]);
        const definedOrder = ['null', 'false', 'true', 'n-neg', 'n-5', 'n-10', 's-A', 's-b'];
        const sorted = ids(await queryAll(container, { orderBy: [{ field: 'v', direction }], limit: 3 }));
        expect(sorted.filter((id) => id !== 'missing')).toEqual(direction === 'asc' ? definedOrder : [...definedOrder].reverse());
        expect(sorted).toContain('missing');
      });

      it('refuses a sort that no declared index serves', async () => {
        const container = await fresh({ indexes: ['a'] });
        await expectStoreError(container.query({ orderBy: [{ field: 'b' }] }), 'validation');
        await expectStoreError(container.query({ orderBy: [{ field: 'a' }, { field: 'b' }] }), 'validation');
      });
    });

    describe('pagination', () => {
      it('pages through everything once, in order, and ends with a null continuation', async () => {
        const container = await fresh({ indexes: ['n'] });
        await seed(
          container,
          Array.from({ length: 25 }, (_, i) => ({ id: `d${String(i).padStart(2, '0')}`, tenant: `t${i % 3}`, n: i % 7 })),
        );
        const pages: Stored<Item>[][] = [];
        let continuation: string | undefined;
        do {
          const page = await container.query({ orderBy: [{ field: 'n' }], limit: 10, continuation });
          pages.push(page.items);
          continuation = page.continuation ?? undefined;
        } while (continuation);
        expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
        const all = pages.flat();
        expect(new Set(ids(all)).size).toBe(25);
        const keys = all.map((item) => [item.n as number, item.id] as const);
        expect(keys).toEqual([...keys].sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1])));
      });

      it.each(['asc', 'desc'] as const)('neither repeats nor skips when documents are inserted between pages (%s)', async (direction) => {
        const container = await fresh({ indexes: ['n'] });
        const originals = Array.from({ length: 20 }, (_, i) => ({ id: `p${String(i).padStart(2, '0')}`, tenant: `t${i % 4}`, n: i * 10 }));
        await seed(container, originals);
        const orderBy: SortKey[] = [{ field: 'n', direction }];
        const first = await container.query({ orderBy, limit: 5 });
        const cursor = first.items.at(-1)!;
        // Before the cursor, tied with it on both sides, and after it.
        await seed(container, [
          { id: 'new-before', tenant: 't9', n: direction === 'asc' ? 5 : 185 },
          { id: 'p00-tie', tenant: 't9', n: cursor.n },
          { id: 'zz-tie', tenant: 't9', n: cursor.n },
          { id: 'new-after', tenant: 't9', n: direction === 'asc' ? 155 : 25 },
        ]);
        const seen = [...first.items];
        let continuation = first.continuation ?? undefined;
        while (continuation) {
          const page = await container.query({ orderBy, limit: 5, continuation });
          seen.push(...page.items);
          continuation = page.continuation ?? undefined;
        }
        const seenIds = ids(seen);
        expect(new Set(seenIds).size, 'no repeats').toBe(seenIds.length);
        for (const original of originals)
          expect(
            seenIds.filter((id) => id === original.id),
            original.id,
          ).toHaveLength(1);
        expect(seenIds).toContain('new-after');
        expect(seenIds).not.toContain('new-before');
      });

      async function evenAndOdd(): Promise<Container<Item>> {
        const container = await fresh({ indexes: ['n'] });
        await seed(
          container,
          Array.from({ length: 12 }, (_, i) => ({ id: `q${String(i).padStart(2, '0')}`, tenant: i % 2 === 0 ? 'even' : 'odd', n: i })),
        );
        return container;
      }

      it('pages within one partition', async () => {
        const container = await evenAndOdd();
        const even = await queryAll(container, { partitionKey: 'even', orderBy: [{ field: 'n', direction: 'desc' }], limit: 4 });
        expect(ids(even)).toEqual(['q10', 'q08', 'q06', 'q04', 'q02', 'q00']);
        expect(await container.count({ partitionKey: 'odd' })).toBe(6);
        expect(await container.count({ partitionKey: 'odd', where: { field: 'n', op: 'gt', value: 6 } })).toBe(3);
      });

      it('pages across partitions', async () => {
        const container = await evenAndOdd();
        const across = await queryAll(container, { where: { field: 'n', op: 'gte', value: 6 }, orderBy: [{ field: 'n' }], limit: 4 });
        expect(ids(across)).toEqual(['q06', 'q07', 'q08', 'q09', 'q10', 'q11']);
        expect(await container.count()).toBe(12);
      });

      it('refuses bad continuation tokens and limits', async () => {
        const container = await fresh({ indexes: ['n'] });
        await seed(container, [
          { id: 'a', tenant: 't1', n: 1 },
          { id: 'b', tenant: 't1', n: 2 },
        ]);
        const tokens = ['not a token', 'eyJ9', Buffer.from('{"k":[1,2]}').toString('base64url'), ...HOSTILE_STRINGS];
        for (const continuation of tokens) {
          await expectStoreError(container.query({ orderBy: [{ field: 'n' }], continuation }), 'validation');
        }
        for (const limit of [0, -1, 1.5, 1001]) await expectStoreError(container.query({ limit }), 'validation');
      });
    });

    describe('aggregates', () => {
      let container: Container<Item>;
      beforeAll(async () => {
        container = await fresh({ indexes: ['country'] });
        await seed(container, [
          { id: '1', tenant: 't1', address: { country: 'IL' }, rate: 100, mixed: 3 },
          { id: '2', tenant: 't1', address: { country: 'IL' }, rate: 200, mixed: 'a' },
          { id: '3', tenant: 't2', address: { country: 'US' }, rate: 50, mixed: true },
          { id: '4', tenant: 't2', address: { country: 'US' }, rate: 150 },
          { id: '5', tenant: 't2', address: { country: 'DE' } },
          { id: '6', tenant: 't2', address: { country: 'DE' }, rate: 80 },
        ]);
      });
      const byCountry = (rows: Record<string, unknown>[]) => [...rows].sort((x, y) => String(x['address.country']).localeCompare(String(y['address.country'])));

      it('groups with count, sum, avg, min and max, keys named as asked', async () => {
        const rows = await container.aggregate({
          groupBy: ['address.country'],
          aggregates: {
            experts: { fn: 'count' },
            rated: { fn: 'count', field: 'rate' },
            total: { fn: 'sum', field: 'rate' },
            average: { fn: 'avg', field: 'rate' },
            lowest: { fn: 'min', field: 'rate' },
            highest: { fn: 'max', field: 'rate' },
          },
        });
        expect(byCountry(rows)).toEqual([
          { 'address.country': 'DE', experts: 2, rated: 1, total: 80, average: 80, lowest: 80, highest: 80 },
          { 'address.country': 'IL', experts: 2, rated: 2, total: 300, average: 150, lowest: 100, highest: 200 },
          { 'address.country': 'US', experts: 2, rated: 2, total: 200, average: 100, lowest: 50, highest: 150 },
        ]);
      });

      it('returns one row without groupBy, filtered by where', async () => {
        expect(await container.aggregate({ groupBy: [], aggregates: { n: { fn: 'count' }, total: { fn: 'sum', field: 'rate' } } })).toEqual([{ n: 6, total: 580 }]);
        expect(await container.aggregate({ groupBy: [], where: { field: 'rate', op: 'gt', value: 1000 }, aggregates: { n: { fn: 'count' } } })).toEqual([{ n: 0 }]);
      });

      it('returns one row without groupBy, filtered by where and partition', async () => {
        const filtered = await container.aggregate({
          groupBy: [],
          where: { field: 'rate', op: 'gte', value: 150 },
          partitionKey: 't2',
          aggregates: { n: { fn: 'count' }, max: { fn: 'max', field: 'rate' } },
        });
        expect(filtered).toEqual([{ n: 1, max: 150 }]);
      });

      it('follows Cosmos on mixed types: sum and avg undefined, min and max across types', async () => {
        const [row] = await container.aggregate({
          groupBy: [],
          aggregates: {
            total: { fn: 'sum', field: 'mixed' },
            average: { fn: 'avg', field: 'mixed' },
            lowest: { fn: 'min', field: 'mixed' },
            highest: { fn: 'max', field: 'mixed' },
          },
        });
        expect(row).toEqual({ lowest: true, highest: 'a' });
      });
    });

    describe('batch', () => {
      it('applies every operation in order and returns one result each', async () => {
        const container = await fresh();
        const existing = await container.create({ id: 'old', tenant: 't1', n: 1 });
        await container.create({ id: 'gone', tenant: 't1' });
        const results = await container.batch('t1', [
          { op: 'create', document: { id: 'new', tenant: 't1', n: 0 } },
          { op: 'patch', id: 'new', operations: [{ op: 'increment', path: 'n', value: 5 }] },
          { op: 'replace', document: { id: 'old', tenant: 't1', n: 2 }, ifMatch: existing._etag },
          { op: 'upsert', document: { id: 'up', tenant: 't1', n: 3 } },
          { op: 'delete', id: 'gone' },
        ]);
        expect(results.map((result) => result?.n ?? null)).toEqual([0, 5, 2, 3, null]);
        expect((await container.read('t1', 'new'))?.n).toBe(5);
        expect((await container.read('t1', 'old'))?.n).toBe(2);
        expect((await container.read('t1', 'up'))?.n).toBe(3);
        expect(await container.read('t1', 'gone')).toBeNull();
      });

      type BatchOperations = Parameters<Container<Item>['batch']>[1];
      /** Each batch fails at `index` with `kind`; `stale` is an etag that `x` no longer has. */
      const failures: [string, (stale: string) => BatchOperations, number, StoreErrorKind][] = [
        [
          'a create of an existing id',
          () => [
            { op: 'create', document: { id: 'a', tenant: 't1' } },
            { op: 'create', document: { id: 'x', tenant: 't1' } },
          ],
          1,
          'conflict',
        ],
        [
          'a delete of a missing id',
          () => [
            { op: 'upsert', document: { id: 'a', tenant: 't1' } },
            { op: 'delete', id: 'nope' },
          ],
          1,
          'not_found',
        ],
        [
          'a replace of an id deleted earlier in the batch',
          () => [
            { op: 'delete', id: 'x' },
            { op: 'create', document: { id: 'a', tenant: 't1' } },
            { op: 'replace', document: { id: 'x', tenant: 't1' } },
          ],
          2,
          'not_found',
        ],
        [
          'a replace with a stale etag',
          (stale) => [
            { op: 'create', document: { id: 'a', tenant: 't1' } },
            { op: 'replace', document: { id: 'x', tenant: 't1' }, ifMatch: stale },
          ],
          1,
          'precondition_failed',
        ],
        [
          'a document of another partition',
          () => [
            { op: 'create', document: { id: 'a', tenant: 't1' } },
            { op: 'create', document: { id: 'b', tenant: 't2' } },
          ],
          1,
          'validation',
        ],
        [
          'an impossible patch',
          () => [
            { op: 'patch', id: 'x', operations: [{ op: 'set', path: 'n', value: 9 }] },
            { op: 'patch', id: 'x', operations: [{ op: 'remove', path: 'nothing' }] },
          ],
          1,
          'validation',
        ],
      ];

      /** A container holding `x` at n = 2, and an etag `x` had before. */
      async function withX() {
        const container = await fresh();
        const { _etag: stale } = await container.create({ id: 'x', tenant: 't1', n: 1 });
        await container.replace({ id: 'x', tenant: 't1', n: 2 });
        return { container, stale };
      }

      it.each(failures)('names the failing operation: %s', async (_, operations, index, kind) => {
        const { container, stale } = await withX();
        const error = await expectStoreError(container.batch('t1', operations(stale)), kind);
        expect(error).toBeInstanceOf(BatchError);
        expect((error as BatchError).operationIndex).toBe(index);
      });

      it('writes nothing when one operation fails', async () => {
        const { container, stale } = await withX();
        for (const [, operations] of failures) await container.batch('t1', operations(stale)).catch(() => undefined);
        expect(await container.read('t1', 'a')).toBeNull();
        expect((await container.read('t1', 'x'))?.n).toBe(2);
        expect(await container.count()).toBe(1);
      });

      it('takes up to 100 operations', async () => {
        const container = await fresh();
        const hundred = Array.from({ length: 100 }, (_, i) => ({ op: 'create' as const, document: { id: `b${i}`, tenant: 't1' } }));
        expect(await container.batch('t1', hundred)).toHaveLength(100);
        const tooMany = Array.from({ length: 101 }, (_, i) => ({ op: 'create' as const, document: { id: `c${i}`, tenant: 't1' } }));
        await expectStoreError(container.batch('t1', tooMany), 'validation');
        expect(await container.count()).toBe(100);
      });
    });

    describe('text search', () => {
      const experts: Item[] = [
        { id: 'haccp-audit', tenant: 't1', country: 'IL', headline: 'HACCP audit lead', bio: 'Runs HACCP audits for dairy plants.', skills: ['haccp', 'dairy'] },
        { id: 'haccp-plans', tenant: 't1', country: 'US', headline: 'HACCP consultant', bio: 'Writes food safety plans for bakeries.', skills: ['bakery'] },
        { id: 'organic-audit', tenant: 't2', country: 'IL', headline: 'Organic certification', bio: 'Audit preparation for organic farms.', skills: ['organic'] },
        { id: 'kosher', tenant: 't2', country: 'US', headline: 'Kosher supervision', bio: 'Kosher and halal certification for meat plants.', skills: ['kosher', 'halal'] },
        { id: 'labelling', tenant: 't1', country: 'DE', headline: 'Food labelling', bio: 'EU and FDA label reviews.', skills: ['labelling'] },
        { id: 'fsma', tenant: 't2', country: 'US', headline: 'FSMA compliance', bio: 'Preventive controls for human food.', skills: ['fsma'] },
        { id: 'allergens', tenant: 't1', country: 'DE', headline: 'Allergen management', bio: 'Allergen control programmes for snack lines.', skills: ['allergens'] },
        { id: 'cold-chain', tenant: 't2', country: 'IL', headline: 'Cold chain logistics', bio: 'Temperature mapping for frozen food.', skills: ['logistics'] },
        { id: 'hebrew', tenant: 't1', country: 'IL', headline: 'מומחה כשרות', bio: 'פיקוח כשרות למפעלי מזון', skills: ['כשרות'] },
        { id: 'japanese', tenant: 't2', country: 'JP', headline: '食品安全 専門家', bio: '工場 監査', skills: ['監査'] },
        { id: 'emoji', tenant: 't1', country: 'IL', headline: 'Pizza 🍕 dough expert', bio: 'Neapolitan ovens 🔥', skills: ['baking'] },
      ];
      let container: Container<Item>;
      beforeAll(async () => {
        container = await fresh({ textFields: ['headline', 'bio', 'skills'], indexes: ['country'] });
        await seed(container, experts);
      });

      it('ranks the document with every word first, then those with some, and leaves out the rest', async () => {
        const hits = await container.search({ text: 'HACCP audit' });
        expect(hits[0].document.id).toBe('haccp-audit');
        expect(new Set(hits.map((hit) => hit.document.id))).toEqual(new Set(['haccp-audit', 'haccp-plans', 'organic-audit']));
        const scores = hits.map((hit) => hit.score);
        expect(scores).toEqual([...scores].sort((x, y) => y - x));
        expect(hits[0].score).toBeGreaterThan(hits[1].score);
        expect(hits[0].document._etag).toMatch(/^".+"$/);
      });

      it('ranks a document that repeats a rare word above one that mentions it once', async () => {
        const hits = await container.search({ text: 'kosher certification' });
        expect(hits[0].document.id).toBe('kosher');
        expect(hits.map((hit) => hit.document.id)).toContain('organic-audit');
      });

      it('finds words in array fields and word forms', async () => {
        expect((await container.search({ text: 'halal' })).map((hit) => hit.document.id)).toEqual(['kosher']);
        expect((await container.search({ text: 'audits' })).map((hit) => hit.document.id).sort()).toEqual(['haccp-audit', 'organic-audit']);
      });

      it('searches Hebrew and CJK words', async () => {
        expect((await container.search({ text: 'כשרות' })).map((hit) => hit.document.id)).toEqual(['hebrew']);
        expect((await container.search({ text: '監査' })).map((hit) => hit.document.id)).toEqual(['japanese']);
        expect((await container.search({ text: 'pizza 🍕' })).map((hit) => hit.document.id)).toEqual(['emoji']);
      });

      it('applies where and partitionKey filters, and the limit', async () => {
        const inIsrael = await container.search({ text: 'haccp audit', where: { field: 'country', op: 'eq', value: 'IL' } });
        expect(inIsrael.map((hit) => hit.document.id)).toEqual(['haccp-audit', 'organic-audit']);
        const inT1 = await container.search({ text: 'haccp audit', partitionKey: 't1' });
        expect(inT1.map((hit) => hit.document.id).sort()).toEqual(['haccp-audit', 'haccp-plans']);
        expect(await container.search({ text: 'haccp audit', limit: 1 })).toHaveLength(1);
        await expectStoreError(container.search({ text: 'haccp', limit: 101 }), 'validation');
      });

      it('treats search syntax and SQL in the text as plain words', async () => {
        for (const text of HOSTILE_STRINGS) {
          const hits = await container.search({ text });
          for (const hit of hits) expect(experts.map((expert) => expert.id)).toContain(hit.document.id);
        }
        expect(await container.search({ text: '"' })).toEqual([]);
        expect(await container.search({ text: '*' })).toEqual([]);
        expect((await container.search({ text: 'NEAR(kosher halal)' }))[0].document.id).toBe('kosher');
        expect(await container.count()).toBe(experts.length);
      });

      it('follows updates and deletes', async () => {
        const own = await fresh({ textFields: ['headline'] });
        await own.create({ id: 'x', tenant: 't1', headline: 'kosher supervision' });
        await own.create({ id: 'y', tenant: 't1', headline: 'dairy audits' });
        await own.replace({ id: 'x', tenant: 't1', headline: 'halal supervision' });
        expect(await own.search({ text: 'kosher' })).toEqual([]);
        expect((await own.search({ text: 'halal' })).map((hit) => hit.document.id)).toEqual(['x']);
        await own.patch('t1', 'y', [{ op: 'set', path: 'headline', value: 'halal audits' }]);
        expect((await own.search({ text: 'halal' })).map((hit) => hit.document.id).sort()).toEqual(['x', 'y']);
        await own.delete('t1', 'x');
        expect((await own.search({ text: 'halal' })).map((hit) => hit.document.id)).toEqual(['y']);
      });
    });

    describe('vector search', () => {
      it('returns nearest neighbours by cosine similarity', async () => {
        const container = await fresh({ vector: { path: 'embedding', dimensions: 3, distance: 'cosine' } });
        await seed(container, [
          { id: 'x', tenant: 't1', embedding: [1, 0, 0] },
          { id: 'xy', tenant: 't2', embedding: [1, 1, 0] },
          { id: 'y', tenant: 't1', embedding: [0, 2, 0] },
          { id: 'z', tenant: 't2', embedding: [0, 0, 1] },
          { id: 'minus-x', tenant: 't1', embedding: [-3, 0, 0] },
          { id: 'no-vector', tenant: 't1' },
        ]);
        const hits = await container.search({ vector: [1, 0.1, 0] });
        expect(hits.map((hit) => hit.document.id)).toEqual(['x', 'xy', 'y', 'z', 'minus-x']);
        expect(hits[0].score).toBeCloseTo(1 / Math.hypot(1, 0.1), 3);
        expect(hits[4].score).toBeCloseTo(-1 / Math.hypot(1, 0.1), 3);
        expect((await container.search({ vector: [1, 0.1, 0], limit: 2 })).map((hit) => hit.document.id)).toEqual(['x', 'xy']);
      });

      it('ranks by euclidean distance (nearest first) and by dot product (largest first)', async () => {
        const euclidean = await fresh({ vector: { path: 'v', dimensions: 2, distance: 'euclidean' } });
        await seed(euclidean, [
          { id: 'far', tenant: 't1', v: [10, 10] },
          { id: 'near', tenant: 't1', v: [1, 1] },
          { id: 'mid', tenant: 't1', v: [3, 0] },
        ]);
        const byDistance = await euclidean.search({ vector: [1, 0] });
        expect(byDistance.map((hit) => hit.document.id)).toEqual(['near', 'mid', 'far']);
        expect(byDistance[0].score).toBeGreaterThan(byDistance[1].score);
        const dot = await fresh({ vector: { path: 'v', dimensions: 2, distance: 'dotproduct' } });
        await seed(dot, [
          { id: 'long', tenant: 't1', v: [4, 0] },
          { id: 'diagonal', tenant: 't1', v: [1, 1] },
          { id: 'across', tenant: 't1', v: [0, 3] },
        ]);
        const byDot = await dot.search({ vector: [1, 0.2] });
        expect(byDot.map((hit) => hit.document.id)).toEqual(['long', 'diagonal', 'across']);
        expect(byDot[0].score).toBeCloseTo(4, 3);
      });

      it('applies filters before taking the nearest', async () => {
        const container = await fresh({ vector: { path: 'embedding', dimensions: 2, distance: 'cosine' }, indexes: ['kind'] });
        await seed(
          container,
          Array.from({ length: 30 }, (_, i) => ({
            id: `v${String(i).padStart(2, '0')}`,
            tenant: i < 15 ? 'a' : 'b',
            kind: i % 10 === 9 ? 'rare' : 'common',
            embedding: [Math.cos(i / 20), Math.sin(i / 20)],
          })),
        );
        const rare = await container.search({ vector: [1, 0], where: { field: 'kind', op: 'eq', value: 'rare' }, limit: 5 });
        expect(rare.map((hit) => hit.document.id)).toEqual(['v09', 'v19', 'v29']);
        const inB = await container.search({ vector: [1, 0], partitionKey: 'b', limit: 3 });
        expect(inB.map((hit) => hit.document.id)).toEqual(['v15', 'v16', 'v17']);
      });

      it('follows updates and deletes, and refuses wrong dimensions', async () => {
        const container = await fresh({ vector: { path: 'embedding', dimensions: 2, distance: 'cosine' } });
        await seed(container, [
          { id: 'a', tenant: 't1', embedding: [1, 0] },
          { id: 'b', tenant: 't1', embedding: [0, 1] },
        ]);
        await container.replace({ id: 'a', tenant: 't1', embedding: [0, -1] });
        expect((await container.search({ vector: [0, 1] })).map((hit) => hit.document.id)).toEqual(['b', 'a']);
        await container.delete('t1', 'b');
        expect((await container.search({ vector: [0, 1] })).map((hit) => hit.document.id)).toEqual(['a']);
        await expectStoreError(container.search({ vector: [1, 0, 0] }), 'validation');
        await expectStoreError(container.create({ id: 'c', tenant: 't1', embedding: [1, 2, 3] }), 'validation');
        await expectStoreError(container.create({ id: 'c', tenant: 't1', embedding: ['1', 2] }), 'validation');
      });
    });

    describe('hybrid search', () => {
      it('fuses text and vector rankings, honouring filters', async () => {
        const container = await fresh({
          textFields: ['headline'],
          vector: { path: 'embedding', dimensions: 3, distance: 'cosine' },
          indexes: ['country'],
        });
        await seed(container, [
          { id: 'both', tenant: 't1', country: 'IL', headline: 'HACCP audit for dairy', embedding: [0.95, 0.3, 0] },
          { id: 'text-only', tenant: 't1', country: 'US', headline: 'HACCP audit HACCP audit', embedding: [-1, 0, 0] },
          { id: 'vector-only', tenant: 't2', country: 'US', headline: 'Bakery hygiene', embedding: [1, 0, 0] },
          { id: 'neither', tenant: 't2', country: 'IL', headline: 'Cold chain logistics', embedding: [0, 1, 0] },
        ]);
        const hits = await container.search({ text: 'haccp audit', vector: [1, 0, 0] });
        expect(hits[0].document.id).toBe('both');
        expect(hits.map((hit) => hit.document.id)).toEqual(expect.arrayContaining(['text-only', 'vector-only']));
        const scores = hits.map((hit) => hit.score);
        expect(scores).toEqual([...scores].sort((x, y) => y - x));
        const filtered = await container.search({ text: 'haccp audit', vector: [1, 0, 0], where: { field: 'country', op: 'eq', value: 'US' } });
        expect(filtered[0].document.id).not.toBe('both');
        expect(filtered.map((hit) => hit.document.id)).not.toContain('both');
        await expectStoreError(container.search({}), 'validation');
      });
    });

    describe('change feed', () => {
      it('lists writes oldest first, each document once at its latest version, without deletes', async () => {
        const container = await fresh();
        await container.create({ id: 'a', tenant: 't1', v: 1 });
        await container.create({ id: 'b', tenant: 't2', v: 1 });
        await container.create({ id: 'c', tenant: 't1', v: 1 });
        await container.replace({ id: 'a', tenant: 't1', v: 2 });
        await container.patch('t1', 'a', [{ op: 'increment', path: 'v', value: 1 }]);
        await container.delete('t1', 'c');
        const all = await container.changesSince();
        expect(all.items.map((item) => [item.id, item.v])).toEqual([
          ['b', 1],
          ['a', 3],
        ]);
        const none = await container.changesSince(all.continuation);
        expect(none.items).toEqual([]);
        await container.upsert({ id: 'b', tenant: 't2', v: 2 });
        await container.create({ id: 'd', tenant: 't1', v: 1 });
        const next = await container.changesSince(none.continuation);
        expect(next.items.map((item) => item.id)).toEqual(['b', 'd']);
        expect(next.items[0]._etag).toBe((await container.read('t2', 'b'))?._etag);
      });

      it('continues page by page and keeps its position on an empty page', async () => {
        const container = await fresh();
        await seed(
          container,
          Array.from({ length: 5 }, (_, i) => ({ id: `f${i}`, tenant: 't1' })),
        );
        const seen: string[] = [];
        let continuation: string | undefined;
        for (let i = 0; i < 3; i++) {
          const page = await container.changesSince(continuation, { limit: 2 });
          seen.push(...page.items.map((item) => item.id));
          continuation = page.continuation;
        }
        expect(seen).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
        const empty = await container.changesSince(continuation, { limit: 2 });
        expect(empty.items).toEqual([]);
        await container.create({ id: 'f5', tenant: 't1' });
        expect((await container.changesSince(empty.continuation)).items.map((item) => item.id)).toEqual(['f5']);
        await expectStoreError(container.changesSince('garbage'), 'validation');
        await expectStoreError(container.changesSince(undefined, { limit: 0 }), 'validation');
      });
    });

    describe('time to live', () => {
      const wait = (seconds: number) => elapse(seconds * 1000 + 1500);

      it('hides documents after the default TTL from every read, and frees their ids', async () => {
        const container = await fresh({ defaultTtlSeconds: 2, textFields: ['text'], vector: { path: 'v', dimensions: 2, distance: 'cosine' } });
        await container.create({ id: 'short', tenant: 't1', text: 'fleeting', v: [1, 0] });
        await container.create({ id: 'forever', tenant: 't1', text: 'fleeting forever', v: [1, 0.1], ttl: -1 });
        const { continuation } = await container.changesSince();
        await container.create({ id: 'late', tenant: 't1', text: 'fleeting', v: [1, 0.2], ttl: 60 });
        await wait(2);
        expect(await container.read('t1', 'short')).toBeNull();
        expect(ids((await container.query()).items)).toEqual(['forever', 'late']);
        expect(await container.count()).toBe(2);
        expect((await container.search({ text: 'fleeting' })).map((hit) => hit.document.id).sort()).toEqual(['forever', 'late']);
        expect((await container.search({ vector: [1, 0] })).map((hit) => hit.document.id)).toEqual(['forever', 'late']);
        expect((await container.changesSince()).items.map((item) => item.id)).toEqual(['forever', 'late']);
        expect((await container.changesSince(continuation)).items.map((item) => item.id)).toEqual(['late']);
        expect(await container.aggregate({ groupBy: [], aggregates: { n: { fn: 'count' } } })).toEqual([{ n: 2 }]);
        await expectStoreError(container.replace({ id: 'short', tenant: 't1' }), 'not_found');
        await container.create({ id: 'short', tenant: 't1', text: 'again' });
        expect((await container.read('t1', 'short'))?.text).toBe('again');
      });

      it('lets a document set its own TTL, counted from its last write', async () => {
        const container = await fresh({ defaultTtlSeconds: -1 });
        await container.create({ id: 'keeps', tenant: 't1' });
        await container.create({ id: 'own', tenant: 't1', ttl: 2 });
        await container.create({ id: 'touched', tenant: 't1', ttl: 4 });
        await elapse(2500);
        await container.patch('t1', 'touched', [{ op: 'set', path: 'seen', value: true }]);
        await elapse(2500);
        expect(await container.read('t1', 'own')).toBeNull();
        expect(await container.read('t1', 'keeps')).not.toBeNull();
        expect(await container.read('t1', 'touched')).not.toBeNull();
        await expectStoreError(container.create({ id: 'bad', tenant: 't1', ttl: 0 }), 'validation');
      });

      it('ignores a document TTL when the container has none', async () => {
        const container = await fresh();
        await container.create({ id: 'stays', tenant: 't1', ttl: 1 });
        await wait(1);
        expect(await container.read('t1', 'stays')).not.toBeNull();
      });
    });

    describe('unicode', () => {
      const names = [
        { id: 'מומחה-כשרות', tenant: 'ישראל', name: 'דנה לוי', city: 'חיפה' },
        { id: '🍕-pizza-👩‍🍳', tenant: '🇮🇹', name: 'Giulia 🍕', city: 'Napoli' },
        { id: '食品安全-専門家', tenant: '日本', name: '佐藤 花子', city: '東京' },
        { id: `it's "quoted"`, tenant: `o'neil`, name: `O'Neil "Q"`, city: `x'y` },
      ];

      it('keeps ids, partition keys and fields as written, and finds them by value and prefix', async () => {
        const container = await fresh({ indexes: ['name'] });
        await seed(container, names);
        for (const document of names) {
          expect(await container.read(document.tenant, document.id)).toMatchObject(document);
          const byName = await container.query({ where: { field: 'name', op: 'eq', value: document.name } });
          expect(ids(byName.items)).toEqual([document.id]);
          const byPrefix = await container.query({ where: { field: 'city', op: 'startsWith', value: [...document.city].slice(0, 1).join('') } });
          expect(ids(byPrefix.items)).toContain(document.id);
        }
        const sorted = await queryAll(container, { orderBy: [{ field: 'name' }], limit: 1 });
        expect(sorted).toHaveLength(names.length);
      });

      it('scopes queries to a unicode partition key', async () => {
        const container = await fresh();
        await seed(container, names);
        for (const document of names) expect(ids((await container.query({ partitionKey: document.tenant })).items)).toEqual([document.id]);
      });
    });

    describe('large documents', () => {
      it('stores a 1.5 MB document and refuses one over 2 MB', async () => {
        const container = await fresh();
        const big = 'x'.repeat(1_500_000);
        await container.create({ id: 'big', tenant: 't1', body: big });
        expect(((await container.read('t1', 'big'))?.body as string | undefined)?.length).toBe(big.length);
        await expectStoreError(container.create({ id: 'huge', tenant: 't1', body: 'y'.repeat(2_100_000) }), 'validation');
        await expectStoreError(container.patch('t1', 'big', [{ op: 'set', path: 'more', value: 'z'.repeat(700_000) }]), 'validation');
        expect(await container.read('t1', 'huge')).toBeNull();
      });
    });

    describe('hostile input is data', () => {
      const hostileDocuments = HOSTILE_STRINGS.map((value, i) => ({ id: `h${i}-${value}`, tenant: value, value, tags: [value] }));
      async function hostile(): Promise<Container<Item>> {
        const container = await fresh({ indexes: ['value'], textFields: ['value'] });
        await seed(container, hostileDocuments);
        return container;
      }

      it('stores and finds hostile strings as ids, partition keys and values', async () => {
        const container = await hostile();
        for (const document of hostileDocuments) {
          expect(await container.read(document.tenant, document.id)).toMatchObject(document);
          expect(ids((await container.query({ where: { field: 'value', op: 'eq', value: document.value } })).items)).toEqual([document.id]);
          expect(ids((await container.query({ where: { field: 'tags', op: 'contains', value: document.value } })).items)).toEqual([document.id]);
          expect(ids((await container.query({ where: { field: 'value', op: 'startsWith', value: document.value } })).items)).toContain(document.id);
          expect(ids((await container.query({ where: { field: 'value', op: 'in', values: [document.value] } })).items)).toEqual([document.id]);
          expect(await container.count({ where: { field: 'id', op: 'eq', value: document.value } })).toBe(0);
        }
        const patched = await container.patch(hostileDocuments[0].tenant, hostileDocuments[0].id, [{ op: 'set', path: 'note', value: HOSTILE_STRINGS[1] }]);
        expect(patched.note).toBe(HOSTILE_STRINGS[1]);
        expect(await container.count()).toBe(hostileDocuments.length);
      });

      it('scopes queries and searches to hostile partition keys', async () => {
        const container = await hostile();
        for (const document of hostileDocuments) {
          expect(ids((await container.query({ partitionKey: document.tenant })).items)).toEqual([document.id]);
          for (const hit of await container.search({ text: document.value, partitionKey: document.tenant })) expect(hit.document.id).toBe(document.id);
        }
      });

      it('groups by hostile values', async () => {
        const container = await hostile();
        expect(await container.aggregate({ groupBy: ['value'], aggregates: { n: { fn: 'count' } } })).toHaveLength(hostileDocuments.length);
      });

      it('refuses field paths that are not dotted identifiers, everywhere a path reaches a query', async () => {
        const container = await fresh({ indexes: ['n'] });
        await container.create({ id: 'a', tenant: 't1', n: 1 });
        for (const field of HOSTILE_FIELD_PATHS) {
          await expect(container.query({ where: { field, op: 'eq', value: 1 } })).rejects.toThrow();
          await expect(container.query({ orderBy: [{ field }] })).rejects.toThrow();
          await expect(container.count({ where: { field, op: 'defined', value: true } })).rejects.toThrow();
          await expect(container.aggregate({ groupBy: [field], aggregates: { n: { fn: 'count' } } })).rejects.toThrow();
          await expect(container.aggregate({ groupBy: [], aggregates: { n: { fn: 'sum', field } } })).rejects.toThrow();
          await expect(container.patch('t1', 'a', [{ op: 'set', path: field, value: 1 }])).rejects.toThrow();
          await expect(container.patch('t1', 'a', [{ op: 'set', path: 'x', value: 1 }], { condition: { field, op: 'eq', value: 1 } })).rejects.toThrow();
          await expect(container.search({ text: 'x', where: { field, op: 'eq', value: 1 } })).rejects.toThrow();
        }
        const hostileName = await store.container<Item>({ name: `contract-${run}-'); DROP TABLE documents; --`, partitionKey: 'tenant' });
        await hostileName.create({ id: 'a', tenant: 't1' });
        expect(await hostileName.read('t1', 'a')).toMatchObject({ id: 'a' });
        await expect(store.container({ name: `contract-${run}-bad-path`, partitionKey: `tenant') --` })).rejects.toThrow();
        await expect(store.container({ name: `contract-${run}-bad-index`, partitionKey: 'tenant', indexes: ['a"); DROP TABLE x; --'] })).rejects.toThrow();
        expect(await container.read('t1', 'a')).toMatchObject({ n: 1 });
      });
    });
  });
}
