import { BulkOperationType, type JSONObject, type OperationInput, type OperationResponse } from '@azure/cosmos';
import type { BatchOperation, ContainerDefinition, Document, PartitionKey, Stored } from '../../../data/document-store';
import { BatchError, StoreError } from '../../../data/errors';
import { assertId, checkDocument } from '../../../data/document-rules';
import { appendsAsSets, checkPatch } from './documents';
import { storeErrorForStatus } from './errors';
import { patchOperations } from './sql';

/** Cosmos allows 100 operations in a transactional batch. */
export const MAX_BATCH_OPERATIONS = 100;
/** The status of the operations a failed batch did not run because another one failed. */
const FAILED_DEPENDENCY = 424;

/** One port batch operation as the SDK's `OperationInput`, checked like its single-document form. */
export function operationInput<T extends Document>(operation: BatchOperation<T>, partitionKey: PartitionKey, definition: ContainerDefinition): OperationInput {
  switch (operation.op) {
    case 'create':
    case 'upsert':
    case 'replace': {
      const { body, id, partitionKey: own } = checkDocument(operation.document, definition);
      if (own !== partitionKey) throw new StoreError('validation', `Document "${id}" is not in the batch's partition`);
      const resourceBody = body as JSONObject;
      if (operation.op === 'create') return { operationType: BulkOperationType.Create, resourceBody };
      if (operation.op === 'upsert') return { operationType: BulkOperationType.Upsert, resourceBody };
      return { operationType: BulkOperationType.Replace, id, resourceBody, ifMatch: operation.ifMatch };
    }
    case 'delete':
      assertId(operation.id);
      // The SDK's batch delete takes no If-Match; refusing beats silently dropping the check.
      if (operation.ifMatch !== undefined) throw new StoreError('validation', 'A conditional delete cannot be part of a Cosmos DB batch; delete it on its own with ifMatch');
      return { operationType: BulkOperationType.Delete, id: operation.id };
    case 'patch':
      assertId(operation.id);
      return {
        operationType: BulkOperationType.Patch,
        id: operation.id,
        resourceBody: { operations: patchOperations(checkPatch(operation.operations, definition)) },
        ifMatch: operation.ifMatch,
      };
    default:
      throw new StoreError('validation', `Unknown batch operation ${JSON.stringify((operation as { op?: unknown }).op)}`);
  }
}

export const hasAppend = (operation: BatchOperation<Document> | undefined) => operation?.op === 'patch' && operation.operations.some((patch) => patch.op === 'append');

/**
 * The batch again with appends resolved against the documents as they will be: an earlier
 * create/upsert/replace in the batch, else the stored one, and then pinned to its etag so nothing
 * slips in between (`pinned` lists those operations: a 412 there is a race, not the caller's).
 */
export async function resolveAppends<T extends Document>(
  operations: BatchOperation<T>[],
  partitionKey: PartitionKey,
  definition: ContainerDefinition,
  read: (id: string) => Promise<Stored<T> | null>,
): Promise<{ inputs: OperationInput[]; pinned: Set<number> }> {
  const pinned = new Set<number>();
  const inputs: OperationInput[] = [];
  for (const [index, operation] of operations.entries()) {
    if (operation.op !== 'patch' || !hasAppend(operation)) {
      inputs.push(atIndex(index, () => operationInput(operation, partitionKey, definition)));
      continue;
    }
    const written = operations
      .slice(0, index)
      .reverse()
      .find((earlier) => earlier.op !== 'delete' && earlier.op !== 'patch' && earlier.document.id === operation.id);
    const current = written && 'document' in written ? (written.document as Record<string, unknown>) : await read(operation.id);
    const etag = operation.ifMatch ?? (written ? undefined : (current as Stored<T> | null)?._etag);
    if (etag !== undefined && operation.ifMatch === undefined) pinned.add(index);
    const operationsNow = current ? atIndex(index, () => appendsAsSets(operation.operations, current)) : operation.operations;
    inputs.push(atIndex(index, () => operationInput({ ...operation, operations: operationsNow, ifMatch: etag }, partitionKey, definition)));
  }
  return { inputs, pinned };
}

/** Names the operation that failed a batch before it is sent. */
export function atIndex<R>(index: number, build: () => R): R {
  try {
    return build();
  } catch (error) {
    if (error instanceof StoreError) throw new BatchError(index, error);
    throw error;
  }
}

/** The operation that failed a batch: its own status; the others report 424 (failed dependency). */
export function firstFailure(results: OperationResponse[]): { index: number; reason: StoreError } | undefined {
  const index = results.findIndex((result) => result.statusCode >= 400 && result.statusCode !== FAILED_DEPENDENCY);
  if (index < 0) {
    if (results.some((result) => result.statusCode >= 400)) throw new Error('Cosmos DB batch failed without naming the failing operation');
    return undefined;
  }
  const status = results[index].statusCode;
  const reason = storeErrorForStatus(status);
  if (!reason) throw new Error(`Cosmos DB batch operation ${index} failed with status ${status}`);
  return { index, reason };
}
