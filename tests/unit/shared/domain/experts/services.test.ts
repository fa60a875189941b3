import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { expertServices } from '../../../../../shared/domain/experts/containers';
import { type ExpertService, ExpertServices, type ServiceInput } from '../../../../../shared/domain/experts/services';
import { AppError } from '../../../../../shared/errors';
import { expertService } from '../../../../helpers/expert-profiles';

const now = new Date('2026-11-25T10:00:00Z');
let container: Container<ExpertService>;
let publicExperts: Set<string>;
let shown: { expertId: string; serviceIds: readonly string[] }[];
let services: ExpertServices;

beforeEach(async () => {
  container = await SqliteDocumentStore.open(':memory:').container<ExpertService>(expertServices);
  publicExperts = new Set(['e1']);
  shown = [];
  services = new ExpertServices({
    services: container,
    isProfilePublic: async (expertId) => publicExperts.has(expertId),
    shown: async (expertId, serviceIds) => void shown.push({ expertId, serviceIds }),
    now: () => now,
  });
  await container.create(expertService('s-old', 'e1', { createdAt: '2026-03-01T00:00:00.000Z' }));
  await container.create(expertService('s-draft', 'e1', { published: false, createdAt: '2026-03-02T00:00:00.000Z' }));
  await container.create(expertService('s-new', 'e1', { createdAt: '2026-03-03T00:00:00.000Z' }));
  await container.create(expertService('s-other', 'e2'));
});

const { id: _id, expertId: _expertId, createdAt: _createdAt, updatedAt: _updatedAt, ...input } = expertService('x', 'e1');
const changed: ServiceInput = { ...input, title: 'HACCP plan rewrite' };
/** An If-Match check that records the version it was given, and refuses any other than `accepted`. */
const ifMatch = (accepted: string | undefined, seen: string[]) => (etag: string) => {
  seen.push(etag);
  if (etag !== accepted) throw new AppError('precondition_failed', 'stale');
};

describe("an expert's own services", () => {
  it('are all listed to their expert, newest first, published or not', async () => {
    expect((await services.listOwn('e1', { limit: 10 })).items.map((service) => service.id)).toEqual(['s-new', 's-draft', 's-old']);
  });

  it('are replaced after the If-Match check of the version read, keeping their id, expert and creation time', async () => {
    const current = (await container.read('e1', 's-old'))!;
    const seen: string[] = [];
    const replaced = await services.replace('e1', 's-old', changed, ifMatch(current._etag, seen));
    expect(seen).toEqual([current._etag]);
    expect(replaced).toMatchObject({ id: 's-old', expertId: 'e1', title: 'HACCP plan rewrite', createdAt: current.createdAt, updatedAt: now.toISOString() });
    await expect(services.replace('e1', 's-old', changed, ifMatch(current._etag, []))).rejects.toMatchObject({ kind: 'precondition_failed' });
  });

  it('are deleted after the If-Match check; a stale version deletes nothing', async () => {
    const current = (await container.read('e1', 's-new'))!;
    await expect(services.delete('e1', 's-new', ifMatch('stale', []))).rejects.toMatchObject({ kind: 'precondition_failed' });
    expect(await container.read('e1', 's-new')).not.toBeNull();
    await services.delete('e1', 's-new', ifMatch(current._etag, []));
    expect(await container.read('e1', 's-new')).toBeNull();
  });

  it("are another expert's (403) or missing (404) before any version is checked", async () => {
    const seen: string[] = [];
    await expect(services.replace('e1', 's-other', changed, ifMatch(undefined, seen))).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(services.delete('e1', 'nope', ifMatch(undefined, seen))).rejects.toMatchObject({ kind: 'not_found' });
    expect(seen).toEqual([]);
    expect((await container.read('e2', 's-other'))!.title).toBe('HACCP plan review');
  });
});

describe("what visitors see of an expert's services", () => {
  it('is the published ones of a public expert, newest first, each page counted as shown', async () => {
    const first = await services.listPublished('e1', { limit: 1 });
    expect(first.items.map((service) => service.id)).toEqual(['s-new']);
    const second = await services.listPublished('e1', { limit: 1, continuation: first.continuation! });
    expect(second.items.map((service) => service.id)).toEqual(['s-old']);
    expect(shown).toEqual([
      { expertId: 'e1', serviceIds: ['s-new'] },
      { expertId: 'e1', serviceIds: ['s-old'] },
    ]);
  });

  it('is nothing while the profile is hidden, and nothing is counted', async () => {
    expect(await services.listPublished('e2', { limit: 10 })).toEqual({ items: [], continuation: null });
    expect(shown).toEqual([]);
  });
});
