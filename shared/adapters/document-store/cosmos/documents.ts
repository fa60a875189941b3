import { assertVector, readPath, SYSTEM_FIELDS } from '../../../data/document-rules';
import type { ContainerDefinition, Document, PatchOperation, Stored } from '../../../data/document-store';
import { assertFieldPath, StoreError } from '../../../data/errors';

/**
 * Documents on their way in and out. Cosmos would refuse most bad input itself, but checking here
 * gives the port's `validation` error (not a 400 whose wording varies) and keeps the two adapters
 * refusing the same things.
 */

/** Cosmos system properties that are not part of the port's documents (`_etag` and `_ts` are). */
const HIDDEN_FIELDS = SYSTEM_FIELDS.filter((field) => field !== '_etag' && field !== '_ts');
/** Cosmos accepts at most 10 operations in one patch. */
const MAX_PATCH_OPERATIONS = 10;

const invalid = (message: string) => new StoreError('validation', message);

export function fromCosmos<T extends Document>(resource: Record<string, unknown>): Stored<T> {
  const copy = { ...resource };
  for (const field of HIDDEN_FIELDS) delete copy[field];
  return copy as Stored<T>;
}

/** Checks a patch before it is sent: 1..10 operations, no id / partition key / system field, numbers to increment, vectors of the declared size. */
export function checkPatch(operations: PatchOperation[], definition: ContainerDefinition): PatchOperation[] {
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > MAX_PATCH_OPERATIONS) {
    throw invalid(`A patch has 1 to ${MAX_PATCH_OPERATIONS} operations`);
  }
  const locked = ['id', definition.partitionKey, ...SYSTEM_FIELDS];
  for (const operation of operations) {
    const path = assertFieldPath(operation.path);
    if (locked.some((field) => path === field || path.startsWith(`${field}.`) || field.startsWith(`${path}.`))) throw invalid(`${path} cannot be patched`);
    if (operation.op === 'increment' && (typeof operation.value !== 'number' || !Number.isFinite(operation.value))) {
      throw invalid('increment takes a finite number');
    }
    if (operation.op === 'set' && definition.vector?.path === path && operation.value !== null) assertVector(operation.value, definition.vector.dimensions);
  }
  return operations;
}

/**
 * JSON Patch `add` at `/-` needs the array to exist, but the port's `append` creates it. Given the
 * current document, an append to an absent field becomes `set [value]`; later operations on the
 * same path see it as present. An append to something that is not an array is refused here.
 */
export function appendsAsSets(operations: PatchOperation[], current: Record<string, unknown>): PatchOperation[] {
  // What earlier operations in this patch left at a path; unknown paths are read from the document.
  const after = new Map<string, 'absent' | 'written'>();
  return operations.map((operation) => {
    const { path } = operation;
    const earlier = after.get(path);
    const initial = readPath(current, path);
    after.set(path, operation.op === 'remove' ? 'absent' : 'written');
    if (operation.op !== 'append') return operation;
    if (earlier === 'absent' || (earlier === undefined && initial === undefined)) return { op: 'set', path, value: [operation.value] };
    if (earlier === undefined && !Array.isArray(initial)) throw invalid(`Cannot append to ${path}: it is not an array`);
    return operation;
  });
}
