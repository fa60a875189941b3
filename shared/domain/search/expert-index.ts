import MiniSearch from 'minisearch';
import { readNeed } from './need-reader';
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
  items: { expert: SearchableExpert; score: number }[];
  total: number;
  facets: Record<FacetName, { value: string; count: number }[]>;
  next?: { value: number; id: string };
}

const FACET_FIELDS: Record<FacetName, (expert: SearchableExpert) => string[]> = {
  specializations: (expert) => expert.declaredSpecializationIds,
  certifications: (expert) => expert.certificationIds,
  industries: (expert) => expert.industries,
  jurisdictions: (expert) => expert.jurisdictions,
  languages: (expert) => expert.languages,
  country: (expert) => [expert.country],
};

/**
 * Public experts held in memory for search: BM25 text matching over name, headline, expertise
 * (specialization and certification names, synonyms and acronyms) and bio; filters; exact facet
 * counts over everything that matched; sorts; keyset pages. Kept in step with the store by the
 * change feed (see search-feed.ts).
 */
export class ExpertIndex {
  private readonly experts = new Map<string, SearchableExpert>();
  private readonly text = new MiniSearch<SearchableExpert>({
    fields: ['name', 'headline', 'expertise', 'bio'],
    searchOptions: { boost: { name: 3, headline: 2, expertise: 2 }, prefix: (term, index, terms) => index === terms.length - 1 && term.length >= 3, fuzzy: (term) => (term.length >= 5 ? 0.2 : 0), combineWith: 'OR' },
  });

  get size(): number {
    return this.experts.size;
  }

  put(expert: SearchableExpert): void {
    if (this.experts.has(expert.id)) this.text.discard(expert.id);
    this.experts.set(expert.id, expert);
    this.text.add(expert);
  }

  remove(id: string): void {
    if (!this.experts.delete(id)) return;
    this.text.discard(id);
  }

  search(query: ExpertQuery): ExpertResults {
    const sort = query.sort ?? 'relevance';
    const limit = query.limit ?? 20;
    const matches = this.match(query);
    const filter = filterFor(query);
    const filtered = matches.filter(({ expert }) => filter(expert));
    const value = sortValue(sort);
    const ordered = filtered
      .map((match) => ({ ...match, key: value(match) }))
      .sort((a, b) => b.key - a.key || (a.expert.id < b.expert.id ? -1 : a.expert.id > b.expert.id ? 1 : 0));
    const start = query.after ? ordered.findIndex((entry) => entry.key < query.after!.value || (entry.key === query.after!.value && entry.expert.id > query.after!.id)) : 0;
    const page = start < 0 ? [] : ordered.slice(start, start + limit);
    const last = page.at(-1);
    return {
      items: page.map(({ expert, score }) => ({ expert, score })),
      total: filtered.length,
      facets: facets(filtered.map(({ expert }) => expert)),
      ...(last && start + limit < ordered.length ? { next: { value: last.key, id: last.expert.id } } : {}),
    };
  }

  /** Text matches (scored, boosted when the expert covers the concepts the query names), or everyone. */
  private match(query: ExpertQuery): { expert: SearchableExpert; score: number }[] {
    if (!query.q?.trim()) return [...this.experts.values()].map((expert) => ({ expert, score: 0 }));
    const concepts = readNeed(query.q).specializations.map((concept) => concept.id);
    return this.text.search(query.q).map((hit) => {
      const expert = this.experts.get(hit.id as string)!;
      const covered = concepts.filter((id) => expert.specializationIds.includes(id)).length;
      return { expert, score: hit.score * (1 + (concepts.length ? covered / concepts.length : 0)) };
    });
  }
}

/** Higher sorts first; ascending sorts are negated so one comparison serves all. */
function sortValue(sort: ExpertSort): (match: { expert: SearchableExpert; score: number }) => number {
  switch (sort) {
    case 'rating':
      return ({ expert }) => expert.rating.bayesian;
    case 'rate':
      return ({ expert }) => -expert.rate.amount;
    case 'rate_desc':
      return ({ expert }) => expert.rate.amount;
    case 'relevance':
      // Without words to match, relevance is the (prior-weighted) rating.
      return ({ expert, score }) => score || expert.rating.bayesian / 100;
  }
}

function filterFor(query: ExpertQuery): (expert: SearchableExpert) => boolean {
  const tests: ((expert: SearchableExpert) => boolean)[] = [];
  const anyOf = (wanted: string[] | undefined, field: (expert: SearchableExpert) => string[]) => {
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

function facets(experts: SearchableExpert[]): ExpertResults['facets'] {
  const result = {} as ExpertResults['facets'];
  for (const [name, field] of Object.entries(FACET_FIELDS) as [FacetName, (expert: SearchableExpert) => string[]][]) {
    const counts = new Map<string, number>();
    for (const expert of experts) for (const value of field(expert)) counts.set(value, (counts.get(value) ?? 0) + 1);
    result[name] = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, 25);
  }
  return result;
}
