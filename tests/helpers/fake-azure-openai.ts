import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_TOKEN = 'fake-entra-token';

/**
 * A small stand-in for an Azure OpenAI resource (node:http), for the adapter's contract test:
 * `POST /openai/deployments/{deployment}/embeddings` (bag-of-words vectors, so related texts are
 * close) and `/chat/completions` (a JSON re-rank by shared words). It checks the bearer token and
 * api-version, and can be told to throttle once (429 with retry-after), to hang, or to answer
 * the re-rank with text that is not the promised JSON.
 */
export class FakeAzureOpenAi {
  readonly requests: { path: string; deployment: string; body: any }[] = [];
  throttleNext = 0;
  hang = false;
  rerankAnswer: string | undefined;
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(readonly dimensions: number) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(dimensions = 64): Promise<FakeAzureOpenAi> {
    const fake = new FakeAzureOpenAi(dimensions);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', this.endpoint);
    const route = /^\/openai\/deployments\/([^/]+)\/(embeddings|chat\/completions)$/.exec(url.pathname);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return send(401, { error: { code: 'PermissionDenied', message: 'bad token' } });
    if (!url.searchParams.get('api-version')) return send(400, { error: { code: 'MissingApiVersion', message: 'api-version is required' } });
    if (request.method !== 'POST' || !route) return send(404, { error: { code: 'DeploymentNotFound', message: 'no such deployment' } });
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    this.requests.push({ path: route[2]!, deployment: route[1]!, body });
    if (this.hang) {
      this.hanging.add(response);
      return;
    }
    if (this.throttleNext > 0) {
      this.throttleNext--;
      return send(429, { error: { code: '429', message: 'Rate limit reached' } }, { 'retry-after': '1' });
    }
    if (route[2] === 'embeddings') return send(200, this.embeddings(body));
    return send(200, this.chat(body));
  }

  private embeddings(body: { input: string | string[]; encoding_format?: string; dimensions?: number }) {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const size = body.dimensions ?? this.dimensions;
    const data = inputs.map((text, index) => {
      const vector = bagOfWords(text, size);
      const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    return { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 1, total_tokens: 1 } };
  }

  private chat(body: { messages: { role: string; content: string }[] }) {
    const { need, candidates } = JSON.parse(body.messages.at(-1)!.content) as { need: string; candidates: { id: string; summary: string }[] };
    const needWords = words(need);
    const ranking = candidates.map(({ id, summary }) => {
      const shared = [...words(summary)].filter((word) => needWords.has(word));
      return { id, score: Math.min(1, shared.length / Math.max(needWords.size, 1)), explanation: shared.length ? `Shares ${shared.join(', ')} with the need.` : 'Nothing in common with the need.' };
    });
    const content = this.rerankAnswer ?? JSON.stringify({ ranking: ranking.sort((a, b) => b.score - a.score) });
    return { id: 'chatcmpl-fake', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] };
  }
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []);

/** Each word adds to one hashed dimension; the result is unit length, so cosine = dot product. */
function bagOfWords(text: string, size: number): number[] {
  const vector = new Array<number>(size).fill(0);
  for (const word of words(text)) {
    let hash = 0;
    for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    vector[hash % size]! += 1;
  }
  const length = Math.hypot(...vector) || 1;
  return vector.map((value) => value / length);
}
