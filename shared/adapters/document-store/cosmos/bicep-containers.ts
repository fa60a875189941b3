import { allContainers } from '../../../data/containers';
import type { ContainerDefinition } from '../../../data/document-store';
import { containerRequest } from './container-request';
import { jsonPointer } from './sql';

/**
 * The Bicep parameter shape (infra/cosmos-containers.json) for the declared containers: the same
 * partition key, TTL, indexing, full-text and vector policies the adapter would create, because
 * in Azure the containers come from Bicep (the app's data-plane role cannot create them).
 */
export function bicepContainers(definitions: readonly ContainerDefinition[] = allContainers) {
  return definitions.map((definition) => {
    const request = containerRequest(definition);
    return {
      name: definition.name,
      partitionKeyPaths: [jsonPointer(definition.partitionKey)],
      ...(request.defaultTtl === undefined ? {} : { defaultTtl: request.defaultTtl }),
      indexingPolicy: request.indexingPolicy,
      ...(request.fullTextPolicy ? { fullTextPolicy: request.fullTextPolicy } : {}),
      ...(request.vectorEmbeddingPolicy ? { vectorEmbeddingPolicy: request.vectorEmbeddingPolicy } : {}),
    };
  });
}
