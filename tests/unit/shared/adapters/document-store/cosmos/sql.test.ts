import { describe, expect, it } from 'vitest';
import {
  aggregateQuery,
  assertSortServed,
  countQuery,
  fieldAccessor,
  filterPredicate,
  patchOperations,
  searchQuery,
  selectQuery,
  sortKeys,
} from '../../../../../../shared/adapters/document-store/cosmos/sql';
import type { Condition, ContainerDefinition } from '../../../../../../shared/data/document-store';

// Pins the exact Cosmos DB NoSQL text and parameters the adapter sends for each query form.
const experts: ContainerDefinition = {
  name: 'experts',
  partitionKey: 'id',
  indexes: ['rating'],
  compositeIndexes: [
    [
      { path: 'country', order: 'asc' },
      { path: 'rating', order: 'desc' },
    ],
  ],
  textFields: ['headline', 'bio'],
  vector: { path: 'profile.embedding', dimensions: 3, distance: 'cosine' },
};

const values = (spec: { parameters: { value: unknown }[] }) => spec.parameters.map((parameter) => parameter.value);

describe('Cosmos SQL: conditions', () => {
  const cases: [string, Condition, string, unknown[]][] = [
    ['eq', { field: 'country', op: 'eq', value: 'IL' }, 'c["country"] = @p0', ['IL']],
    ['ne null', { field: 'status', op: 'ne', value: null }, 'c["status"] != @p0', [null]],
    ['lt', { field: 'rate', op: 'lt', value: 10 }, 'c["rate"] < @p0', [10]],
    ['lte on a nested field', { field: 'rate.amount', op: 'lte', value: 150 }, 'c["rate"]["amount"] <= @p0', [150]],
    ['gt', { field: 'rate', op: 'gt', value: 1.5 }, 'c["rate"] > @p0', [1.5]],
    ['gte', { field: 'verified', op: 'gte', value: false }, 'c["verified"] >= @p0', [false]],
    ['in', { field: 'tier', op: 'in', values: ['gold', 2, true, null] }, 'c["tier"] IN (@p0, @p1, @p2, @p3)', ['gold', 2, true, null]],
    ['in with no values', { field: 'tier', op: 'in', values: [] }, 'false', []],
    ['contains', { field: 'languages', op: 'contains', value: 'he' }, 'ARRAY_CONTAINS(c["languages"], @p0)', ['he']],
    ['startsWith (case-sensitive)', { field: 'name', op: 'startsWith', value: 'Dr' }, 'STARTSWITH(c["name"], @p0)', ['Dr']],
    ['defined', { field: 'verifiedAt', op: 'defined', value: true }, 'IS_DEFINED(c["verifiedAt"])', []],
    ['not defined', { field: 'deletedAt', op: 'defined', value: false }, '(NOT IS_DEFINED(c["deletedAt"]))', []],
    [
      'and / or / not',
      {
        and: [{ field: 'a', op: 'eq', value: 1 }, { or: [{ field: 'b', op: 'eq', value: 2 }, { not: { field: 'c', op: 'eq', value: 3 } }] }],
      },
      '(c["a"] = @p0 AND (c["b"] = @p1 OR (NOT (c["c"] = @p2))))',
      [1, 2, 3],
    ],
    ['empty and is true', { and: [] }, 'true', []],
    ['empty or is false', { or: [] }, 'false', []],
    ['not in (NOT binds tighter than IN)', { not: { field: 'tier', op: 'in', values: ['gold'] } }, '(NOT (c["tier"] IN (@p0)))', ['gold']],
    ['double not', { not: { not: { field: 'b', op: 'eq', value: true } } }, '(NOT ((NOT (c["b"] = @p0))))', [true]],
  ];

  it.each(cases)('%s', (_, where, sql, parameters) => {
    const spec = countQuery(where);
    expect(spec.query).toBe(`SELECT VALUE COUNT(1) FROM c WHERE ${sql}`);
    expect(values(spec)).toEqual(parameters);
    expect(spec.parameters.map((parameter) => parameter.name)).toEqual(parameters.map((_, i) => `@p${i}`));
  });

  it('refuses values that are not scalars and malformed conditions', () => {
    expect(() => countQuery({ field: 'n', op: 'eq', value: { $gt: 1 } as never })).toThrow(/Filter values/);
    expect(() => countQuery({ field: 'n', op: 'eq', value: Number.NaN })).toThrow(/Filter values/);
    expect(() => countQuery({ field: 'n', op: 'in', values: [[1]] as never })).toThrow(/Filter values/);
    expect(() => countQuery({ field: 'n', op: 'startsWith', value: 1 as never })).toThrow(/startsWith/);
    expect(() => countQuery({ field: 'n', op: 'near' as never, value: 1 })).toThrow(/Unknown condition operator/);
  });
});

describe('Cosmos SQL: pages, counts, aggregates', () => {
  it('orders by the keys, then id in the last key direction', () => {
    expect(selectQuery({}).query).toBe('SELECT * FROM c ORDER BY c["id"] ASC');
    expect(selectQuery({ orderBy: [{ field: 'rating', direction: 'desc' }] }).query).toBe('SELECT * FROM c ORDER BY c["rating"] DESC, c["id"] DESC');
    expect(
      selectQuery({
        where: { field: 'country', op: 'eq', value: 'IL' },
        orderBy: [{ field: 'country' }, { field: 'rating', direction: 'desc' }],
      }),
    ).toEqual({
      query: 'SELECT * FROM c WHERE c["country"] = @p0 ORDER BY c["country"] ASC, c["rating"] DESC, c["id"] DESC',
      parameters: [{ name: '@p0', value: 'IL' }],
    });
    expect(selectQuery({ orderBy: [{ field: 'id', direction: 'desc' }, { field: 'rating' }] }).query).toBe('SELECT * FROM c ORDER BY c["id"] DESC');
    expect(() => sortKeys([{ field: 'rating', direction: 'up' as never }])).toThrow(/sort direction/);
  });

  it('allows only sorts a declared index serves, in either overall direction', () => {
    expect(() => assertSortServed(experts, [{ field: 'rating', direction: 'desc' }])).not.toThrow();
    expect(() => assertSortServed(experts, [{ field: 'country' }])).not.toThrow();
    expect(() =>
      assertSortServed(experts, [
        { field: 'country', direction: 'desc' },
        { field: 'rating', direction: 'asc' },
      ]),
    ).not.toThrow();
    expect(() => assertSortServed(experts, [{ field: 'id', direction: 'desc' }])).not.toThrow();
    expect(() => assertSortServed(experts, [{ field: 'headline' }])).toThrow(/needs an index/);
    expect(() => assertSortServed(experts, [{ field: 'country' }, { field: 'rating' }])).toThrow(/needs an index/);
  });

  it('counts with SELECT VALUE COUNT(1)', () => {
    expect(countQuery()).toEqual({ query: 'SELECT VALUE COUNT(1) FROM c', parameters: [] });
  });

  it('groups with positional aliases mapped back to the requested names', () => {
    const aggregate = aggregateQuery({
      where: { field: 'rate', op: 'gt', value: 0 },
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
    expect(aggregate.query).toBe(
      'SELECT c["address"]["country"] AS g0, COUNT(1) AS a0, COUNT(c["rate"]) AS a1, SUM(c["rate"]) AS a2, AVG(c["rate"]) AS a3, ' +
        'MIN(c["rate"]) AS a4, MAX(c["rate"]) AS a5 FROM c WHERE c["rate"] > @p0 GROUP BY c["address"]["country"]',
    );
    expect(aggregate.parameters).toEqual([{ name: '@p0', value: 0 }]);
    expect(aggregate.columns).toEqual({ g0: 'address.country', a0: 'experts', a1: 'rated', a2: 'total', a3: 'average', a4: 'lowest', a5: 'highest' });
    expect(aggregateQuery({ groupBy: [], aggregates: { n: { fn: 'count' } } }).query).toBe('SELECT COUNT(1) AS a0 FROM c');
    expect(() => aggregateQuery({ groupBy: [], aggregates: { total: { fn: 'sum' } } })).toThrow(/needs a field/);
    expect(() => aggregateQuery({ groupBy: [], aggregates: { x: { fn: 'median' as never, field: 'rate' } } })).toThrow(/Unknown aggregate/);
  });
});

describe('Cosmos SQL: search', () => {
  const where: Condition = { field: 'country', op: 'eq', value: 'US' };

  it('ranks text by BM25 over every text field, keeping documents with any word', () => {
    const text = searchQuery(experts, { text: 'FSMA preventive-controls FSMA', where }, 10)!;
    expect(text.kind).toBe('rank');
    expect(text.spec.query).toBe(
      'SELECT TOP 10 * FROM c WHERE c["country"] = @p3 AND (FullTextContainsAny(c["headline"], @p0, @p1, @p2) OR FullTextContainsAny(c["bio"], @p0, @p1, @p2)) ' +
        'ORDER BY RANK RRF(FullTextScore(c["headline"], @p0, @p1, @p2), FullTextScore(c["bio"], @p0, @p1, @p2))',
    );
    expect(values(text.spec)).toEqual(['fsma', 'preventive', 'controls', 'US']);
    const oneField = searchQuery({ ...experts, textFields: ['bio'] }, { text: 'organic' }, 5)!;
    expect(oneField.spec.query).toBe('SELECT TOP 5 * FROM c WHERE (FullTextContainsAny(c["bio"], @p0)) ORDER BY RANK FullTextScore(c["bio"], @p0)');
  });

  it('finds nearest vectors first with VectorDistance, TOP as a parameter and a score column', () => {
    const vector = searchQuery(experts, { vector: [0.1, 0.2, 0.3], where }, 5)!;
    expect(vector.kind).toBe('vector');
    expect(vector.spec).toEqual({
      query: 'SELECT TOP @p0 c AS document, VectorDistance(c["profile"]["embedding"], @p1) AS score FROM c WHERE c["country"] = @p2 ' + 'ORDER BY VectorDistance(c["profile"]["embedding"], @p1)',
      parameters: [
        { name: '@p0', value: 5 },
        { name: '@p1', value: [0.1, 0.2, 0.3] },
        { name: '@p2', value: 'US' },
      ],
    });
  });

  it('fuses text and vector with RRF, keeping vector-only matches', () => {
    const hybrid = searchQuery({ ...experts, textFields: ['bio'] }, { text: 'organic audit', vector: [1, 0, 0], where }, 10)!;
    expect(hybrid.spec.query).toBe('SELECT TOP 10 * FROM c WHERE c["country"] = @p3 ORDER BY RANK RRF(FullTextScore(c["bio"], @p0, @p1), VectorDistance(c["profile"]["embedding"], @p2))');
    expect(values(hybrid.spec)).toEqual(['organic', 'audit', [1, 0, 0], 'US']);
  });

  it('returns nothing to run for text without words, and refuses what the container cannot search', () => {
    expect(searchQuery(experts, { text: '"*"' }, 10)).toBeNull();
    expect(searchQuery(experts, { text: '🍕', vector: [0, 0, 1] }, 10)!.kind).toBe('vector');
    expect(() => searchQuery({ name: 'plain', partitionKey: 'id' }, { text: 'x' }, 10)).toThrow(/no text fields/);
    expect(() => searchQuery({ name: 'plain', partitionKey: 'id' }, { vector: [1] }, 10)).toThrow(/no vector field/);
    expect(() => searchQuery(experts, { vector: [1, 0] }, 10)).toThrow(/3 finite numbers/);
    expect(() => searchQuery(experts, { vector: ['1', 0, 0] as never }, 10)).toThrow(/3 finite numbers/);
    expect(() => searchQuery(experts, { text: 'x' }, 1.5)).toThrow(/limit/);
  });
});

describe('Cosmos SQL: patch', () => {
  it('maps operations to the SDK: set, remove, incr, add at /- to append', () => {
    expect(
      patchOperations([
        { op: 'set', path: 'profile.headline', value: 'HACCP lead auditor' },
        { op: 'remove', path: 'draft' },
        { op: 'increment', path: 'stats.views', value: 1 },
        { op: 'append', path: 'languages', value: 'es' },
      ]),
    ).toEqual([
      { op: 'set', path: '/profile/headline', value: 'HACCP lead auditor' },
      { op: 'remove', path: '/draft' },
      { op: 'incr', path: '/stats/views', value: 1 },
      { op: 'add', path: '/languages/-', value: 'es' },
    ]);
  });

  it('compiles a conditional patch predicate with the same condition compiler, values as escaped JSON literals', () => {
    expect(
      filterPredicate({
        and: [
          { field: 'status', op: 'eq', value: 'open' },
          { field: 'claims', op: 'lt', value: 3 },
          { field: 'tier', op: 'in', values: ['gold', null, true] },
          { field: 'deletedAt', op: 'defined', value: false },
        ],
      }),
    ).toBe('FROM c WHERE (c["status"] = "open" AND c["claims"] < 3 AND c["tier"] IN ("gold", null, true) AND (NOT IS_DEFINED(c["deletedAt"])))');
  });
});

describe('Cosmos SQL: injection', () => {
  const attacks = [`' OR 1=1 --`, `"); DROP TABLE c; --`, `x"] OR c["admin`, `NEAR(`, `*`, `\\"`, `@p1`, `\u0000`, `line\nbreak`];

  it.each(attacks)('keeps the value %j in the parameters only', (value) => {
    const spec = selectQuery({ where: { field: 'name', op: 'eq', value } });
    expect(spec.query).toBe('SELECT * FROM c WHERE c["name"] = @p0 ORDER BY c["id"] ASC');
    expect(spec.parameters).toEqual([{ name: '@p0', value }]);
    const count = countQuery({
      or: [
        { field: 'tags', op: 'contains', value },
        { field: 'name', op: 'startsWith', value },
      ],
    });
    expect(count.query).toBe('SELECT VALUE COUNT(1) FROM c WHERE (ARRAY_CONTAINS(c["tags"], @p0) OR STARTSWITH(c["name"], @p1))');
    const search = searchQuery(experts, { text: value, vector: [1, 0, 0] }, 10)!;
    expect(search.spec.query).not.toMatch(/DROP|NEAR|admin|--|;|'|\\|\n|\u0000/);
    expect(search.spec.parameters.at(-1)).toEqual({ name: `@p${search.spec.parameters.length - 1}`, value: [1, 0, 0] });
  });

  it.each(attacks)('inlines %j in a patch predicate as one string literal that round-trips', (value) => {
    const predicate = filterPredicate({ field: 'status', op: 'eq', value });
    const literal = predicate.slice('FROM c WHERE c["status"] = '.length);
    expect(predicate.startsWith('FROM c WHERE c["status"] = "')).toBe(true);
    expect(JSON.parse(literal)).toBe(value);
    // Every quote inside the literal is escaped, so the value cannot close it early.
    expect(literal.slice(1, -1)).not.toMatch(/(^|[^\\])(\\\\)*"/);
  });

  const badPaths = ['a"]', 'a b', 'a;DROP', '__proto__.x"', '', 'a..b', '1abc', 'a[0]', 'a.*', '$.a', `n') OR 1=1 --`];

  it.each(badPaths)('refuses the field path %j everywhere a path reaches a query', (path) => {
    expect(() => fieldAccessor(path)).toThrow(/Invalid field path/);
    expect(() => selectQuery({ where: { field: path, op: 'eq', value: 1 } })).toThrow(/Invalid field path/);
    expect(() => selectQuery({ orderBy: [{ field: path }] })).toThrow(/Invalid field path/);
    expect(() => aggregateQuery({ groupBy: [path], aggregates: { n: { fn: 'count' } } })).toThrow(/Invalid field path/);
    expect(() => aggregateQuery({ groupBy: [], aggregates: { n: { fn: 'sum', field: path } } })).toThrow(/Invalid field path/);
    expect(() => patchOperations([{ op: 'set', path, value: 1 }])).toThrow(/Invalid field path/);
    expect(() => filterPredicate({ field: path, op: 'eq', value: 1 })).toThrow(/Invalid field path/);
    expect(() => searchQuery({ ...experts, textFields: [path] }, { text: 'x' }, 10)).toThrow(/Invalid field path/);
  });
});
