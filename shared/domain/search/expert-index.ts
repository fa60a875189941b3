import MiniSearch from 'minisearch';
import { TopPage, textHits } from './ranking';
import { availableBetween, type SearchableExpert } from './searchable-expert';

export type ExpertSort = 'relevance' | 'rating' | 'rate' | 'rate_desc';

export interface ExpertQuery {
  q?: string;
  specializations?: string[];
  specializationsMode?: 'any' | 'all';
  certifications?: string[];
  industries?: string[];
  jurisdictions?: string[];
  languages?: string[];
  country?: string;
  currency?: string;
  minRate?: number;
  maxRate?: number;
  minRating?: number;
  availableFrom?: string;
  availableTo?: string;
  sort?: ExpertSort;
  limit?: number;
  /** Where the previous page ended: its last sort value and id. */
  after?: { value: number; id: string };
}

export type FacetName = 'specializations' | 'certifications' | 'industries' | 'jurisdictions' | 'languages' | 'country';

export interface ExpertResults {
  items: { expert: IndexedExpert; score: number }[];
  total: number;
  facets: Record<FacetName, { value: string; count: number }[]>;
  next?: { value: number; id: string };
}

const FACET_FIELDS: Record<FacetName, (expert: IndexedExpert) => string[]> = {
  specializations: (expert) => expert.declaredSpecializationIds,
  certifications: (expert) => expert.certificationIds,
  industries: (expert) => expert.industries,
  jurisdictions: (expert) => expert.jurisdictions,
  languages: (expert) => expert.languages,
  country: (expert) => [expert.country],
};

/** What the index keeps per expert once its text is indexed (the long texts live only in the text index). */
export type IndexedExpert = Omit<SearchableExpert, 'bio' | 'expertise'>;

interface Entry {
  expert: IndexedExpert;
  /** Facet values as small integers, per facet, for counting without string hashing. */
  codes: Record<FacetName, Uint32Array>;
}

/**
 * Public experts held in memory for search: BM25 text matching over name, headline, expertise
 * (specialization and certification names, synonyms and acronyms) and bio; filters; exact facet
 * counts over everything that matched; sorts; keyset pages. Kept in step with the store by the
 * change feed (see search-feed.ts). A page is picked in one pass (the best `limit` after the
 * cursor), not by sorting every match, and facets count interned codes.
 */
export class ExpertIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly dictionary = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly text = new MiniSearch<SearchableExpert>({
    fields: ['name', 'headline', 'expertise', 'bio'],
    // Exact words (typos are autocomplete's job), the last one also as a prefix; every word must match.
    searchOptions: { boost: { name: 3, headline: 2, expertise: 2 }, prefix: (term, index, terms) => index === terms.length - 1 && term.length >= 4, combineWith: 'AND' },
  });

  get size(): number {
    return this.entries.size;
  }

  put(expert: SearchableExpert): void {
    if (this.entries.has(expert.id)) this.text.discard(expert.id);
    this.text.add(expert);
    const { bio: _bio, expertise: _expertise, ...kept } = expert;
    const codes = {} as Entry['codes'];
    for (const [name, field] of Object.entries(FACET_FIELDS) as [FacetName, (expert: IndexedExpert) => string[]][]) codes[name] = Uint32Array.from(field(kept), (value) => this.code(value));
    this.entries.set(expert.id, { expert: kept, codes });
  }

  get(id: string): IndexedExpert | undefined {
    return this.entries.get(id)?.expert;
  }

  /** Every indexed expert, in no particular order. */
  *experts(): Generator<IndexedExpert> {
    for (const entry of this.entries.values()) yield entry.expert;
  }

  /**
   * Text relevance (BM25 with the field boosts) of every expert matching any word of the text,
   * keyed by id: the matcher's lexical signal for a long free-text need.
   */
  textScores(text: string): Map<string, number> {
    return new Map(this.text.search(text, { combineWith: 'OR', prefix: false }).map((hit) => [hit.id as string, hit.score]));
  }

  remove(id: string): void {
    if (!this.entries.delete(id)) return;
    this.text.discard(id);
  }

  search(query: ExpertQuery): ExpertResults {
    const limit = query.limit ?? 20;
    const filter = filterFor(query);
    const value = sortValue(query.sort ?? 'relevance');
    const counts = Object.fromEntries(Object.keys(FACET_FIELDS).map((name) => [name, new Map<number, number>()])) as Record<FacetName, Map<number, number>>;
    const page = new TopPage<{ entry: Entry; score: number }>(limit, query.after);
    let total = 0;
    for (const { entry, score } of this.match(query)) {
      if (!filter(entry.expert)) continue;
      total += 1;
      for (const name in counts) for (const code of entry.codes[name as FacetName]) counts[name as FacetName].set(code, (counts[name as FacetName].get(code) ?? 0) + 1);
      page.offer({ entry, score }, { value: value(entry.expert, score), id: entry.expert.id });
    }
    const next = page.next;
    return {
      items: page.items.map(({ entry, score }) => ({ expert: entry.expert, score })),
      total,
      facets: this.facets(counts),
      ...(next ? { next } : {}),
    };
  }

  /** Text matches (scored, boosted when the expert covers the concepts the query names), or everyone. */
  private *match(query: ExpertQuery): Generator<{ entry: Entry; score: number }> {
    if (!query.q?.trim()) {
      for (const entry of this.entries.values()) yield { entry, score: 0 };
      return;
    }
    for (const { id, score } of textHits(this.text, query.q, (id) => this.entries.get(id)?.expert.specializationIds)) {
      yield { entry: this.entries.get(id)!, score };
    }
  }

  private code(value: string): number {
    let code = this.dictionary.get(value);
    if (code === undefined) {
      code = this.values.push(value) - 1;
      this.dictionary.set(value, code);
    }
    return code;
  }

  private facets(counts: Record<FacetName, Map<number, number>>): ExpertResults['facets'] {
    const result = {} as ExpertResults['facets'];
    for (const name of Object.keys(counts) as FacetName[]) {
      result[name] = [...counts[name]]
        .map(([code, count]) => ({ value: this.values[code]!, count }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
        .slice(0, 25);
    }
    return result;
  }
}

/** Higher sorts first; ascending sorts are negated so one comparison serves all. */
function sortValue(sort: ExpertSort): (expert: IndexedExpert, score: number) => number {
  switch (sort) {
    case 'rating':
      return (expert) => expert.rating.bayesian;
    case 'rate':
      return (expert) => -expert.rate.amount;
    case 'rate_desc':
      return (expert) => expert.rate.amount;
    case 'relevance':
      // Without words to match, relevance is the (prior-weighted) rating.
      return (expert, score) => score || expert.rating.bayesian / 100;
  }
}

function filterFor(query: ExpertQuery): (expert: IndexedExpert) => boolean {
  const tests: ((expert: IndexedExpert) => boolean)[] = [];
  const anyOf = (wanted: string[] | undefined, field: (expert: IndexedExpert) => string[]) => {
    if (wanted?.length) tests.push((expert) => wanted.some((value) => field(expert).includes(value)));
  };
  if (query.specializations?.length) {
    const wanted = query.specializations;
    tests.push(query.specializationsMode === 'all' ? (expert) => wanted.every((id) => expert.specializationIds.includes(id)) : (expert) => wanted.some((id) => expert.specializationIds.includes(id)));
  }
  anyOf(query.certifications, (expert) => expert.certificationIds);
  anyOf(query.industries, (expert) => expert.industries);
  anyOf(query.jurisdictions, (expert) => expert.jurisdictions);
  anyOf(query.languages, (expert) => expert.languages);
  if (query.country) tests.push((expert) => expert.country === query.country);
  if (query.currency) tests.push((expert) => expert.rate.currency === query.currency);
  if (query.minRate !== undefined) tests.push((expert) => expert.rate.amount >= query.minRate!);
  if (query.maxRate !== undefined) tests.push((expert) => expert.rate.amount <= query.maxRate!);
  if (query.minRating !== undefined) tests.push((expert) => expert.rating.count > 0 && expert.rating.average >= query.minRating!);
  if (query.availableFrom && query.availableTo) tests.push((expert) => availableBetween(expert, query.availableFrom!, query.availableTo!));
  return (expert) => tests.every((test) => test(expert));
}
