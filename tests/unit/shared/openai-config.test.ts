import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config';

describe('Azure OpenAI settings', () => {
  it('are off without an endpoint, so matching runs without semantic signals', () => {
    expect(loadConfig({}).openAi).toBeUndefined();
  });

  it('read the deployments and a GA api version by default', () => {
    const config = loadConfig({
      AZURE_OPENAI_ENDPOINT: 'https://fx-openai.openai.azure.com/',
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'text-embedding-3-small',
      AZURE_OPENAI_CHAT_DEPLOYMENT: 'gpt-4o-mini',
    });
    expect(config.openAi).toEqual({
      endpoint: 'https://fx-openai.openai.azure.com/',
      embeddingDeployment: 'text-embedding-3-small',
      chatDeployment: 'gpt-4o-mini',
      apiVersion: '2024-10-21',
    });
  });

  it('name what is missing or wrong', () => {
    expect(() => loadConfig({ AZURE_OPENAI_ENDPOINT: 'https://fx-openai.openai.azure.com/' })).toThrow(/AZURE_OPENAI_EMBEDDING_DEPLOYMENT: is required with AZURE_OPENAI_ENDPOINT/);
    expect(() => loadConfig({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'e', AZURE_OPENAI_EMBEDDING_DIMENSIONS: '256' })).toThrow(
      /AZURE_OPENAI_EMBEDDING_DIMENSIONS: must be 1536/,
    );
    expect(() => loadConfig({ AZURE_OPENAI_API_VERSION: 'latest' })).toThrow(/AZURE_OPENAI_API_VERSION/);
  });
});
