import type { ContainerRequest, IndexingPolicy } from '@azure/cosmos';
import type { ContainerDefinition } from '../../data/document-store';

const jsonPath = (field: string) => `/${field.replace(/\./g, '/')}`;

/**
 * A container declaration as Cosmos creates it: partition key, indexing policy (every declared
 * sort field gets a composite index ending in `id`, because queries always add `id` as the tie
 * breaker), full-text policy and index for text fields, vector embedding policy and index for the
 * vector field (excluded from range indexing, as the docs require), TTL.
 */
export function containerRequest(definition: ContainerDefinition): ContainerRequest {
  const sortFields = (definition.indexes ?? []).filter((field) => field !== 'id');
  const composites = [
    ...sortFields.map((field) => [
      { path: jsonPath(field), order: 'ascending' as const },
      { path: '/id', order: 'ascending' as const },
    ]),
    ...(definition.compositeIndexes ?? []).map((keys) => [
      ...keys.map((key) => ({ path: jsonPath(key.path), order: key.order === 'desc' ? ('descending' as const) : ('ascending' as const) })),
      { path: '/id', order: keys.at(-1)?.order === 'desc' ? ('descending' as const) : ('ascending' as const) },
    ]),
  ];
  const textPaths = (definition.textFields ?? []).map(jsonPath);
  const vector = definition.vector;
  const indexingPolicy: IndexingPolicy = {
    indexingMode: 'consistent',
    automatic: true,
    includedPaths: [{ path: '/*' }],
    excludedPaths: [{ path: '/"_etag"/?' }, ...(vector ? [{ path: `${jsonPath(vector.path)}/*` }] : [])],
    ...(composites.length ? { compositeIndexes: composites } : {}),
    ...(textPaths.length ? { fullTextIndexes: textPaths.map((path) => ({ path })) } : {}),
    ...(vector ? { vectorIndexes: [{ path: jsonPath(vector.path), type: 'quantizedFlat' as never }] } : {}),
  };
  return {
    id: definition.name,
    partitionKey: { paths: [jsonPath(definition.partitionKey)] },
    indexingPolicy,
    ...(definition.defaultTtlSeconds === undefined ? {} : { defaultTtl: definition.defaultTtlSeconds }),
    ...(textPaths.length ? { fullTextPolicy: { defaultLanguage: 'en-US', fullTextPaths: textPaths.map((path) => ({ path, language: 'en-US' })) } } : {}),
    ...(vector
      ? {
          vectorEmbeddingPolicy: {
            vectorEmbeddings: [{ path: jsonPath(vector.path), dataType: 'float32' as never, dimensions: vector.dimensions, distanceFunction: vector.distance as never }],
          },
        }
      : {}),
  };
}
