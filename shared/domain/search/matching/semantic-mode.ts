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
    // Only the message's first line: an SDK error can carry request details that do not belong in a response.
    return { failed: (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 120) };
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
