import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { DocumentStore } from '../../../../shared/data/document-store';
import { expertProfiles } from '../../../../shared/domain/experts/containers';
import type { ExpertProfile } from '../../../../shared/domain/experts/records';
import { expertProfile } from '../../../helpers/expert-profiles';
import { testApp } from '../../../helpers/test-app';

const OPENAI = { AZURE_OPENAI_ENDPOINT: 'https://fx.openai.azure.com/', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small' };

/** An embedded store that is down until `up()`. */
function storeDownAtFirst(): { store: DocumentStore; up: () => void } {
  const real = SqliteDocumentStore.open(':memory:');
  let down = true;
  return {
    store: {
      container: async (definition) => {
        if (down) throw new Error('store unavailable');
        return real.container(definition);
      },
      ping: (signal) => real.ping(signal),
      close: () => real.close(),
    },
    up: () => (down = false),
  };
}

describe('the composed app', () => {
  it('builds each module once and hands the same one to every caller', async () => {
    const app = testApp();
    const [first, second] = await Promise.all([app.experts(), app.experts()]);
    expect(first).toBe(second);
    expect((await app.search()).suggestions).toBe((await app.search()).suggestions);
  });

  it('builds a module again on the next call after the store was down, instead of failing until a restart', async () => {
    const { store, up } = storeDownAtFirst();
    const app = testApp({}, { store });
    await expect(app.search()).rejects.toThrow('store unavailable');
    up();
    await (await store.container<ExpertProfile>(expertProfiles)).create(expertProfile('e1', { verification: { status: 'verified' } }));
    expect((await (await app.search()).feed()).experts.size).toBe(1);
  });

  it('matches lexically, without semantic signals or the vector job, when no language model is configured', async () => {
    const search = await testApp().search();
    expect(search.semantic).toBeUndefined();
    expect(search.vectorSync).toBeUndefined();
  });

  it('gives matching semantic signals and runs the vector job when Azure OpenAI is configured', async () => {
    const search = await testApp(OPENAI).search();
    expect(search.semantic?.similarities).toBeTypeOf('function');
    expect(search.vectorSync).toBeDefined();
  });

  it('answers readiness for the store, and for blob storage only when it is configured', () => {
    const names = (app: ReturnType<typeof testApp>) => app.dependencyChecks().map((check) => check.name);
    expect(names(testApp({}, { blobs: null }))).toEqual(['document-store']);
    expect(names(testApp({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' }))).toEqual(['document-store', 'blob-storage']);
  });
});
