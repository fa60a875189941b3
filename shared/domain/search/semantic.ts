/**
 * The semantic side of matching, when Azure OpenAI is configured: embedding similarity between a
 * need and experts' profiles (vectors stored with the profiles, nearest neighbours from the
 * store), and an optional language-model re-rank that explains itself. Matching works without
 * it; the matcher reports which mode it ran in and, when a configured service failed, why.
 */
export interface SemanticSignals {
  /** Cosine similarity (0..1) of the need to the nearest experts' profile vectors, keyed by expert id. */
  similarities(needText: string, limit: number): Promise<Map<string, number>>;
  /** Re-ranks the best candidates; each gets a 0..1 score and a one-sentence explanation. */
  rerank?(needText: string, candidates: { id: string; summary: string }[]): Promise<{ id: string; score: number; explanation: string }[]>;
}
