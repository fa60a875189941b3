import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicepContainers } from '../../../../shared/adapters/document-store/cosmos/bicep-containers';
import { allContainers } from '../../../../shared/data/containers';

describe('container declarations', () => {
  it('are what the Bicep deploys (run `npm run infra:containers` after changing them)', () => {
    const file = JSON.parse(readFileSync(path.join(__dirname, '../../../../infra/cosmos-containers.json'), 'utf8'));
    expect(file.containers).toEqual(bicepContainers());
  });

  it('have unique names', () => {
    const names = allContainers.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('Bicep container entries', () => {
  it('carry the sort, full-text and vector policies the adapter declares', () => {
    const [entry] = bicepContainers([
      {
        name: 'profiles',
        partitionKey: 'tenant.id',
        indexes: ['rating'],
        textFields: ['headline', 'bio'],
        vector: { path: 'embedding', dimensions: 1536, distance: 'cosine' },
      },
    ]);
    expect(entry!.partitionKeyPaths).toEqual(['/tenant/id']);
    expect(entry!.indexingPolicy!.compositeIndexes).toEqual([
      [
        { path: '/rating', order: 'ascending' },
        { path: '/id', order: 'ascending' },
      ],
    ]);
    expect(entry!.indexingPolicy!.fullTextIndexes).toEqual([{ path: '/headline' }, { path: '/bio' }]);
    expect(entry!.indexingPolicy!.vectorIndexes).toEqual([{ path: '/embedding', type: 'quantizedFlat' }]);
    expect(entry!.indexingPolicy!.excludedPaths).toContainEqual({ path: '/embedding/*' });
    expect(entry!.fullTextPolicy!.fullTextPaths.map((p) => p.path)).toEqual(['/headline', '/bio']);
    expect(entry!.vectorEmbeddingPolicy!.vectorEmbeddings).toEqual([{ path: '/embedding', dataType: 'float32', dimensions: 1536, distanceFunction: 'cosine' }]);
  });

  it('leave out policies a container does not declare', () => {
    const [entry] = bicepContainers([{ name: 'plain', partitionKey: 'id' }]);
    expect(Object.keys(entry!).sort()).toEqual(['indexingPolicy', 'name', 'partitionKeyPaths']);
  });
});
