import { describe, expect, it } from 'vitest';
import type { AzureOpenAiModels } from '../../shared/adapters/openai/azure-openai-models';

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((value, i) => {
    dot += value * b[i]!;
    na += value * value;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
};

/** What the app needs from Azure OpenAI, checked against the local fake and, when configured, the real service. */
export function azureOpenAiContract(name: string, make: () => AzureOpenAiModels, dimensions: () => number): void {
  describe(`Azure OpenAI models: ${name}`, () => {
    it('embeds a batch of texts in order, each vector of the configured size', async () => {
      const texts = ['HACCP plan for a seafood processing plant', 'HACCP audit of seafood processing', 'Kosher certification for a bakery'];
      const vectors = await make().embed(texts);
      expect(vectors).toHaveLength(3);
      for (const vector of vectors) {
        expect(vector).toHaveLength(dimensions());
        expect(vector.every(Number.isFinite)).toBe(true);
      }
      // Order is kept: the two HACCP texts are closer to each other than to the bakery.
      expect(cosine(vectors[0]!, vectors[1]!)).toBeGreaterThan(cosine(vectors[0]!, vectors[2]!));
    });

    it('re-ranks the candidates it was given, best first, each with a 0..1 score and an explanation', async () => {
      const rerank = make().rerank;
      expect(rerank).toBeDefined();
      const candidates = [
        { id: 'kosher', summary: 'Kosher supervision and certification for bakeries and dairies' },
        { id: 'seafood', summary: 'Seafood HACCP plans, FDA seafood HACCP regulation, processing plant audits' },
        { id: 'labels', summary: 'EU food labelling and allergen declarations' },
      ];
      const ranking = await rerank!('We export frozen shrimp to the US and need our seafood HACCP plan reviewed', candidates);
      expect(ranking[0]!.id).toBe('seafood');
      expect(new Set(ranking.map((entry) => entry.id)).size).toBe(ranking.length);
      for (const entry of ranking) {
        expect(candidates.map((candidate) => candidate.id)).toContain(entry.id);
        expect(entry.score).toBeGreaterThanOrEqual(0);
        expect(entry.score).toBeLessThanOrEqual(1);
        expect(entry.explanation.length).toBeGreaterThan(0);
      }
      expect(ranking.map((entry) => entry.score)).toEqual([...ranking.map((entry) => entry.score)].sort((a, b) => b - a));
    });
  });
}
