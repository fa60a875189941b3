import { describe, expect, it } from 'vitest';
import { aggregateQuery, countQuery, fieldAccessor, filterPredicate, patchOperations, searchQuery, selectQuery } from '../../shared/adapters/cosmos/sql';
import type { ContainerDefinition } from '../../shared/data/document-store';

// Pins the exact Cosmos DB NoSQL text and parameters for each query form the adapter sends.
const experts: ContainerDefinition = {
  name: 'experts',
  partitionKey: 'id',
  textFields: ['headline', 'bio'],
  vector: { path: 'embedding', dimensions: 3, distance: 'cosine' },
};

describe('Cosmos SQL generation', () => {
  it('compiles every condition form to parameterised SQL', () => {
    const spec = selectQuery({
      where: {
        and: [
          { field: 'country', op: 'eq', value: 'IL' },
          { field: 'rate.amount', op: 'lte', value: 150 },
          { field: 'status', op: 'ne', value: null },
          { field: 'languages', op: 'contains', value: 'he' },
          { field: 'name', op: 'startsWith', value: 'Dr' },
          { field: 'verifiedAt', op: 'defined', value: true },
          { or: [{ field: 'tier', op: 'in', values: ['gold', 'silver'] }, { not: { field: 'deletedAt', op: 'defined', value: false } }] },
        ],
      },
      orderBy: [{ field: 'rating', direction: 'desc' }],
    });
    expect(spec.query).toBe(
      'SELECT * FROM c WHERE (c["country"] = @p0 AND c["rate"]["amount"] <= @p1 AND c["status"] != @p2 AND ARRAY_CONTAINS(c["languages"], @p3) ' +
        'AND STARTSWITH(c["name"], @p4, false) AND IS_DEFINED(c["verifiedAt"]) AND (c["tier"] IN (@p5, @p6) OR (NOT NOT IS_DEFINED(c["deletedAt"])))) ' +
        'ORDER BY c["rating"] DESC, c["id"] DESC',
    );
    expect(spec.parameters.map((p) => p.value)).toEqual(['IL', 150, null, 'he', 'Dr', 'gold', 'silver']);
  });

  it('sorts by id alone when no order is given, and handles empty and/or/in', () => {
    expect(selectQuery({}).query).toBe('SELECT * FROM c ORDER BY c["id"] ASC');
    expect(selectQuery({ where: { and: [] } }).query).toBe('SELECT * FROM c WHERE true ORDER BY c["id"] ASC');
    expect(selectQuery({ where: { or: [] } }).query).toBe('SELECT * FROM c WHERE false ORDER BY c["id"] ASC');
    expect(selectQuery({ where: { field: 'x', op: 'in', values: [] } }).query).toBe('SELECT * FROM c WHERE false ORDER BY c["id"] ASC');
  });

  it('counts and aggregates with aliases mapped back to the requested names', () => {
    expect(countQuery({ field: 'country', op: 'eq', value: 'US' })).toEqual({
      query: 'SELECT VALUE COUNT(1) FROM c WHERE c["country"] = @p0',
      parameters: [{ name: '@p0', value: 'US' }],
    });
    const aggregate = aggregateQuery({
      groupBy: ['address.country'],
      aggregates: { experts: { fn: 'count' }, averageRate: { fn: 'avg', field: 'rate' }, rated: { fn: 'count', field: 'rating' } },
    });
    expect(aggregate.query).toBe(
      'SELECT c["address"]["country"] AS g0, COUNT(1) AS a0, AVG(c["rate"]) AS a1, COUNT(c["rating"]) AS a2 FROM c GROUP BY c["address"]["country"]',
    );
    expect(aggregate.columns).toEqual({ g0: 'address.country', a0: 'experts', a1: 'averageRate', a2: 'rated' });
  });

  it('ranks text by BM25 over every text field, vectors by distance, and both with RRF', () => {
    const text = searchQuery(experts, { text: 'FSMA preventive-controls', where: { field: 'country', op: 'eq', value: 'US' } }, 10);
    expect(text.query).toBe(
      'SELECT TOP @p0 c AS document FROM c WHERE c["country"] = @p1 AND (FullTextContainsAny(c["headline"], @p2, @p3, @p4) OR FullTextContainsAny(c["bio"], @p2, @p3, @p4)) ' +
        'ORDER BY RANK RRF(FullTextScore(c["headline"], @p2, @p3, @p4), FullTextScore(c["bio"], @p2, @p3, @p4))',
    );
    expect(text.parameters.map((p) => p.value)).toEqual([10, 'US', 'FSMA', 'preventive', 'controls']);

    const vector = searchQuery(experts, { vector: [0.1, 0.2, 0.3] }, 5);
    expect(vector.query).toBe(
      'SELECT TOP @p0 c AS document, VectorDistance(c["embedding"], @p1) AS score FROM c ORDER BY VectorDistance(c["embedding"], @p1)',
    );

    const hybrid = searchQuery({ ...experts, textFields: ['bio'] }, { text: 'organic', vector: [1, 0, 0] }, 10);
    expect(hybrid.query).toBe(
      'SELECT TOP @p0 c AS document FROM c WHERE (FullTextContainsAny(c["bio"], @p1)) ORDER BY RANK RRF(FullTextScore(c["bio"], @p1), VectorDistance(c["embedding"], @p2))',
    );
  });

  it('maps patch operations to the SDK and inlines a conditional patch predicate as safe JSON literals', () => {
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
    expect(filterPredicate({ field: 'status', op: 'eq', value: 'draft" OR true --' })).toBe('FROM c WHERE c["status"] = "draft\\" OR true --"');
  });

  it('keeps injection attempts in values out of the query text', () => {
    const attacks = ["' OR 1=1 --", '"); DROP TABLE c; --', 'x"] OR c["admin', 'NEAR(', '*', '\\"'];
    for (const value of attacks) {
      const spec = selectQuery({ where: { field: 'name', op: 'eq', value } });
      expect(spec.query).toBe('SELECT * FROM c WHERE c["name"] = @p0 ORDER BY c["id"] ASC');
      expect(spec.parameters).toEqual([{ name: '@p0', value }]);
    }
  });

  it.each(['a"]', 'a b', 'a;DROP', '__proto__.x"', '', 'a..b', '1abc'])('refuses the field path %j', (path) => {
    expect(() => fieldAccessor(path)).toThrow(/Invalid field path/);
  });
});
