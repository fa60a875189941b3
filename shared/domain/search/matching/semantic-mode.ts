import type { SemanticSignals } from '../semantic';

export type MatchMode = 'lexical' | 'hybrid' | 'hybrid+rerank';

/** How long the matcher waits for a semantic call before answering without it. */
export const SEMANTIC_TIMEOUT_MS = 2_500;

/** The call's result, or a short reason it failed or took longer than `ms`. */
export async function within<T>(call: () => Promise<T>, ms: number): Promise<{ value: T } | { failed: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ failed: string }>((resolve) => (timer = setTimeout(() => resolve({ failed: `no answer within ${ms} ms` }), ms)));
  try {
    return await Promise.race([call().then((value) => ({ value })), timeout]);
  } catch (error) {
    return { failed: shortReason(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Embedding similarities, or why there are none. */
export async function similaritiesFor(signals: SemanticSignals | undefined, text: string, limit: number, ms: number): Promise<{ similarities?: Map<string, number>; fallback?: string }> {
  if (!signals) return {};
  const outcome = await within(() => signals.similarities(text, limit), ms);
  return 'value' in outcome ? { similarities: outcome.value } : { fallback: `semantic signals failed: ${outcome.failed}` };
}

/**
 * What a failure is, without its message: an SDK's message can quote the request, the endpoint
 * or part of a key, none of which belongs in a response. The HTTP status, else the error's code
 * (ECONNREFUSED, ETIMEDOUT), else its class name.
 */
function shortReason(error: unknown): string {
  const details = (error ?? {}) as { status?: unknown; code?: unknown; name?: unknown };
  if (typeof details.status === 'number') return `HTTP ${details.status}`;
  if (typeof details.code === 'string' && /^[A-Z_]{3,40}$/.test(details.code)) return details.code;
  return typeof details.name === 'string' && details.name ? details.name : 'error';
}
