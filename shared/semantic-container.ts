import { getBearerTokenProvider } from '@azure/identity';
import { AzureOpenAiModels } from './adapters/openai/azure-openai-models';
import { getAzureCredential } from './azure-credential';
import { type Config, getConfig } from './config';
import { getDocumentStore } from './container';
import { changeFeedPositions, expertVectors } from './domain/search/containers';
import { EmbeddingSignals } from './domain/search/embedding-signals';
import { ExpertVectorSync, type ExpertVector, type FeedPosition } from './domain/search/expert-vectors';
import type { ExpertProfile } from './domain/experts/records';
import { expertProfiles } from './domain/experts/containers';
import type { SemanticSignals } from './domain/search/semantic';

/** The semantic part of the composition root: Azure OpenAI when configured, else nothing. */

let models: { config: Config; value: AzureOpenAiModels | undefined } | undefined;
let override: { value: SemanticSignals | undefined } | undefined;

/** The Azure OpenAI client for the current settings, built once (managed identity, no keys). */
function azureOpenAi(): AzureOpenAiModels | undefined {
  const config = getConfig();
  if (models?.config !== config) {
    const settings = config.openAi;
    models = {
      config,
      value: settings && new AzureOpenAiModels({ ...settings, tokenProvider: getBearerTokenProvider(getAzureCredential(), 'https://cognitiveservices.azure.com/.default') }),
    };
  }
  return models.value;
}

/** Embedding similarity and re-rank for the matcher; undefined when Azure OpenAI is not configured. */
export function getSemanticSignals(): SemanticSignals | undefined {
  if (override) return override.value;
  const openAi = azureOpenAi();
  return openAi && new EmbeddingSignals(() => getDocumentStore().container<ExpertVector>(expertVectors), openAi, openAi.rerank);
}

/** Tests give the matcher their own signals, or none (undefined), whatever the settings say. */
export function setSemanticSignalsForTests(signals: SemanticSignals | undefined): void {
  override = { value: signals };
}

/** Back to the signals the settings give. */
export function resetSemanticSignalsForTests(): void {
  override = undefined;
}

/** The job that keeps profile vectors in step with profiles; undefined when Azure OpenAI is not configured. */
export async function getExpertVectorSync(): Promise<ExpertVectorSync | undefined> {
  const openAi = azureOpenAi();
  if (!openAi) return undefined;
  const store = getDocumentStore();
  return new ExpertVectorSync({
    profiles: await store.container<ExpertProfile>(expertProfiles),
    vectors: await store.container<ExpertVector>(expertVectors),
    positions: await store.container<FeedPosition>(changeFeedPositions),
    embedder: openAi,
    now: () => new Date(),
  });
}
