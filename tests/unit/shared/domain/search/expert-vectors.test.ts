import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container } from '../../../../../shared/data/document-store';
import { expertProfiles } from '../../../../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../../../../shared/domain/experts/records';
import { changeFeedPositions, EXPERT_VECTOR_DIMENSIONS, expertVectors } from '../../../../../shared/domain/search/containers';
import { EmbeddingSignals } from '../../../../../shared/domain/search/embedding-signals';
import { type Embedder, type ExpertVector, ExpertVectorSync, type FeedPosition } from '../../../../../shared/domain/search/expert-vectors';
import { expertProfile } from '../../../../helpers/expert-profiles';

/** Embeds by topic word, so similar profiles get similar vectors; remembers every call. */
class TopicEmbedder implements Embedder {
  readonly calls: string[][] = [];
  constructor(readonly model = 'fake-embedding/1536') {}
  async embed(texts: string[]): Promise<number[][]> {
    this.calls.push(texts);
    return texts.map((text) => {
      const vector = new Array<number>(EXPERT_VECTOR_DIMENSIONS).fill(0.01);
      ['haccp', 'organic', 'kosher', 'labelling'].forEach((topic, i) => {
        if (text.toLowerCase().includes(topic)) vector[i] = 1;
      });
      return vector;
    });
  }
}

const verified = (id: string, headline: string, overrides: Partial<ExpertProfile> = {}) =>
  expertProfile(id, { headline, verification: { status: 'verified', verifiedAt: '2026-01-05T09:00:00.000Z' }, ...overrides } as Partial<ExpertProfile>);

let store: SqliteDocumentStore;
let profiles: Container<ExpertProfile>;
let vectors: Container<ExpertVector>;
let positions: Container<FeedPosition>;

const sync = (embedder: Embedder, batchSize = 16) => new ExpertVectorSync({ profiles, vectors, positions, embedder, now: () => new Date('2026-12-07T04:00:00Z'), batchSize });

beforeEach(async () => {
  store = SqliteDocumentStore.open(':memory:');
  profiles = await store.container<ExpertProfile>(expertProfiles);
  vectors = await store.container<ExpertVector>(expertVectors);
  positions = await store.container<FeedPosition>(changeFeedPositions);
});

describe('expert vector sync', () => {
  it('embeds public profiles in batches, and skips profiles that are not public', async () => {
    for (let i = 0; i < 5; i++) await profiles.create(verified(`e-${i}`, `HACCP lead auditor ${i}`));
    await profiles.create(expertProfile('draft', { headline: 'Unverified organic consultant' }));
    const embedder = new TopicEmbedder();
    expect(await sync(embedder, 2).run()).toEqual({ embedded: 5, unchanged: 0, removed: 0 });
    expect(embedder.calls.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(await vectors.read('draft', 'draft')).toBeNull();
    const stored = await vectors.read('e-3', 'e-3');
    expect(stored).toMatchObject({ model: 'fake-embedding/1536', textHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(stored!.vector).toHaveLength(EXPERT_VECTOR_DIMENSIONS);
  });

  it('resumes from its saved position and does not embed an unchanged text again', async () => {
    await profiles.create(verified('e-1', 'HACCP lead auditor'));
    const embedder = new TopicEmbedder();
    await sync(embedder).run();
    // Nothing changed: the feed is empty from the saved position.
    expect(await sync(embedder).run()).toEqual({ embedded: 0, unchanged: 0, removed: 0 });
    // A change that does not touch the embedded text (the rate) is read but not embedded.
    const current = (await profiles.read('e-1', 'e-1'))!;
    await profiles.replace({ ...current, hourlyRate: { amount: 140, currency: 'USD' } });
    expect(await sync(embedder).run()).toEqual({ embedded: 0, unchanged: 1, removed: 0 });
    // A new headline is.
    await profiles.replace({ ...(await profiles.read('e-1', 'e-1'))!, headline: 'Kosher supervision for bakeries' });
    expect(await sync(embedder).run()).toEqual({ embedded: 1, unchanged: 0, removed: 0 });
    expect(embedder.calls.flat()).toHaveLength(2);
    expect(embedder.calls[1]![0]).toContain('Kosher supervision for bakeries');
  });

  it('embeds everything again for a new model', async () => {
    await profiles.create(verified('e-1', 'HACCP lead auditor'));
    await sync(new TopicEmbedder('small/1536')).run();
    expect(await sync(new TopicEmbedder('large/1536')).run()).toEqual({ embedded: 1, unchanged: 0, removed: 0 });
    expect((await vectors.read('e-1', 'e-1'))!.model).toBe('large/1536');
  });

  it('deletes the vector of a profile that is unpublished', async () => {
    await profiles.create(verified('e-1', 'HACCP lead auditor'));
    await profiles.create(verified('e-2', 'Organic certification'));
    await sync(new TopicEmbedder()).run();
    await profiles.replace({ ...(await profiles.read('e-1', 'e-1'))!, published: false });
    expect(await sync(new TopicEmbedder()).run()).toEqual({ embedded: 0, unchanged: 0, removed: 1 });
    expect(await vectors.read('e-1', 'e-1')).toBeNull();
    expect(await vectors.read('e-2', 'e-2')).not.toBeNull();
  });

  it('keeps its position when embedding fails, so the next run retries the same profiles', async () => {
    await profiles.create(verified('e-1', 'HACCP lead auditor'));
    const failing: Embedder = { model: 'fake-embedding/1536', embed: async () => Promise.reject(new Error('throttled')) };
    await expect(sync(failing).run()).rejects.toThrow('throttled');
    expect(await sync(new TopicEmbedder()).run()).toEqual({ embedded: 1, unchanged: 0, removed: 0 });
  });
});

describe('embedding signals', () => {
  it('gives the nearest profiles of a need with a 0..1 similarity, closest first', async () => {
    await profiles.create(verified('haccp', 'HACCP lead auditor'));
    await profiles.create(verified('organic', 'Organic certification'));
    await profiles.create(verified('kosher', 'Kosher supervision'));
    const embedder = new TopicEmbedder();
    await sync(embedder).run();
    const signals = new EmbeddingSignals(async () => vectors, embedder);
    const similarities = await signals.similarities('We need a HACCP plan for our plant', 2);
    expect([...similarities.keys()]).toEqual(['haccp', expect.any(String)]);
    expect(similarities.get('haccp')).toBeGreaterThan(0.9);
    for (const value of similarities.values()) expect(value).toBeGreaterThanOrEqual(0);
    expect(signals.rerank).toBeUndefined();
  });
});
