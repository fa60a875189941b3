import { afterEach, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '../../shared/config';
import type { SemanticSignals } from '../../shared/domain/search/semantic';
import { getExpertVectorSync, getSemanticSignals, resetSemanticSignalsForTests, setSemanticSignalsForTests } from '../../shared/semantic-container';

const SETTINGS = ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT', 'AZURE_OPENAI_CHAT_DEPLOYMENT'] as const;

const configure = (values: Partial<Record<(typeof SETTINGS)[number], string>>) => {
  for (const name of SETTINGS) delete process.env[name];
  Object.assign(process.env, values);
  resetConfigForTests();
};

afterEach(() => {
  configure({});
  resetSemanticSignalsForTests();
});

describe('semantic signals in the composition root', () => {
  it('are absent without Azure OpenAI settings, and the vector job has nothing to do', async () => {
    configure({});
    expect(getSemanticSignals()).toBeUndefined();
    expect(await getExpertVectorSync()).toBeUndefined();
  });

  it('come from Azure OpenAI when configured, with a re-rank only when a chat deployment is set', () => {
    configure({ AZURE_OPENAI_ENDPOINT: 'https://fx.openai.azure.com/', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small' });
    expect(getSemanticSignals()?.similarities).toBeTypeOf('function');
    expect(getSemanticSignals()?.rerank).toBeUndefined();
    configure({ AZURE_OPENAI_ENDPOINT: 'https://fx.openai.azure.com/', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small', AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini' });
    expect(getSemanticSignals()?.rerank).toBeTypeOf('function');
  });

  it('can be replaced by tests, or switched off whatever the settings say', () => {
    configure({ AZURE_OPENAI_ENDPOINT: 'https://fx.openai.azure.com/', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small' });
    const fake: SemanticSignals = { similarities: async () => new Map([['e-1', 0.9]]) };
    setSemanticSignalsForTests(fake);
    expect(getSemanticSignals()).toBe(fake);
    setSemanticSignalsForTests(undefined);
    expect(getSemanticSignals()).toBeUndefined();
    resetSemanticSignalsForTests();
    expect(getSemanticSignals()?.similarities).toBeTypeOf('function');
  });
});
