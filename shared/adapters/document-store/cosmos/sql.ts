import type { AggregateQuery, Condition, ContainerDefinition, PatchOperation, Scalar, SearchQuery, SortKey } from '../../../data/document-store';
import { assertFieldPath, StoreError } from '../../../data/errors';
import { assertSortServed as assertSortKeysServed } from '../../../data/index-rules';

/**
 * The port's query shapes as Cosmos DB for NoSQL queries (pure: no SDK import). Every value is a
 * parameter (`@p0`, ...); field paths pass `assertFieldPath` and are emitted as `c["a"]["b"]`, so
 * nothing a user types becomes query text. Cosmos logic is three-valued (a missing field or a
 * comparison across types is undefined, and only true selects), which is the port's contract, so
 * conditions translate one to one.
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
 * For the one place Cosmos takes no parameters (a conditional patch's predicate): values become
 * JSON literals, which are valid Cosmos literals with every quote and backslash escaped, so a
 * value still cannot end its literal. Only scalars (already checked) reach here.
 */
class InlineLiterals extends Parameters {
  override add(value: JsonValue): string {
    return JSON.stringify(value);
  }
}

const invalid = (message: string) => new StoreError('validation', message);

export function fieldAccessor(path: string): string {
  return `c${assertFieldPath(path)
    .split('.')
    .map((segment) => `["${segment}"]`)
    .join('')}`;
}

const COMPARISON = { eq: '=', ne: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function condition(node: Condition, params: Parameters): string {
  if (typeof node !== 'object' || node === null) throw invalid('A condition must be an object');
  if ('and' in node) return group(node.and, ' AND ', 'true', params);
  if ('or' in node) return group(node.or, ' OR ', 'false', params);
  // NOT is a unary operator binding tighter than = and IN (`NOT a = b` is `(NOT a) = b`), so its operand is parenthesised.
  if ('not' in node) return `(NOT (${condition(node.not, params)}))`;
  const field = fieldAccessor(node.field);
  switch (node.op) {
    case 'eq':
    case 'ne':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `${field} ${COMPARISON[node.op]} ${params.add(scalar(node.value))}`;
    case 'in':
      if (!Array.isArray(node.values)) throw invalid('`in` takes an array of values');
      return node.values.length ? `${field} IN (${node.values.map((value) => params.add(scalar(value))).join(', ')})` : 'false';
    case 'contains':
      return `ARRAY_CONTAINS(${field}, ${params.add(scalar(node.value))})`;
    case 'startsWith':
      if (typeof node.value !== 'string') throw invalid('`startsWith` takes a string');
      // Without the optional ignore-case argument the comparison is ordinal, as the port says.
      return `STARTSWITH(${field}, ${params.add(node.value)})`;
    case 'defined':
      if (typeof node.value !== 'boolean') throw invalid('`defined` takes true or false');
      return node.value ? `IS_DEFINED(${field})` : `(NOT IS_DEFINED(${field}))`;
    default:
      throw invalid(`Unknown condition operator ${JSON.stringify((node as { op?: unknown }).op)}`);
  }
}

function group(children: Condition[], joiner: string, empty: string, params: Parameters): string {
  if (!Array.isArray(children)) throw invalid('`and` / `or` take an array of conditions');
  return children.length ? `(${children.map((child) => condition(child, params)).join(joiner)})` : empty;
}

function scalar(value: Scalar): Scalar {
  const ok = value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  if (!ok) throw invalid('Filter values must be strings, finite numbers, booleans or null');
  return value;
}

function where(filters: (string | undefined)[]): string {
  const present = filters.filter((filter): filter is string => filter !== undefined);
  return present.length ? ` WHERE ${present.join(' AND ')}` : '';
}

/** The sort keys as sent: up to the first `id` (it is unique, so later keys never matter), then `id` in the last key's direction. */
export function sortKeys(orderBy: SortKey[] | undefined): { field: string; direction: 'asc' | 'desc' }[] {
  const keys: { field: string; direction: 'asc' | 'desc' }[] = [];
  for (const { field, direction = 'asc' } of orderBy ?? []) {
    if (direction !== 'asc' && direction !== 'desc') throw invalid(`Unknown sort direction "${String(direction)}"`);
    keys.push({ field: assertFieldPath(field), direction });
    if (field === 'id') return keys;
  }
  // The tie-breaker follows the last key so one composite index (ending in id) serves the whole order.
  return [...keys, { field: 'id', direction: keys.at(-1)?.direction ?? 'asc' }];
}

/** Checked before sending, because Cosmos would answer 400 for an unindexed multi-key sort anyway. */
export function assertSortServed(definition: ContainerDefinition, orderBy: SortKey[] | undefined): void {
  assertSortKeysServed(
    definition,
    sortKeys(orderBy).filter((key) => key.field !== 'id'),
  );
}

/** A page query: the filter, the requested order, then `id` so pages are stable. */
export function selectQuery(options: { where?: Condition; orderBy?: SortKey[] }): SqlQuerySpec {
  const params = new Parameters();
  const filter = options.where && condition(options.where, params);
  const order = sortKeys(options.orderBy)
    .map((key) => `${fieldAccessor(key.field)} ${key.direction === 'desc' ? 'DESC' : 'ASC'}`)
    .join(', ');
  return { query: `SELECT * FROM c${where([filter])} ORDER BY ${order}`, parameters: params.list };
}

export function countQuery(filter?: Condition): SqlQuerySpec {
  const params = new Parameters();
  return { query: `SELECT VALUE COUNT(1) FROM c${where([filter && condition(filter, params)])}`, parameters: params.list };
}

const AGGREGATE_FUNCTIONS = { count: 'COUNT', sum: 'SUM', avg: 'AVG', min: 'MIN', max: 'MAX' } as const;

/**
 * Group-by aggregates. Output names may be dotted paths or keywords, which are not Cosmos
 * aliases, so columns get positional aliases (`g0`, `a0`) and `columns` maps them back.
 */
export function aggregateQuery(query: AggregateQuery): SqlQuerySpec & { columns: Record<string, string> } {
  const params = new Parameters();
  const columns: Record<string, string> = {};
  const select: string[] = [];
  if (!Array.isArray(query.groupBy)) throw invalid('groupBy must be an array of fields');
  query.groupBy.forEach((field, index) => {
    columns[`g${index}`] = field;
    select.push(`${fieldAccessor(field)} AS g${index}`);
  });
  Object.entries(query.aggregates ?? {}).forEach(([name, { fn, field }], index) => {
    if (!Object.hasOwn(AGGREGATE_FUNCTIONS, fn)) throw invalid(`Unknown aggregate function "${String(fn)}"`);
    const argument = field !== undefined ? fieldAccessor(field) : fn === 'count' ? '1' : undefined;
    if (argument === undefined) throw invalid(`Aggregate "${name}" (${fn}) needs a field`);
    columns[`a${index}`] = name;
    select.push(`${AGGREGATE_FUNCTIONS[fn]}(${argument}) AS a${index}`);
  });
  if (!select.length) throw invalid('An aggregate needs at least one group or aggregate');
  const filter = query.where && condition(query.where, params);
  const groupBy = query.groupBy.length ? ` GROUP BY ${query.groupBy.map(fieldAccessor).join(', ')}` : '';
  return { query: `SELECT ${select.join(', ')} FROM c${where([filter])}${groupBy}`, parameters: params.list, columns };
}

/** Distinct words (letters, digits, marks), lower-cased: the same tokens the SQLite adapter searches. */
export function searchTerms(text: string): string[] {
  return [...new Set((text.match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).map((word) => word.toLowerCase()))];
}

export interface SearchSpec {
  spec: SqlQuerySpec;
  /** `vector`: rows are `{ document, score }` with VectorDistance; `rank`: rows are documents in RANK order (no score can be projected). */
  kind: 'vector' | 'rank';
}

/**
 * Text (BM25 via `FullTextScore` under `ORDER BY RANK`, matching any word), vector
 * (`VectorDistance`, which sorts most similar first whatever the metric) or both fused with
 * `RRF`, each with the filter. Null when the text has no words and there is no vector: nothing
 * can match. Rank queries take TOP as a literal (Cosmos needs a number literal to distribute
 * them); `limit` is a checked integer, never user text.
 */
export function searchQuery(definition: ContainerDefinition, search: SearchQuery, limit: number): SearchSpec | null {
  if (!Number.isInteger(limit) || limit < 1) throw invalid('limit must be a positive whole number');
  const params = new Parameters();
  const terms = search.text === undefined ? [] : textTerms(definition, search.text);
  const vectorPath = search.vector === undefined ? undefined : checkedVectorPath(definition, search.vector);
  if (!terms.length && vectorPath === undefined) return null;

  if (!terms.length) {
    const top = params.add(limit);
    const distance = `VectorDistance(${fieldAccessor(vectorPath!)}, ${params.add(search.vector!)})`;
    const filter = search.where && condition(search.where, params);
    return {
      kind: 'vector',
      spec: { query: `SELECT TOP ${top} c AS document, ${distance} AS score FROM c${where([filter])} ORDER BY ${distance}`, parameters: params.list },
    };
  }

  const names = terms.map((term) => params.add(term)).join(', ');
  const fields = (definition.textFields ?? []).map(fieldAccessor);
  const rankings = fields.map((field) => `FullTextScore(${field}, ${names})`);
  if (vectorPath !== undefined) rankings.push(`VectorDistance(${fieldAccessor(vectorPath)}, ${params.add(search.vector!)})`);
  const filter = search.where && condition(search.where, params);
  // Text alone keeps only documents with a word; hybrid keeps vector-only matches, so no text filter.
  const matches = vectorPath === undefined ? `(${fields.map((field) => `FullTextContainsAny(${field}, ${names})`).join(' OR ')})` : undefined;
  const rank = rankings.length === 1 ? rankings[0] : `RRF(${rankings.join(', ')})`;
  return {
    kind: 'rank',
    spec: { query: `SELECT TOP ${limit} * FROM c${where([filter, matches])} ORDER BY RANK ${rank}`, parameters: params.list },
  };
}

function textTerms(definition: ContainerDefinition, text: unknown): string[] {
  if (typeof text !== 'string') throw invalid('Search text must be a string');
  if (!definition.textFields?.length) throw invalid(`Container ${definition.name} declares no text fields`);
  return searchTerms(text);
}

function checkedVectorPath(definition: ContainerDefinition, vector: unknown): string {
  if (!definition.vector) throw invalid(`Container ${definition.name} declares no vector field`);
  const { dimensions, path } = definition.vector;
  if (!Array.isArray(vector) || vector.length !== dimensions || !vector.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw invalid(`A vector must be an array of ${dimensions} finite numbers`);
  }
  return path;
}

/** The SDK's patch operation (JSON Patch with Cosmos `set` and `incr`). */
export type CosmosPatchOperation = { op: 'set' | 'incr' | 'add'; path: string; value: unknown } | { op: 'remove'; path: string };

export function jsonPointer(path: string): string {
  // Identifiers hold no `~` or `/`, so no JSON Pointer escaping is needed.
  return `/${assertFieldPath(path).replace(/\./g, '/')}`;
}

/** Patch operations in the SDK's form; `append` adds at `/-` (the end of the array). */
export function patchOperations(operations: PatchOperation[]): CosmosPatchOperation[] {
  return operations.map((operation) => {
    const path = jsonPointer(operation.path);
    switch (operation.op) {
      case 'set':
        return { op: 'set', path, value: operation.value };
      case 'remove':
        return { op: 'remove', path };
      case 'increment':
        return { op: 'incr', path, value: operation.value };
      case 'append':
        return { op: 'add', path: `${path}/-`, value: operation.value };
      default:
        throw invalid(`Unknown patch operation ${JSON.stringify((operation as { op?: unknown }).op)}`);
    }
  });
}

/** A conditional patch's predicate (`FROM c WHERE ...`): the SDK's `condition` string, which takes no parameters. */
export function filterPredicate(filter: Condition): string {
  return `FROM c WHERE ${condition(filter, new InlineLiterals())}`;
}
