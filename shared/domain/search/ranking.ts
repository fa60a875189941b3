import type MiniSearch from 'minisearch';
import { readNeed } from './need-reader';

/** A place in a result order: higher keys first, then ids in order (so ties page stably). */
export interface RankPosition {
  value: number;
  id: string;
}

/** Whether `item` comes after `position` in the result order. */
export function comesAfter(item: RankPosition, position: RankPosition): boolean {
  return item.value < position.value || (item.value === position.value && item.id > position.id);
}

/**
 * The best `limit` results after a cursor, picked in one pass over the matches (not by sorting
 * all of them), plus whether another page follows.
 */
export class TopPage<T> {
  private readonly best: { item: T; rank: RankPosition }[] = [];

  constructor(private readonly limit: number, private readonly after?: RankPosition) {}

  offer(item: T, rank: RankPosition): void {
    if (this.after && !comesAfter(rank, this.after)) return;
    // Keep the best limit + 1 (one more tells whether another page follows).
    const worst = this.best[this.limit];
    if (worst && comesAfter(rank, worst.rank)) return;
    let at = this.best.length;
    while (at > 0 && comesAfter(this.best[at - 1]!.rank, rank)) at -= 1;
    this.best.splice(at, 0, { item, rank });
    if (this.best.length > this.limit + 1) this.best.pop();
  }

  get items(): T[] {
    return this.best.slice(0, this.limit).map(({ item }) => item);
  }

  /** Where the next page starts, when there is one. */
  get next(): RankPosition | undefined {
    return this.best.length > this.limit ? this.best[this.limit - 1]!.rank : undefined;
  }
}

/**
 * Text hits for a query: documents with every word first; if none has them all, any of them
 * (ranked by how many and how well). Each hit's score is raised by the share of the concepts
 * the words name (specializations, by name, synonym or acronym) that the document covers.
 */
export function textHits<T>(index: MiniSearch<T>, q: string, coveredIds: (id: string) => readonly string[] | undefined): { id: string; score: number }[] {
  const concepts = readNeed(q).specializations.map((concept) => concept.id);
  let hits = index.search(q);
  if (hits.length === 0) hits = index.search(q, { combineWith: 'OR' });
  const scored: { id: string; score: number }[] = [];
  for (const hit of hits) {
    const id = hit.id as string;
    const covered = coveredIds(id);
    if (!covered) continue;
    const share = concepts.length ? concepts.filter((id) => covered.includes(id)).length / concepts.length : 0;
    scored.push({ id, score: hit.score * (1 + share) });
  }
  return scored;
}
