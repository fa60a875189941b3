import { keepBest, textHits } from './ranking';
import { RecentResults } from './recent-results';
import { availableBetween, type SearchableExpert } from './searchable-expert';
import { SlotColumns } from './slot-columns';
import { forEachSlot, hasSlot, intersect, SlotSets } from './slot-sets';
import { TextIndex } from './text-index';

export type ExpertSort = 'relevance' | 'rating' | 'rate' | 'rate_desc' | 'responsiveness';

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
export type IndexedExpert = Omit<SearchableExpert, 'bio' | 'expertise' | 'services'>;

/**
 * Facet values (and the filter-only ones: specializations with their ancestors, and currency),
 * each interned as one small code, so filters combine bit sets and facets count integers.
 */
const CODED_FIELDS = {
  ...FACET_FIELDS,
  specializationTree: (expert: IndexedExpert) => expert.specializationIds,
  currency: (expert: IndexedExpert) => [expert.rate.currency],
};
type CodedField = keyof typeof CODED_FIELDS;

/** The numbers sorts and range filters read, kept per slot in columns. */
const NUMBERS = ['bayesian', 'rate', 'responseHours', 'ratingAverage', 'ratingCount'] as const;
type NumberName = (typeof NUMBERS)[number];

interface Entry {
  expert: IndexedExpert;
  slot: number;
  codes: Uint32Array;
}

/**
 * Public experts held in memory for search: BM25 text matching over name, headline, expertise
 * (specialization and certification names, synonyms and acronyms), bio and the expert's published
 * services (titles and descriptions); filters; exact facet
 * counts over everything that matched; sorts; keyset pages. Kept in step with the store by the
 * change feed (see search-feed.ts). List filters are bit-set operations, a page is picked in one
 * pass (the best `limit` after the cursor) rather than by sorting every match, and facets count
 * interned codes.
 */
export class ExpertIndex {
  private readonly text = new TextIndex({ fields: { name: 3, headline: 2, expertise: 2, bio: 1, services: 1 } });
  private readonly byId = new Map<string, Entry>();
  /** Text-index slot → entry (undefined once removed). */
  private bySlot: (Entry | undefined)[] = [];
  private readonly sets = new SlotSets();
  private readonly columns = new SlotColumns(NUMBERS);
  private readonly dictionary = new Map<string, number>();
  private readonly codeNames: { field: CodedField; value: string }[] = [];
  /** Recent results by query, forgotten at any change. */
  private readonly recent = new RecentResults<ExpertResults>();
  private changes = 0;

  get size(): number {
    return this.byId.size;
  }

  /** Changes with every expert put or removed (whatever is derived from the index can tell it is stale). */
  get version(): number {
    return this.changes;
  }

  put(expert: SearchableExpert): void {
    this.remove(expert.id);
    this.changed();
    const slot = this.text.add({ name: expert.name, headline: expert.headline, expertise: expert.expertise, bio: expert.bio, services: expert.services });
    const { bio: _bio, expertise: _expertise, services: _services, ...kept } = expert;
    const codes: number[] = [];
    for (const field of Object.keys(CODED_FIELDS) as CodedField[]) for (const value of new Set(CODED_FIELDS[field](kept))) codes.push(this.code(field, value));
    const entry: Entry = { expert: kept, slot, codes: Uint32Array.from(codes) };
    this.place(entry);
    this.byId.set(expert.id, entry);
  }

  get(id: string): IndexedExpert | undefined {
    return this.byId.get(id)?.expert;
  }

  /** Every indexed expert, in no particular order. */
  *experts(): Generator<IndexedExpert> {
    for (const entry of this.byId.values()) yield entry.expert;
  }

  /**
   * Text relevance (BM25 with the field weights) of the `limit` experts matching any word of the
   * text best, keyed by id: the matcher's lexical signal for a long free-text need. (A long need
   * touches most profiles with some word; the best thousand are the candidates worth scoring.)
   */
  textScores(text: string, limit = 1000): Map<string, number> {
    const matches = keepBest(this.text.search(text, 'any', { prefix: false }), limit);
    return new Map(matches.map(({ slot, score }) => [this.bySlot[slot]!.expert.id, score]));
  }

  remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.changed();
    this.byId.delete(id);
    this.bySlot[entry.slot] = undefined;
    this.text.remove(entry.slot);
    for (const code of entry.codes) this.sets.delete(code, entry.slot);
    if (this.text.wasteful) this.compact();
  }

  /** Results are shared with later identical queries: read them, do not change them. */
  search(query: ExpertQuery): ExpertResults {
    return this.recent.get(JSON.stringify(query), () => this.run(query));
  }

  private changed(): void {
    this.changes += 1;
    this.recent.clear();
  }

  private run(query: ExpertQuery): ExpertResults {
    const limit = query.limit ?? 20;
    const allowed = this.allowedSlots(query);
    const filter = filterFor(query, this.columns, (slot) => this.bySlot[slot]!.expert);
    const value = sortValue(query.sort ?? 'relevance', this.columns);
    const counts = new Int32Array(this.codeNames.length);
    const best: { slot: number; score: number; key: number }[] = [];
    const id = (slot: number) => this.bySlot[slot]!.expert.id;
    let total = 0;
    const consider = (slot: number, score: number) => {
      if (!filter(slot)) return;
      total += 1;
      this.columns.countCodes(slot, counts);
      const key = value(slot, score);
      if (query.after && !after(key, id(slot), query.after.value, query.after.id)) return;
      // Keep the best limit + 1 (one more tells whether another page follows).
      const worst = best[limit];
      if (worst && (key < worst.key || (key === worst.key && id(slot) > id(worst.slot)))) return;
      let at = best.length;
      while (at > 0 && after(best[at - 1]!.key, id(best[at - 1]!.slot), key, id(slot))) at -= 1;
      best.splice(at, 0, { slot, score, key });
      if (best.length > limit + 1) best.pop();
    };
    if (query.q?.trim()) {
      for (const { slot, score } of this.textMatches(query.q)) if (!allowed || hasSlot(allowed, slot)) consider(slot, score);
    } else if (allowed) {
      forEachSlot(allowed, (slot) => consider(slot, 0));
    } else {
      for (let slot = 0; slot < this.bySlot.length; slot++) if (this.bySlot[slot]) consider(slot, 0);
    }
    const page = best.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(({ slot, score }) => ({ expert: this.bySlot[slot]!.expert, score })),
      total,
      facets: this.facets(counts),
      ...(last && best.length > limit ? { next: { value: last.key, id: id(last.slot) } } : {}),
    };
  }

  /** The slots every list filter allows, or undefined when there are none. */
  private allowedSlots(query: ExpertQuery): Uint32Array | undefined {
    const lookup = (field: CodedField, values: string[]) => values.map((value) => this.dictionary.get(`${field}:${value}`));
    const sets: Uint32Array[] = [];
    if (query.specializations?.length) {
      const codes = lookup('specializationTree', query.specializations);
      sets.push(query.specializationsMode === 'all' ? this.sets.intersection(codes) : this.sets.union(codes));
    }
    const lists: [CodedField, string[] | undefined][] = [
      ['certifications', query.certifications],
      ['industries', query.industries],
      ['jurisdictions', query.jurisdictions],
      ['languages', query.languages],
      ['country', query.country ? [query.country] : undefined],
      ['currency', query.currency ? [query.currency] : undefined],
    ];
    for (const [field, values] of lists) if (values?.length) sets.push(this.sets.union(lookup(field, values)));
    const [first, ...rest] = sets;
    for (const set of rest) intersect(first!, set);
    return first;
  }

  /** Text matches, boosted when the expert covers the concepts the query names (bit-set lookups). */
  private textMatches(q: string): { slot: number; score: number }[] {
    return textHits(this.text, q, (ids) => {
      const sets = ids.map((id) => this.sets.union([this.dictionary.get(`specializationTree:${id}`)]));
      return (slot) => sets.reduce((sum, set) => sum + (hasSlot(set, slot) ? 1 : 0), 0);
    });
  }

  /** Renumbers slots once removals have left too many dead ones behind. */
  private compact(): void {
    const newSlot = this.text.compact();
    this.bySlot = [];
    this.sets.clear();
    this.columns.reset();
    // Ascending new slots, as the columns are written in slot order.
    for (const entry of [...this.byId.values()].sort((a, b) => a.slot - b.slot)) {
      entry.slot = newSlot[entry.slot]!;
      this.place(entry);
    }
  }

  private place(entry: Entry): void {
    const { expert, slot } = entry;
    this.bySlot[slot] = entry;
    for (const code of entry.codes) this.sets.add(code, slot);
    const numbers = {
      bayesian: expert.rating.bayesian,
      rate: expert.rate.amount,
      responseHours: expert.responseHours ?? NO_RESPONSE_TIME,
      ratingAverage: expert.rating.average,
      ratingCount: expert.rating.count,
    };
    this.columns.write(slot, numbers, entry.codes);
  }

  private code(field: CodedField, value: string): number {
    const key = `${field}:${value}`;
    let code = this.dictionary.get(key);
    if (code === undefined) {
      code = this.codeNames.push({ field, value }) - 1;
      this.dictionary.set(key, code);
    }
    return code;
  }

  private facets(counts: Int32Array): ExpertResults['facets'] {
    const result = Object.fromEntries(Object.keys(FACET_FIELDS).map((name) => [name, []])) as unknown as ExpertResults['facets'];
    counts.forEach((count, code) => {
      const { field, value } = this.codeNames[code]!;
      if (count > 0 && field in FACET_FIELDS) result[field as FacetName].push({ value, count });
    });
    for (const name of Object.keys(result) as FacetName[]) result[name] = result[name].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, 25);
    return result;
  }
}

/** Whether (key, id) comes after (value, otherId): higher keys first, then ids in order. */
function after(key: number, id: string, value: number, otherId: string): boolean {
  return key < value || (key === value && id > otherId);
}

/** Stands in for an unknown reply time: sorts last, and stays a finite number for cursors. */
const NO_RESPONSE_TIME = 1e6;

/** Higher sorts first; ascending sorts are negated so one comparison serves all. */
function sortValue(sort: ExpertSort, columns: SlotColumns<NumberName>): (slot: number, score: number) => number {
  switch (sort) {
    case 'rating':
      return (slot) => columns.number(slot, 'bayesian');
    case 'rate':
      return (slot) => -columns.number(slot, 'rate');
    case 'rate_desc':
      return (slot) => columns.number(slot, 'rate');
    case 'responsiveness':
      // Fastest replies first; experts without a measured reply time last.
      return (slot) => -columns.number(slot, 'responseHours');
    case 'relevance':
      // Without words to match, relevance is the (prior-weighted) rating.
      return (slot, score) => score || columns.number(slot, 'bayesian') / 100;
  }
}

/** The filters bit sets do not cover: numeric ranges and availability. */
function filterFor(query: ExpertQuery, columns: SlotColumns<NumberName>, expert: (slot: number) => IndexedExpert): (slot: number) => boolean {
  const tests: ((slot: number) => boolean)[] = [];
  const { minRate, maxRate, minRating, availableFrom, availableTo } = query;
  if (minRate !== undefined) tests.push((slot) => columns.number(slot, 'rate') >= minRate);
  if (maxRate !== undefined) tests.push((slot) => columns.number(slot, 'rate') <= maxRate);
  if (minRating !== undefined) tests.push((slot) => columns.number(slot, 'ratingCount') > 0 && columns.number(slot, 'ratingAverage') >= minRating);
  if (availableFrom && availableTo) tests.push((slot) => availableBetween(expert(slot), availableFrom, availableTo));
  if (tests.length === 0) return () => true;
  return (slot) => tests.every((test) => test(slot));
}
