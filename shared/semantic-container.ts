import type { SemanticSignals } from './domain/search/semantic';

let injected: SemanticSignals | undefined;

/**
 * The semantic signals for matching when Azure OpenAI is configured; undefined otherwise (the
 * matcher then runs lexical only). The Azure OpenAI adapter replaces this body; tests inject a
 * fake with `setSemanticSignals`.
 */
export function getSemanticSignals(): SemanticSignals | undefined {
  return injected;
}

/** For tests: use these signals (undefined to go back to none). */
export function setSemanticSignals(signals: SemanticSignals | undefined): void {
  injected = signals;
}
