import { readNeed } from './need-reader';
import type { TextIndex } from './text-index';

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

  constructor(
    private readonly limit: number,
    private readonly after?: RankPosition,
  ) {}

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
 * Text hits for a query: documents with every word first; if none has them all, those with any
 * (scored by the share of the words they have). Each hit's score is raised by the share of the
 * concepts the words name (specializations, by name, synonym or acronym) the document covers:
 * `coverage` turns the concept ids into a count per slot.
 */
export function textHits<F extends string>(text: TextIndex<F>, q: string, coverage: (conceptIds: string[]) => (slot: number) => number): { slot: number; score: number }[] {
  const concepts = readNeed(q).specializations.map((concept) => concept.id);
  const covered = coverage(concepts);
  let matches = text.search(q, 'all');
  let words = 0;
  if (matches.length === 0) {
    matches = text.search(q, 'any');
    words = matches.reduce((most, match) => Math.max(most, match.matched), 1);
  }
  const hits = matches.map(({ slot, score, matched }) => ({
    slot,
    score: score * (words ? matched / words : 1) * (1 + (concepts.length ? covered(slot) / concepts.length : 0)),
  }));
  // Documents sharing only some words are loose matches: the best of them are results, not the
  // tens of thousands a common word reaches (counting facets over those cost most of a query).
  return words ? keepBest(hits, LOOSE_MATCHES) : hits;
}

const LOOSE_MATCHES = 1000;

/** The `limit` items with the highest scores (any of equally scored ones at the edge), in their order. */
export function keepBest<T extends { score: number }>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const scores = new Float64Array(items.length);
  for (let at = 0; at < items.length; at++) scores[at] = items[at]!.score;
  const floor = scores.sort()[items.length - limit]!;
  return items.filter((item) => item.score >= floor).slice(0, limit);
}
