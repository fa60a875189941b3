import {
  VectorEmbeddingDataType,
  VectorEmbeddingDistanceFunction,
  VectorIndexType,
  type CompositePath,
  type ContainerDefinition as CosmosContainerDefinition,
  type ContainerRequest,
  type IndexingPolicy,
} from '@azure/cosmos';
import type { ContainerDefinition } from '../../../data/document-store';
import { jsonPointer } from './sql';

const DISTANCE = {
  cosine: VectorEmbeddingDistanceFunction.Cosine,
  euclidean: VectorEmbeddingDistanceFunction.Euclidean,
  dotproduct: VectorEmbeddingDistanceFunction.DotProduct,
} as const;
/** quantizedFlat and diskANN index up to 4,096 dimensions (flat only 505). */
const MAX_VECTOR_DIMENSIONS = 4096;
/** Full-text language; en-US is the generally available one (others are in preview). */
const TEXT_LANGUAGE = 'en-US';

/**
 * A container declaration as Cosmos creates it:
 * - partition key path; every path range-indexed (`/*`), so a filter on any field uses the index;
 * - composite indexes ending in `id` for every sort the port allows (queries always add `id` as the
 *   tie-breaker in the last key's direction, so a one-key sort is a two-key ORDER BY in Cosmos);
 * - a full-text policy and index for `textFields`;
 * - a vector embedding policy and a `quantizedFlat` index for `vector`, whose path is excluded from
 *   range indexing, as the vector search docs require;
 * - `defaultTtl` when declared.
 */
export function containerRequest(definition: ContainerDefinition): ContainerRequest {
  assertContainerName(definition.name);
  const vector = definition.vector;
  if (vector && (!Number.isInteger(vector.dimensions) || vector.dimensions < 1 || vector.dimensions > MAX_VECTOR_DIMENSIONS)) {
    throw new Error(`Vector dimensions must be a whole number from 1 to ${MAX_VECTOR_DIMENSIONS}`);
  }
  if (vector && !Object.hasOwn(DISTANCE, vector.distance)) throw new Error(`Unknown vector distance "${vector.distance}"`);
  if (definition.defaultTtlSeconds !== undefined && !(definition.defaultTtlSeconds === -1 || (Number.isInteger(definition.defaultTtlSeconds) && definition.defaultTtlSeconds > 0))) {
    throw new Error('defaultTtlSeconds must be -1 or a positive whole number');
  }
  const textPaths = (definition.textFields ?? []).map(jsonPointer);
  const composites = compositeIndexes(definition);
  const indexingPolicy: IndexingPolicy = {
    indexingMode: 'consistent',
    automatic: true,
    includedPaths: [{ path: '/*' }],
    excludedPaths: [{ path: '/"_etag"/?' }, ...(vector ? [{ path: `${jsonPointer(vector.path)}/*` }] : [])],
    ...(composites.length ? { compositeIndexes: composites } : {}),
    ...(textPaths.length ? { fullTextIndexes: textPaths.map((path) => ({ path })) } : {}),
    ...(vector ? { vectorIndexes: [{ path: jsonPointer(vector.path), type: VectorIndexType.QuantizedFlat }] } : {}),
  };
  return {
    id: definition.name,
    partitionKey: { paths: [jsonPointer(definition.partitionKey)] },
    indexingPolicy,
    ...(definition.defaultTtlSeconds === undefined ? {} : { defaultTtl: definition.defaultTtlSeconds }),
    ...(textPaths.length ? { fullTextPolicy: { defaultLanguage: TEXT_LANGUAGE, fullTextPaths: textPaths.map((path) => ({ path, language: TEXT_LANGUAGE })) } } : {}),
    ...(vector
      ? {
          vectorEmbeddingPolicy: {
            vectorEmbeddings: [{ path: jsonPointer(vector.path), dataType: VectorEmbeddingDataType.Float32, dimensions: vector.dimensions, distanceFunction: DISTANCE[vector.distance] }],
          },
        }
      : {}),
  };
}

/** One-key sorts (declared indexes, and the first key of each composite) get `[field, id]`; composites get `[...keys, id]`. */
function compositeIndexes(definition: ContainerDefinition): CompositePath[][] {
  const order = (direction: 'asc' | 'desc') => (direction === 'desc' ? ('descending' as const) : ('ascending' as const));
  const declared = definition.compositeIndexes ?? [];
  const single = new Set([...(definition.indexes ?? []), ...declared.map((keys) => keys[0]?.path).filter((path) => path !== undefined)]);
  single.delete('id');
  const result: CompositePath[][] = [...single].map((field) => [
    { path: jsonPointer(field), order: 'ascending' },
    { path: '/id', order: 'ascending' },
  ]);
  for (const keys of declared) {
    const fields = keys.filter((key) => key.path !== 'id');
    if (fields.length < 2) continue; // already served by the one-key entry above
    const last = fields.at(-1)!.order;
    result.push([...fields.map((key) => ({ path: jsonPointer(key.path), order: order(key.order) })), { path: '/id', order: order(last) }]);
  }
  return result;
}

/** Cosmos resource ids: 1..255 characters, none of / \ ? #, no trailing space. */
function assertContainerName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 || /[/\\?#]/.test(name) || name.endsWith(' ')) {
    throw new Error(`Invalid container name ${JSON.stringify(name)}`);
  }
}

/**
 * What an existing container lacks of the declared policy. In Azure the containers come from
 * Bicep (Entra data-plane roles cannot create them), so `createIfNotExists` only reads them; a
 * missing composite, full-text or vector policy would otherwise surface later as 400s or full
 * scans. Vector and full-text policies cannot be added after creation.
 */
export function policyDrift(wanted: ContainerRequest, existing: CosmosContainerDefinition | undefined): string[] {
  if (!existing) return [];
  const drift: string[] = [];
  const sameComposite = (a: CompositePath[], b: CompositePath[]) =>
    a.length === b.length && a.every((part, i) => part.path === b[i].path && (part.order ?? 'ascending') === (b[i].order ?? 'ascending'));
  for (const composite of wanted.indexingPolicy?.compositeIndexes ?? []) {
    if (!existing.indexingPolicy?.compositeIndexes?.some((entry) => sameComposite(entry, composite))) {
      drift.push(`composite index ${composite.map((part) => `${part.path} ${part.order}`).join(', ')}`);
    }
  }
  for (const { path } of wanted.fullTextPolicy?.fullTextPaths ?? []) {
    if (!existing.fullTextPolicy?.fullTextPaths?.some((entry) => entry.path === path)) drift.push(`full-text path ${path}`);
    if (!existing.indexingPolicy?.fullTextIndexes?.some((entry) => entry.path === path)) drift.push(`full-text index ${path}`);
  }
  for (const embedding of wanted.vectorEmbeddingPolicy?.vectorEmbeddings ?? []) {
    const same = existing.vectorEmbeddingPolicy?.vectorEmbeddings?.some(
      (entry) => entry.path === embedding.path && entry.dimensions === embedding.dimensions && entry.distanceFunction === embedding.distanceFunction,
    );
    if (!same) drift.push(`vector embedding ${embedding.path} (${embedding.dimensions}, ${embedding.distanceFunction})`);
    if (!existing.indexingPolicy?.vectorIndexes?.some((entry) => entry.path === embedding.path)) drift.push(`vector index ${embedding.path}`);
  }
  if (wanted.defaultTtl !== existing.defaultTtl) drift.push(`defaultTtl ${String(wanted.defaultTtl)} (found ${String(existing.defaultTtl)})`);
  return drift;
}
