import type { ContainerDefinition } from '../../data/document-store';

/** text-embedding-3-small's native size (text-embedding-3-large can be shortened to it with `dimensions`). */
export const EXPERT_VECTOR_DIMENSIONS = 1536;

/**
 * One vector per public expert's profile text (semantic matching), read and written by expert id,
 * so the id is the partition; nearest neighbours come from the vector index across partitions.
 */
export const expertVectors: ContainerDefinition = {
  name: 'expert-vectors',
  partitionKey: 'id',
  vector: { path: 'vector', dimensions: EXPERT_VECTOR_DIMENSIONS, distance: 'cosine' },
};

/** Where a change-feed consumer has read up to, one document per consumer, so the id is the partition. */
export const changeFeedPositions: ContainerDefinition = { name: 'change-feed-positions', partitionKey: 'id' };

/**
 * Daily search-trend counters (specializations searched, query texts, services viewed), one
 * document per day and subject, incremented in place; the trending endpoint reads the last two
 * weeks, a day per partition. Kept a month.
 */
export const searchTrends: ContainerDefinition = {
  name: 'search-trends',
  partitionKey: 'day',
  defaultTtlSeconds: 30 * 24 * 3600,
};

export const searchContainers: readonly ContainerDefinition[] = [expertVectors, changeFeedPositions, searchTrends];
