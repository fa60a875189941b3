import { createHash } from 'node:crypto';
import type { Container, Document } from '../../data/document-store';
import type { ExpertProfile } from '../experts/records';
import { isPublic } from '../experts/profile-service';
import { toSearchable, type SearchableExpert } from './searchable-expert';

/**
 * Profile vectors for semantic matching: each public profile's searchable text embedded once, kept
 * beside the profile (same id) and re-embedded only when that text or the embedding model changes.
 */

export interface ExpertVector extends Document {
  vector: number[];
  /** SHA-256 of the embedded text: an unchanged profile text is not embedded again. */
  textHash: string;
  model: string;
  updatedAt: string;
}

export interface FeedPosition extends Document {
  continuation: string;
  updatedAt: string;
}

/** Turns texts into vectors, in the order given (Azure OpenAI embeddings in production). */
export interface Embedder {
  /** Names the deployment and vector size: vectors from another model are embedded again. */
  readonly model: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** What a profile is about, as the embedding sees it: who, what they say, and their expertise by name. */
export function embeddingText(expert: SearchableExpert): string {
  return [expert.name, expert.headline, expert.bio, expert.expertise].filter(Boolean).join('\n');
}

export interface VectorSyncResult {
  embedded: number;
  unchanged: number;
  removed: number;
}

const FEED_PAGE = 200;

/**
 * Follows the profiles' change feed from the position it saved last time (one position per model,
 * so a new model starts from the beginning and re-embeds everything), embeds new or changed public
 * profiles in batches and deletes the vectors of profiles that are no longer public. The position
 * is saved only after a page's writes succeed, so a failed run is retried from where it started.
 */
export class ExpertVectorSync {
  constructor(
    private readonly deps: {
      profiles: Container<ExpertProfile>;
      vectors: Container<ExpertVector>;
      positions: Container<FeedPosition>;
      embedder: Embedder;
      now: () => Date;
      batchSize?: number;
    },
  ) {}

  async run(): Promise<VectorSyncResult> {
    const { profiles, positions, embedder, now } = this.deps;
    // Store ids cannot hold / \ ? #.
    const consumer = `expert-vectors:${embedder.model.replace(/[/\\?#]/g, '_')}`;
    const result: VectorSyncResult = { embedded: 0, unchanged: 0, removed: 0 };
    let continuation = (await positions.read(consumer, consumer))?.continuation;
    for (;;) {
      const page = await profiles.changesSince(continuation, { limit: FEED_PAGE });
      await this.apply(page.items, result);
      continuation = page.continuation;
      await positions.upsert({ id: consumer, continuation, updatedAt: now().toISOString() });
      if (page.items.length < FEED_PAGE) return result;
    }
  }

  private async apply(changed: ExpertProfile[], result: VectorSyncResult): Promise<void> {
    const { vectors, embedder, now } = this.deps;
    const today = now().toISOString().slice(0, 10);
    const pending: { id: string; text: string; textHash: string }[] = [];
    for (const profile of changed) {
      const stored = await vectors.read(profile.id, profile.id);
      if (!isPublic(profile)) {
        if (stored) {
          await vectors.delete(profile.id, profile.id);
          result.removed++;
        }
        continue;
      }
      const text = embeddingText(toSearchable(profile, today));
      const textHash = createHash('sha256').update(text).digest('hex');
      if (stored?.textHash === textHash && stored.model === embedder.model) result.unchanged++;
      else pending.push({ id: profile.id, text, textHash });
    }
    const batchSize = this.deps.batchSize ?? 16;
    for (let start = 0; start < pending.length; start += batchSize) {
      const batch = pending.slice(start, start + batchSize);
      const embeddings = await embedder.embed(batch.map((entry) => entry.text));
      for (const [i, { id, textHash }] of batch.entries()) {
        await vectors.upsert({ id, vector: embeddings[i]!, textHash, model: embedder.model, updatedAt: now().toISOString() });
        result.embedded++;
      }
    }
  }
}
