import { getBearerTokenProvider } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureOpenAiModels, type AzureOpenAiOptions } from '../../shared/adapters/openai/azure-openai-models';
import { createAzureCredential } from '../../shared/azure-credential';
import { loadConfig } from '../../shared/config';
import { FAKE_TOKEN, FakeAzureOpenAi } from '../helpers/fake-azure-openai';
import { azureOpenAiContract } from './azure-openai.contract';

let fake: FakeAzureOpenAi;
beforeAll(async () => {
  fake = await FakeAzureOpenAi.start(64);
});
afterAll(async () => {
  await fake?.stop();
});

const fakeModels = (options: Partial<AzureOpenAiOptions> = {}) =>
  new AzureOpenAiModels({
    endpoint: fake.endpoint,
    apiVersion: '2024-10-21',
    embeddingDeployment: 'embed-small',
    chatDeployment: 'chat-mini',
    tokenProvider: async () => FAKE_TOKEN,
    timeoutMs: 2_000,
    maxRetries: 1,
    ...options,
  });

azureOpenAiContract(
  'local fake',
  () => fakeModels(),
  () => 64,
);

describe('Azure OpenAI adapter against the fake: what only a fake can provoke', () => {
  it('calls the deployment from settings with the api version and the requested dimensions', async () => {
    fake.requests.length = 0;
    const vectors = await fakeModels({ embeddingDimensions: 32 }).embed(['organic']);
    expect(vectors[0]).toHaveLength(32);
    expect(fake.requests).toEqual([{ path: 'embeddings', deployment: 'embed-small', body: expect.objectContaining({ input: ['organic'], dimensions: 32 }) }]);
  });

  it('retries a 429 after its retry-after and succeeds', async () => {
    fake.requests.length = 0;
    fake.throttleNext = 1;
    const started = Date.now();
    const vectors = await fakeModels().embed(['HACCP']);
    expect(vectors).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('gives up on a hanging service with a clear timeout error', async () => {
    fake.hang = true;
    try {
      // The service never answers: only the client's timeout ends the call.
      await expect(fakeModels({ timeoutMs: 300, maxRetries: 0 }).embed(['HACCP'])).rejects.toMatchObject({ kind: 'unavailable', message: 'Azure OpenAI embeddings timed out after 300 ms' });
    } finally {
      fake.hang = false;
    }
  });

  it('refuses a re-rank answer that is not the promised JSON, so the matcher can fall back', async () => {
    const candidates = [{ id: 'a', summary: 'HACCP' }];
    for (const answer of [
      'Sure! Here is the ranking: a is best',
      JSON.stringify({ ranking: [{ id: 'a', score: 7, explanation: 'x' }] }),
      JSON.stringify({ ranking: [{ id: 'z', score: 0.5, explanation: 'made up' }] }),
    ]) {
      fake.rerankAnswer = answer;
      await expect(fakeModels().rerank!('HACCP', candidates)).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/^Azure OpenAI re-rank answered with/) });
    }
    fake.rerankAnswer = undefined;
  });

  it('names the failure without the token when the service refuses the credential', async () => {
    const error = await fakeModels({ tokenProvider: async () => 'stolen-token' })
      .embed(['x'])
      .then(
        () => new Error('embedded with a refused credential'),
        (caught: Error) => caught,
      );
    expect(error).toMatchObject({ kind: 'unavailable', message: 'Azure OpenAI embeddings failed: HTTP 401' });
    expect(String(error.message)).not.toContain('stolen-token');
  });

  it('offers no re-rank without a chat deployment', () => {
    expect(fakeModels({ chatDeployment: undefined }).rerank).toBeUndefined();
  });
});

const config = process.env.AZURE_OPENAI_ENDPOINT ? loadConfig() : undefined;
const azure = config?.openAi;
if (config && azure) {
  const tokenProvider = getBearerTokenProvider(createAzureCredential(config), 'https://cognitiveservices.azure.com/.default');
  azureOpenAiContract(
    'Azure',
    () => new AzureOpenAiModels({ ...azure, tokenProvider }),
    () => azure.embeddingDimensions ?? 1536,
  );
} else {
  describe.skip('Azure OpenAI models: Azure — skipped: AZURE_OPENAI_ENDPOINT is not set (no Azure here)', () => {
    it('runs the same contract against the real service', () => expect(azure).toBeDefined());
  });
}
