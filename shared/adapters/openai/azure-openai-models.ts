import { z } from 'zod';
import type { Embedder } from '../../domain/search/expert-vectors';
import type { Rerank } from '../../domain/search/embedding-signals';
import { AppError } from '../../errors';

/** The SDK loads with the first call, not with the app. */
const loadOpenAi = () => import('openai');
type OpenAiSdk = Awaited<ReturnType<typeof loadOpenAi>>;
type Client = InstanceType<OpenAiSdk['AzureOpenAI']>;

export interface AzureOpenAiOptions {
  endpoint: string;
  apiVersion: string;
  embeddingDeployment: string;
  /** Without it, `rerank` is not offered. */
  chatDeployment?: string;
  embeddingDimensions?: number;
  /** A Microsoft Entra token for https://cognitiveservices.azure.com/.default, asked for on every request. */
  tokenProvider: () => Promise<string>;
  /**
   * Per attempt (default 10 s, 2 retries): the SDK retries 408/409/429/5xx and connection errors,
   * honouring retry-after. Matching waits on this, so a slow service fails fast and is fallen back from.
   */
  timeoutMs?: number;
  maxRetries?: number;
}

const rerankOutput = z.object({
  ranking: z.array(z.object({ id: z.string(), score: z.number().min(0).max(1), explanation: z.string().trim().min(1).max(400) })),
});

const RERANK_INSTRUCTIONS = [
  'You help a food company choose food-industry experts (food safety, regulation, certification, audits).',
  "Given the buyer's need and candidate experts, score how well each candidate fits the need from 0 (not at all) to 1 (exactly),",
  'and explain each score in one short sentence that names the deciding expertise.',
  'Reply with JSON only: {"ranking":[{"id":"<candidate id>","score":<0..1>,"explanation":"<one sentence>"}]}, one entry per candidate, best first.',
].join(' ');

/**
 * Azure OpenAI through the `openai` SDK's AzureOpenAI client: embeddings (the profile vectors and
 * the need) and a chat re-rank whose JSON answer is checked before anyone relies on it. Every
 * failure — timeout, throttling beyond the retries, an answer that is not the promised JSON — is an
 * `unavailable` AppError naming the operation, so the matcher can fall back to lexical scoring.
 */
export class AzureOpenAiModels implements Embedder {
  readonly model: string;
  readonly rerank?: Rerank;
  private sdk: Promise<{ openai: OpenAiSdk; client: Client }> | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: AzureOpenAiOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.model = `${options.embeddingDeployment}:${options.embeddingDimensions ?? 'native'}`;
    const chat = options.chatDeployment;
    if (chat) this.rerank = (needText, candidates) => this.rerankWith(chat, needText, candidates);
  }

  async embed(texts: string[]): Promise<number[][]> {
    const { embeddingDeployment, embeddingDimensions } = this.options;
    const response = await this.call('embeddings', (client) =>
      client.embeddings.create({ model: embeddingDeployment, input: texts, ...(embeddingDimensions ? { dimensions: embeddingDimensions } : {}) }),
    );
    const ordered = [...response.data].sort((a, b) => a.index - b.index);
    if (ordered.length !== texts.length) throw new AppError('unavailable', `Azure OpenAI embeddings returned ${ordered.length} vectors for ${texts.length} texts`);
    return ordered.map((item) => Array.from(item.embedding));
  }

  private async rerankWith(deployment: string, needText: string, candidates: { id: string; summary: string }[]) {
    if (candidates.length === 0) return [];
    const completion = await this.call('re-rank', (client) =>
      client.chat.completions.create({
        model: deployment,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: RERANK_INSTRUCTIONS },
          { role: 'user', content: JSON.stringify({ need: needText, candidates }) },
        ],
      }),
    );
    const content = completion.choices[0]?.message.content ?? '';
    const known = new Set(candidates.map((candidate) => candidate.id));
    let parsed: z.infer<typeof rerankOutput>;
    try {
      parsed = rerankOutput.parse(JSON.parse(content));
    } catch (error) {
      throw new AppError('unavailable', `Azure OpenAI re-rank answered with something other than the expected JSON (${error instanceof SyntaxError ? 'not JSON' : 'wrong shape'})`, { cause: error });
    }
    const unknown = parsed.ranking.find((entry) => !known.has(entry.id));
    if (unknown) throw new AppError('unavailable', 'Azure OpenAI re-rank answered with a candidate id it was not given');
    const seen = new Set<string>();
    return parsed.ranking.filter((entry) => !seen.has(entry.id) && seen.add(entry.id)).sort((a, b) => b.score - a.score);
  }

  private openAi(): Promise<{ openai: OpenAiSdk; client: Client }> {
    this.sdk ??= loadOpenAi().then((openai) => ({
      openai,
      client: new openai.AzureOpenAI({
        endpoint: this.options.endpoint,
        apiVersion: this.options.apiVersion,
        azureADTokenProvider: this.options.tokenProvider,
        timeout: this.timeoutMs,
        maxRetries: this.options.maxRetries ?? 2,
      }),
    }));
    return this.sdk;
  }

  /** One SDK call, its failures turned into a clear `unavailable` error (no request content in the message). */
  private async call<T>(operation: string, send: (client: Client) => Promise<T>): Promise<T> {
    const { openai, client } = await this.openAi();
    try {
      return await send(client);
    } catch (error) {
      if (error instanceof openai.APIConnectionTimeoutError) {
        throw new AppError('unavailable', `Azure OpenAI ${operation} timed out after ${this.timeoutMs} ms`, { cause: error });
      }
      if (error instanceof openai.APIError) {
        throw new AppError('unavailable', `Azure OpenAI ${operation} failed: ${error.status ? `HTTP ${error.status}` : 'no connection'}`, { cause: error });
      }
      throw error;
    }
  }
}
