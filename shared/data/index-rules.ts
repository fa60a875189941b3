import type { ContainerDefinition } from './document-store';
import { StoreError } from './errors';

/**
 * Cosmos's rule, kept by both adapters: a sort needs an index. One key must be a declared index
 * (or lead a composite one); several keys need a composite index with the same fields in the same
 * or fully reversed directions. `keys` excludes the `id` tie-breaker.
 */
export function assertSortServed(definition: ContainerDefinition, keys: { field: string; direction: 'asc' | 'desc' }[]): void {
  if (keys.length === 0) return;
  const composites = definition.compositeIndexes ?? [];
  const served =
    keys.length === 1
      ? (definition.indexes ?? []).includes(keys[0]!.field) || composites.some((composite) => composite[0]?.path === keys[0]!.field)
      : composites.some(
          (composite) =>
            composite.length === keys.length &&
            composite.every((part, i) => part.path === keys[i]!.field) &&
            [true, false].some((same) => composite.every((part, i) => (part.order === keys[i]!.direction) === same)),
        );
  if (!served) {
    const wanted = keys.map((key) => `${key.field} ${key.direction}`).join(', ');
    throw new StoreError('validation', `Sorting by ${wanted} needs an index on ${definition.name}: declare it in indexes or compositeIndexes`);
  }
}
