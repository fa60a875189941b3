import type { AggregateQuery, Condition, ContainerDefinition, PatchOperation, Scalar, SearchQuery, SortKey } from '../../data/document-store';
import { assertFieldPath, StoreError } from '../../data/errors';

/**
 * The port's query shapes as Cosmos DB for NoSQL queries. Every value is a parameter (`@p0`,
 * ...); field paths are checked identifiers emitted as `c["a"]["b"]`, so nothing a user types
 * becomes query text. Cosmos logic is natively three-valued (a missing field or a comparison
 * across types is undefined, and only true selects), which is the port's contract, so conditions
 * translate one to one.
 */
/** What a query parameter may hold (the SDK's JSONValue). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface SqlQuerySpec {
  query: string;
  parameters: { name: string; value: JsonValue }[];
}

class Parameters {
  readonly list: { name: string; value: JsonValue }[] = [];

  add(value: JsonValue): string {
    const name = `@p${this.list.length}`;
    this.list.push({ name, value });
    return name;
  }
}

/**
 * For the one place Cosmos takes no parameters (a conditional patch's `condition` string):
 * values become JSON literals, which are valid Cosmos literals and escape every quote and
 * backslash, so a value still cannot end its literal.
 */
class InlineLiterals extends Parameters {
  override add(value: JsonValue): string {
    return JSON.stringify(value);
  }
}

export function fieldAccessor(path: string): string {
  return `c${assertFieldPath(path)
    .split('.')
    .map((segment) => `["${segment}"]`)
    .join('')}`;
}

const COMPARISON = { eq: '=', ne: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function condition(node: Condition, params: Parameters): string {
  if ('and' in node) return node.and.length ? `(${node.and.map((child) => condition(child, params)).join(' AND ')})` : 'true';
  if ('or' in node) return node.or.length ? `(${node.or.map((child) => condition(child, params)).join(' OR ')})` : 'false';
  if ('not' in node) return `(NOT ${condition(node.not, params)})`;
  const field = fieldAccessor(node.field);
  switch (node.op) {
    case 'in':
      return node.values.length ? `${field} IN (${node.values.map((value) => params.add(scalar(value))).join(', ')})` : 'false';
    case 'contains':
      return `ARRAY_CONTAINS(${field}, ${params.add(scalar(node.value))})`;
    case 'startsWith':
      if (typeof node.value !== 'string') throw new StoreError('validation', '`startsWith` takes a string');
      return `STARTSWITH(${field}, ${params.add(node.value)}, false)`;
    case 'defined':
      return node.value ? `IS_DEFINED(${field})` : `NOT IS_DEFINED(${field})`;
    default:
      return `${field} ${COMPARISON[node.op]} ${params.add(scalar(node.value))}`;
  }
}

function scalar(value: Scalar): Scalar {
  const ok = value === null || ['string', 'boolean'].includes(typeof value) || (typeof value === 'number' && Number.isFinite(value));
  if (!ok) throw new StoreError('validation', 'Filter values must be strings, finite numbers, booleans or null');
  return value;
}

function where(filter: Condition | undefined, params: Parameters): string {
  return filter ? ` WHERE ${condition(filter, params)}` : '';
}

/** A page query: the filter, the requested order, then `id` so pages are stable. */
export function selectQuery(options: { where?: Condition; orderBy?: SortKey[] }): SqlQuerySpec {
  const params = new Parameters();
  const keys = [...(options.orderBy ?? []).filter((key) => key.field !== 'id'), { field: 'id', direction: options.orderBy?.at(-1)?.direction ?? 'asc' }];
  const order = keys.map((key) => `${fieldAccessor(key.field)} ${key.direction === 'desc' ? 'DESC' : 'ASC'}`).join(', ');
  return { query: `SELECT * FROM c${where(options.where, params)} ORDER BY ${order}`, parameters: params.list };
}

export function countQuery(filter?: Condition): SqlQuerySpec {
  const params = new Parameters();
  return { query: `SELECT VALUE COUNT(1) FROM c${where(filter, params)}`, parameters: params.list };
}

const AGGREGATE_FUNCTIONS = { count: 'COUNT', sum: 'SUM', avg: 'AVG', min: 'MIN', max: 'MAX' } as const;

/**
 * Group-by aggregates. Output names may be dotted paths, which are not Cosmos identifiers, so
 * columns get positional aliases and `columns` maps them back to the names asked for.
 */
export function aggregateQuery(query: AggregateQuery): SqlQuerySpec & { columns: Record<string, string> } {
  const params = new Parameters();
  const columns: Record<string, string> = {};
  const select: string[] = [];
  query.groupBy.forEach((field, index) => {
    columns[`g${index}`] = field;
    select.push(`${fieldAccessor(field)} AS g${index}`);
  });
  Object.entries(query.aggregates).forEach(([name, { fn, field }], index) => {
    columns[`a${index}`] = name;
    const argument = field ? fieldAccessor(field) : fn === 'count' ? '1' : undefined;
    if (!argument) throw new StoreError('validation', `Aggregate "${name}" (${fn}) needs a field`);
    select.push(`${AGGREGATE_FUNCTIONS[fn]}(${argument}) AS a${index}`);
  });
  const groupBy = query.groupBy.length ? ` GROUP BY ${query.groupBy.map(fieldAccessor).join(', ')}` : '';
  return { query: `SELECT ${select.join(', ')} FROM c${where(query.where, params)}${groupBy}`, parameters: params.list, columns };
}

/** Words as the search terms (letters, digits, marks), the same tokens the SQLite adapter uses. */
export function searchTerms(text: string): string[] {
  return text.match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}

/**
 * Text (BM25 via `FullTextScore`, ranked with `ORDER BY RANK`), vector (`VectorDistance`) or
 * both fused with `RRF`, each with the filter. `FullTextScore` cannot be projected, so text and
 * hybrid hits carry their rank, not a score, and the adapter scores them by position.
 */
export function searchQuery(definition: ContainerDefinition, search: SearchQuery, limit: number): SqlQuerySpec {
  const params = new Parameters();
  const top = params.add(limit);
  const filters: string[] = [];
  if (search.where) filters.push(condition(search.where, params));
  const rankings: string[] = [];
  let projection = 'c AS document';
  if (search.text !== undefined) {
    const fields = definition.textFields ?? [];
    if (!fields.length) throw new StoreError('validation', `Container ${definition.name} declares no text fields`);
    const terms = searchTerms(search.text).map((term) => params.add(term));
    if (!terms.length) throw new StoreError('validation', 'The search text has no words');
    filters.push(`(${fields.map((field) => `FullTextContainsAny(${fieldAccessor(field)}, ${terms.join(', ')})`).join(' OR ')})`);
    rankings.push(...fields.map((field) => `FullTextScore(${fieldAccessor(field)}, ${terms.join(', ')})`));
  }
  if (search.vector !== undefined) {
    if (!definition.vector) throw new StoreError('validation', `Container ${definition.name} declares no vector field`);
    const distance = `VectorDistance(${fieldAccessor(definition.vector.path)}, ${params.add(search.vector)})`;
    rankings.push(distance);
    if (search.text === undefined) projection = `c AS document, ${distance} AS score`;
  }
  if (!rankings.length) throw new StoreError('validation', 'A search needs text, a vector, or both');
  const order =
    search.text === undefined ? `ORDER BY ${rankings[0]}` : `ORDER BY RANK ${rankings.length === 1 ? rankings[0] : `RRF(${rankings.join(', ')})`}`;
  const whereClause = filters.length ? ` WHERE ${filters.join(' AND ')}` : '';
  return { query: `SELECT TOP ${top} ${projection} FROM c${whereClause} ${order}`, parameters: params.list };
}

/** Patch operations in the SDK's JSON Patch form; a conditional patch's filter predicate. */
export function patchOperations(operations: PatchOperation[]): { op: string; path: string; value?: unknown }[] {
  return operations.map((operation) => {
    const path = `/${assertFieldPath(operation.path).replace(/\./g, '/')}`;
    switch (operation.op) {
      case 'set':
        return { op: 'set', path, value: operation.value };
      case 'remove':
        return { op: 'remove', path };
      case 'increment':
        return { op: 'incr', path, value: operation.value };
      case 'append':
        return { op: 'add', path: `${path}/-`, value: operation.value };
    }
  });
}

/** A conditional patch's predicate (the SDK's `condition` string, which has no parameters). */
export function filterPredicate(filter: Condition): string {
  return `FROM c WHERE ${condition(filter, new InlineLiterals())}`;
}
