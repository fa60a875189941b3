import { z } from 'zod';
import { EXPERT_VECTOR_DIMENSIONS } from './domain/search/containers';

/**
 * Azure OpenAI settings (semantic matching), beside the main schema as the identity ones are.
 * Without an endpoint the app runs without semantic signals (lexical + ontology matching only).
 * Access is by managed identity ("Cognitive Services OpenAI User"); there is no key setting.
 */
export const openAiSettings = {
  AZURE_OPENAI_ENDPOINT: z.url().optional(),
  /** The embeddings deployment (e.g. text-embedding-3-small); required with the endpoint. */
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'must be a deployment name')
    .optional(),
  /** The chat deployment used to re-rank; without it there is no re-rank. */
  AZURE_OPENAI_CHAT_DEPLOYMENT: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'must be a deployment name')
    .optional(),
  AZURE_OPENAI_API_VERSION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must be an API version such as 2024-10-21')
    .default('2024-10-21'),
  /**
   * Sent as `dimensions` (text-embedding-3 models can shorten their vectors). Stored vectors are
   * declared with a fixed size in the expert-vectors container (Cosmos vector policies cannot
   * change after creation), so only that size is accepted.
   */
  AZURE_OPENAI_EMBEDDING_DIMENSIONS: z.coerce
    .number()
    .int()
    .refine((value) => value === EXPERT_VECTOR_DIMENSIONS, `must be ${EXPERT_VECTOR_DIMENSIONS}, the size the expert-vectors container declares`)
    .optional(),
};

type OpenAiSettings = z.output<z.ZodObject<typeof openAiSettings>>;

export interface OpenAiConfig {
  endpoint: string;
  embeddingDeployment: string;
  chatDeployment?: string;
  apiVersion: string;
  embeddingDimensions?: number;
}

export function refineOpenAiSettings(settings: OpenAiSettings, context: z.RefinementCtx): void {
  if (settings.AZURE_OPENAI_ENDPOINT && !settings.AZURE_OPENAI_EMBEDDING_DEPLOYMENT) {
    context.addIssue({ code: 'custom', path: ['AZURE_OPENAI_EMBEDDING_DEPLOYMENT'], message: 'is required with AZURE_OPENAI_ENDPOINT' });
  }
}

export function toOpenAiConfig(settings: OpenAiSettings): OpenAiConfig | undefined {
  if (!settings.AZURE_OPENAI_ENDPOINT || !settings.AZURE_OPENAI_EMBEDDING_DEPLOYMENT) return undefined;
  return {
    endpoint: settings.AZURE_OPENAI_ENDPOINT,
    embeddingDeployment: settings.AZURE_OPENAI_EMBEDDING_DEPLOYMENT,
    apiVersion: settings.AZURE_OPENAI_API_VERSION,
    ...(settings.AZURE_OPENAI_CHAT_DEPLOYMENT ? { chatDeployment: settings.AZURE_OPENAI_CHAT_DEPLOYMENT } : {}),
    ...(settings.AZURE_OPENAI_EMBEDDING_DIMENSIONS ? { embeddingDimensions: settings.AZURE_OPENAI_EMBEDDING_DIMENSIONS } : {}),
  };
}
