import { expertContainers } from '../domain/experts/containers';
import type { ContainerDefinition } from './document-store';

/**
 * Every container the app uses, declared once: the adapters create them idempotently at first
 * use, and `infra/cosmos-containers.json` (the Bicep parameter) must list the same ones
 * (tests/unit/containers.test.ts keeps the two in step; shared/adapters/cosmos/bicep-containers.ts
 * derives the Bicep entries, policies included). Each entry says why its partition key fits the
 * access pattern; docs/data-model.md describes them for readers.
 */

/** Idempotency-Key records: looked up by one key at a time, so the key is the partition (even spread). */
export const idempotencyKeys: ContainerDefinition = {
  name: 'idempotency-keys',
  partitionKey: 'id',
  // Keys are honoured for 24 hours, then expire by TTL.
  defaultTtlSeconds: 24 * 60 * 60,
};

export const allContainers: readonly ContainerDefinition[] = [idempotencyKeys, ...expertContainers];
