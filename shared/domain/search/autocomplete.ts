import MiniSearch from 'minisearch';
import { certifications, specializations } from '../experts/taxonomy';

export type SuggestionKind = 'specialization' | 'certification' | 'expert' | 'service';

export interface Suggestion {
  kind: SuggestionKind;
  /** The taxonomy id, expert id or service id. */
  id: string;
  label: string;
  score: number;
}

interface Entry {
  /** `kind:ref`, unique across kinds. */
  key: string;
  kind: SuggestionKind;
  ref: string;
  label: string;
  /** Other names that find it (synonyms, acronyms, issuer). */
  aliases: string;
}

/**
 * Suggestions as the user types, across the taxonomy, expert names and service titles: prefix
 * matching, plus tolerance for one slip per word — a missing, extra or wrong letter ("hacp")
 * through MiniSearch's fuzzy match, and two swapped letters ("fmsa") by also searching the
 * word with each adjacent pair swapped.
 */
export class AutocompleteIndex {
  private readonly index = new MiniSearch<Entry>({
    idField: 'key',
    fields: ['label', 'aliases'],
    storeFields: ['kind', 'ref', 'label'],
    searchOptions: { boost: { label: 2 }, prefix: true, fuzzy: (term) => (term.length >= 4 ? 1 : 0), combineWith: 'AND' },
  });

  constructor() {
    for (const entry of specializations) {
      this.put({ kind: 'specialization', ref: entry.id, label: entry.name, aliases: [...entry.synonyms, ...entry.acronyms].join(' ') });
    }
    for (const entry of certifications) {
      this.put({ kind: 'certification', ref: entry.id, label: entry.name, aliases: [...entry.acronyms, entry.issuer].join(' ') });
    }
  }

  /** Adds or replaces an entry (an expert's name, a service's title). */
  put(entry: Omit<Entry, 'key'>): void {
    const key = `${entry.kind}:${entry.ref}`;
    if (this.index.has(key)) this.index.discard(key);
    this.index.add({ ...entry, key });
  }

  remove(kind: SuggestionKind, ref: string): void {
    const key = `${kind}:${ref}`;
    if (this.index.has(key)) this.index.discard(key);
  }

  /** The best suggestions; `visible` leaves out entries the public may not see now (a service of a hidden expert). */
  suggest(query: string, limit = 10, visible: (suggestion: Suggestion) => boolean = () => true): Suggestion[] {
    const best = new Map<string, Suggestion>();
    for (const [variant, weight] of queryVariants(query)) {
      for (const hit of this.index.search(variant)) {
        const score = hit.score * weight;
        const key = hit.id as string;
        if ((best.get(key)?.score ?? 0) < score) best.set(key, { kind: hit.kind as SuggestionKind, id: hit.ref as string, label: hit.label as string, score });
      }
    }
    return [...best.values()].filter(visible).sort((a, b) => b.score - a.score || a.label.localeCompare(b.label)).slice(0, limit);
  }
}

/** The query, then each version with one adjacent pair of letters swapped in a word of four or more (weighted lower). */
function queryVariants(query: string): [string, number][] {
  const words = query.trim().split(/\s+/).filter(Boolean);
  const variants: [string, number][] = [[words.join(' '), 1]];
  words.forEach((word, index) => {
    if (word.length < 4) return;
    for (let at = 0; at < word.length - 1; at++) {
      if (word[at] === word[at + 1]) continue;
      const swapped = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
      variants.push([[...words.slice(0, index), swapped, ...words.slice(index + 1)].join(' '), 0.8]);
    }
  });
  return variants;
}
