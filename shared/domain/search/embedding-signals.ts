import type { Container } from '../../data/document-store';
import type { Embedder, ExpertVector } from './expert-vectors';
import type { SemanticSignals } from './semantic';

export type Rerank = NonNullable<SemanticSignals['rerank']>;

/**
 * Semantic signals from stored profile vectors: the need is embedded with the same model and its
 * nearest profile vectors come from the store's vector search. Re-rank is offered only when a
 * language model is configured.
 */
export class EmbeddingSignals implements SemanticSignals {
  readonly rerank?: Rerank;

  constructor(
    private readonly vectors: () => Promise<Container<ExpertVector>>,
    private readonly embedder: Embedder,
    rerank?: Rerank,
  ) {
    if (rerank) this.rerank = rerank;
  }

  async similarities(needText: string, limit: number): Promise<Map<string, number>> {
    const [vector] = await this.embedder.embed([needText]);
    // The store's vector search returns at most 100 neighbours.
    const hits = await (await this.vectors()).search({ vector: vector!, limit: Math.min(Math.max(Math.trunc(limit), 1), 100) });
    // Cosine similarity can be negative for opposed vectors; the port speaks 0..1.
    return new Map(hits.map((hit) => [hit.document.id, Math.min(Math.max(hit.score, 0), 1)]));
  }
}
