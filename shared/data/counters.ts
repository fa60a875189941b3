import type { Container, Document, PartitionKey } from './document-store';
import { StoreError } from './errors';

/**
 * Adds `count` to a counter field of one document, creating the document (from `initial`, which
 * already holds the count) on the first event. Safe under concurrency: the increment is the
 * store's, and when two first events race to create, the loser adds to the winner's document.
 */
export async function addToCounter<T extends Document>(container: Container<T>, partitionKey: PartitionKey, id: string, field: string, count: number, initial: () => T): Promise<void> {
  const increment = [{ op: 'increment' as const, path: field, value: count }];
  try {
    await container.patch(partitionKey, id, increment);
    return;
  } catch (error) {
    if (!(error instanceof StoreError) || error.kind !== 'not_found') throw error;
  }
  try {
    await container.create(initial());
  } catch (error) {
    if (!(error instanceof StoreError) || error.kind !== 'conflict') throw error;
    await container.patch(partitionKey, id, increment);
  }
}
