import { lowerBound } from './lower-bound';
import { normalize } from './need-reader';

/**
 * A field-weighted BM25 inverted index for one kind of document, built for speed and small
 * memory: documents live in numbered slots, each word's postings are typed arrays of slots and
 * per-field term counts, and a query walks only the postings of its words (rarest first) into a
 * scratch score array. The texts themselves are not kept.
 *
 * A document that is replaced or removed leaves a dead slot behind; dead slots are skipped and,
 * once they are a quarter of all slots, compacted away (postings are rewritten, order kept).
 */
export interface TextMatch {
  slot: number;
  score: number;
  /** How many of the query's words the document has (all of them, in "all" mode). */
  matched: number;
}

export interface TextIndexOptions<F extends string> {
  /** Field weights: a word in a heavier field counts more. */
  fields: Record<F, number>;
}

const K1 = 1.2;
const B = 0.7;
/** A longer word that merely starts with the typed prefix counts half. */
const PREFIX_WEIGHT = 0.5;
const MAX_COUNT = 255;
/**
 * A word in more than this share of documents does not bring documents into an "any" search on
 * its own when a rarer word found some (like a search engine's common-terms cutoff): "food" in
 * "food defense prop" ranks what "defense" and "prop" found rather than adding most of the pool.
 */
const COMMON_SHARE = 0.5;
/** About how many postings a walk passes in the time one binary search takes. */
const SEEK_COST = 16;

/** Words too common in profiles and queries to say anything; dropped from both. */
const STOP_WORDS = new Set('a an and are as at be by for from has have in into is it of on or our the to we with who will your you'.split(' '));

export function words(text: string): string[] {
  return normalize(text)
    .split(' ')
    .filter((word) => word && !STOP_WORDS.has(word));
}

class Postings {
  slots = new Int32Array(4);
  /** Per posting, one count per field (capped at 255). */
  counts: Uint8Array;
  length = 0;

  constructor(private readonly fieldCount: number) {
    this.counts = new Uint8Array(4 * fieldCount);
  }

  add(slot: number, field: number): void {
    // Postings are appended in slot order, so the current document is always the last one.
    if (this.length === 0 || this.slots[this.length - 1] !== slot) {
      if (this.length === this.slots.length) this.grow();
      this.slots[this.length] = slot;
      this.counts.fill(0, this.length * this.fieldCount, (this.length + 1) * this.fieldCount);
      this.length += 1;
    }
    const at = (this.length - 1) * this.fieldCount + field;
    if (this.counts[at]! < MAX_COUNT) this.counts[at]! += 1;
  }

  /** Keeps live postings only, renumbered. */
  compact(newSlot: Int32Array): void {
    let kept = 0;
    for (let at = 0; at < this.length; at++) {
      const slot = newSlot[this.slots[at]!]!;
      if (slot < 0) continue;
      this.slots[kept] = slot;
      this.counts.copyWithin(kept * this.fieldCount, at * this.fieldCount, (at + 1) * this.fieldCount);
      kept += 1;
    }
    this.length = kept;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    slots.set(this.slots);
    this.slots = slots;
    const counts = new Uint8Array(this.counts.length * 2);
    counts.set(this.counts);
    this.counts = counts;
  }
}

export class TextIndex<F extends string> {
  private readonly fieldNames: F[];
  private readonly weights: Float64Array;
  private readonly postings = new Map<string, Postings>();
  /** Words in order, for prefix lookups; rebuilt when a new word arrives. */
  private sortedWords: string[] | undefined;
  private lengths: Uint16Array;
  private readonly totalLengths: Float64Array;
  private alive = new Uint8Array(1024);
  private slotCount = 0;
  private liveCount = 0;
  /** Scratch space for one query at a time (JavaScript runs one at a time, so one suffices). */
  private scores = new Float64Array(1024);
  /** Per slot during a query: how many words matched, and the last word step that counted it. */
  private hits = new Uint8Array(1024);
  private stamps = new Uint8Array(1024);

  constructor(options: TextIndexOptions<F>) {
    this.fieldNames = Object.keys(options.fields) as F[];
    this.weights = Float64Array.from(this.fieldNames, (name) => options.fields[name]);
    this.lengths = new Uint16Array(1024 * this.fieldNames.length);
    this.totalLengths = new Float64Array(this.fieldNames.length);
  }

  get size(): number {
    return this.liveCount;
  }

  /** Indexes a document's fields into a new slot and returns it. */
  add(texts: Record<F, string>): number {
    const slot = this.slotCount++;
    this.ensureCapacity(this.slotCount);
    this.alive[slot] = 1;
    this.liveCount += 1;
    this.fieldNames.forEach((name, field) => {
      const list = words(texts[name]);
      this.lengths[slot * this.fieldNames.length + field] = Math.min(list.length, 65_535);
      this.totalLengths[field]! += list.length;
      for (const word of list) this.postingsFor(word).add(slot, field);
    });
    return slot;
  }

  remove(slot: number): void {
    if (!this.alive[slot]) return;
    this.alive[slot] = 0;
    this.liveCount -= 1;
    for (let field = 0; field < this.fieldNames.length; field++) this.totalLengths[field]! -= this.lengths[slot * this.fieldNames.length + field]!;
  }

  /** Whether a compaction is due; the owner then calls `compact` and renumbers its own slots. */
  get wasteful(): boolean {
    return this.slotCount > 1024 && this.slotCount - this.liveCount > this.slotCount / 4;
  }

  /** Drops dead slots; returns old slot → new slot (-1 for dead ones). */
  compact(): Int32Array {
    const newSlot = new Int32Array(this.slotCount).fill(-1);
    const fieldCount = this.fieldNames.length;
    let next = 0;
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (!this.alive[slot]) continue;
      newSlot[slot] = next;
      this.lengths.copyWithin(next * fieldCount, slot * fieldCount, (slot + 1) * fieldCount);
      this.alive[next] = 1;
      next += 1;
    }
    this.alive.fill(0, next);
    for (const [word, list] of this.postings) {
      list.compact(newSlot);
      if (list.length === 0) this.postings.delete(word);
    }
    this.sortedWords = undefined;
    this.slotCount = next;
    return newSlot;
  }

  /**
   * Documents matching the query's words, scored by BM25 with the field weights. The last word
   * also matches as a prefix when it has four letters or more (the user may still be typing).
   * "all": every word must match; "any": at least one, each scoring what it matched (a word in
   * most documents only scores what rarer words found, see COMMON_SHARE).
   */
  search(query: string, mode: 'all' | 'any', options: { prefix?: boolean } = {}): TextMatch[] {
    const terms = [...new Set(words(query))];
    if (terms.length === 0) return [];
    const expansions = terms.map((term, index) => this.expand(term, (options.prefix ?? true) && index === terms.length - 1));
    // Rarest first: in "all" mode the first word bounds the candidates.
    const order = expansions.map((_, index) => index).sort((a, b) => postingCount(expansions[a]!) - postingCount(expansions[b]!));
    if (mode === 'all' && postingCount(expansions[order[0]!]!) === 0) return [];
    const { scores, hits, stamps } = this;
    const touched: number[] = [];
    order.forEach((termIndex, step) => {
      // In "any", a word most documents have only adds to the scores of documents a rarer word found.
      const onlyScores = mode === 'any' && touched.length > 0 && postingCount(expansions[termIndex]!) > this.liveCount * COMMON_SHARE;
      for (const { list, weight } of expansions[termIndex]!) {
        const idf = Math.log(1 + (this.liveCount - list.length + 0.5) / (list.length + 0.5));
        const visit = (at: number) => {
          const slot = list.slots[at]!;
          if (!this.alive[slot]) return;
          // A word counts once per document even when several of its expansions hit it.
          if (stamps[slot] !== step + 1) {
            if (mode === 'all' ? hits[slot] !== step : onlyScores && hits[slot] === 0) return;
            if (hits[slot] === 0) touched.push(slot);
            hits[slot]! += 1;
            stamps[slot] = step + 1;
          }
          scores[slot]! += weight * idf * this.fieldScore(list, at, slot);
        };
        // Once a rare word has narrowed "all" to a few candidates, a common word's long postings are
        // searched for each candidate (postings are in slot order) rather than walked end to end.
        if ((mode === 'all' || onlyScores) && step > 0 && touched.length * SEEK_COST < list.length) {
          for (const slot of touched) {
            if (mode === 'all' && hits[slot] !== step && stamps[slot] !== step + 1) continue;
            const at = lowerBound(list.length, (index) => list.slots[index]! < slot);
            if (list.slots[at] === slot) visit(at);
          }
        } else {
          for (let at = 0; at < list.length; at++) visit(at);
        }
      }
    });
    const matches: TextMatch[] = [];
    for (const slot of touched) {
      const matched = hits[slot]!;
      if (mode === 'any' || matched === terms.length) matches.push({ slot, score: scores[slot]!, matched });
      scores[slot] = 0;
      hits[slot] = 0;
      stamps[slot] = 0;
    }
    return matches;
  }

  private fieldScore(list: Postings, at: number, slot: number): number {
    const fieldCount = this.fieldNames.length;
    let score = 0;
    for (let field = 0; field < fieldCount; field++) {
      const count = list.counts[at * fieldCount + field]!;
      if (count === 0) continue;
      const average = this.totalLengths[field]! / this.liveCount || 1;
      const length = this.lengths[slot * fieldCount + field]!;
      score += (this.weights[field]! * (count * (K1 + 1))) / (count + K1 * (1 - B + (B * length) / average));
    }
    return score;
  }

  /** The word's own postings, and for a prefix the postings of every longer word it starts. */
  private expand(term: string, prefix: boolean): { list: Postings; weight: number }[] {
    const exact = this.postings.get(term);
    const found = exact ? [{ list: exact, weight: 1 }] : [];
    if (!prefix || term.length < 4) return found;
    const sorted = (this.sortedWords ??= [...this.postings.keys()].sort());
    for (let at = lowerBound(sorted.length, (index) => sorted[index]! < term); at < sorted.length && sorted[at]!.startsWith(term); at++) {
      if (sorted[at] !== term) found.push({ list: this.postings.get(sorted[at]!)!, weight: PREFIX_WEIGHT });
    }
    return found;
  }

  private postingsFor(word: string): Postings {
    let list = this.postings.get(word);
    if (!list) {
      list = new Postings(this.fieldNames.length);
      this.postings.set(word, list);
      this.sortedWords = undefined;
    }
    return list;
  }

  private ensureCapacity(slots: number): void {
    if (slots <= this.alive.length) return;
    const size = Math.max(slots, this.alive.length * 2);
    const grow = <T extends Uint8Array | Uint16Array | Float64Array>(array: T, length: number): T => {
      const bigger = new (array.constructor as new (length: number) => T)(length);
      bigger.set(array);
      return bigger;
    };
    this.alive = grow(this.alive, size);
    this.scores = grow(this.scores, size);
    this.hits = grow(this.hits, size);
    this.stamps = grow(this.stamps, size);
    this.lengths = grow(this.lengths, size * this.fieldNames.length);
  }
}

function postingCount(expansions: { list: Postings }[]): number {
  return expansions.reduce((sum, { list }) => sum + list.length, 0);
}
