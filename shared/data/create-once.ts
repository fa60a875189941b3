import type { Container, Document, PartitionKey, Stored } from './document-store';
import { StoreError } from './errors';

/**
 * Creates the document unless one with its id is already there, and returns whichever is
 * stored: for effects with a deterministic id, so a second run of the same cause (a retry after
 * a crash) finds the first run's document instead of making another.
 */
export async function createOnce<T extends Document>(container: Container<T>, partitionKey: PartitionKey, document: T): Promise<Stored<T>> {
  try {
    return await container.create(document);
  } catch (error) {
    const existing = error instanceof StoreError && error.kind === 'conflict' ? await container.read(partitionKey, document.id) : null;
    if (!existing) throw error;
    return existing;
  }
}
