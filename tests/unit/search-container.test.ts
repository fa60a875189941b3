import { describe, expect, it, vi } from 'vitest';
import { SqliteDocumentStore } from '../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { expertProfiles } from '../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import { getSearchFeed } from '../../shared/search-container';
import { expertProfile } from '../helpers/expert-profiles';

// The composition root's search indexes when the store is down at the first search: a stand-in
// store that fails once, then works.
const store = SqliteDocumentStore.open(':memory:');
let storeDown = true;

vi.mock('../../shared/experts-container', () => ({
  getExperts: async () => {
    if (storeDown) throw new Error('store unavailable');
    return { profiles: await store.container<ExpertProfile>(expertProfiles) };
  },
}));
vi.mock('../../shared/container', () => ({ getDocumentStore: () => store }));
vi.mock('../../shared/config', () => ({ getConfig: () => ({ searchDeleteCheckMs: 0 }) }));

describe('getSearchFeed (composition root)', () => {
  it('tries again on the next search after the store was down, instead of failing until a restart', async () => {
    await (await store.container<ExpertProfile>(expertProfiles)).create(expertProfile('e1', { verification: { status: 'verified' } }));
    await expect(getSearchFeed()).rejects.toThrow('store unavailable');
    storeDown = false;
    expect((await getSearchFeed()).experts.size).toBe(1);
  });
});
