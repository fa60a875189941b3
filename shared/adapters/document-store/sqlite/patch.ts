import type { PatchOperation } from '../../../data/document-store';
import { assertFieldPath, StoreError } from '../../../data/errors';

/** Cosmos accepts at most 10 operations in one patch. */
const MAX_OPERATIONS = 10;

type JsonObject = Record<string, unknown>;

/**
 * Applies patch operations in order to a document (in place), with Cosmos rules: set, increment and append may
 * create a missing field but not its missing parents; removing a missing field fails; `id`, the partition key and
 * system fields cannot be patched. Every failure is a validation error, as Cosmos answers 400.
 */
export function applyPatch(body: JsonObject, operations: PatchOperation[], partitionKeyPath: string): void {
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > MAX_OPERATIONS) {
    throw invalid(`A patch has 1 to ${MAX_OPERATIONS} operations`);
  }
  for (const operation of operations) {
    const path = assertFieldPath(operation.path);
    if (['id', partitionKeyPath, '_etag', '_ts'].some((locked) => overlaps(path, locked)) || path.split('.').includes('__proto__')) {
      throw invalid(`${path} cannot be patched`);
    }
    const keys = path.split('.');
    const leaf = keys.pop()!;
    const parent = keys.reduce<unknown>((node, key) => (isObject(node) ? own(node, key) : undefined), body);
    if (!isObject(parent)) throw invalid(`Cannot patch ${path}: its parent is not an object`);
    const current = own(parent, leaf);
    switch (operation.op) {
      case 'set':
        parent[leaf] = operation.value;
        break;
      case 'remove':
        if (current === undefined) throw invalid(`Cannot remove ${path}: it does not exist`);
        delete parent[leaf];
        break;
      case 'increment':
        if (typeof operation.value !== 'number' || !Number.isFinite(operation.value)) throw invalid('increment takes a finite number');
        if (current !== undefined && typeof current !== 'number') throw invalid(`Cannot increment ${path}: it is not a number`);
        parent[leaf] = ((current as number | undefined) ?? 0) + operation.value;
        break;
      case 'append':
        if (current === undefined) parent[leaf] = [operation.value];
        else if (Array.isArray(current)) current.push(operation.value);
        else throw invalid(`Cannot append to ${path}: it is not an array`);
        break;
      default:
        throw new Error(`Unknown patch operation ${JSON.stringify(operation)}`);
    }
  }
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function isObject(node: unknown): node is JsonObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** Own properties only: a field named `constructor` must not find Object.prototype's. */
function own(node: JsonObject, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

function invalid(message: string): StoreError {
  return new StoreError('validation', message);
}
