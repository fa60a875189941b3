import type { IndexedExpert } from './expert-index';
import { type RankPosition, TopPage, textHits } from './ranking';
import type { SearchableService } from './searchable-service';
import { TextIndex } from './text-index';

export type ServiceSort = 'relevance' | 'price' | 'price_desc' | 'delivery' | 'rating';

export interface ServiceQuery {
  q?: string;
  specializations?: string[];
  specializationsMode?: 'any' | 'all';
  pricingModel?: string[];
  currency?: string;
  minPrice?: number;
  maxPrice?: number;
  maxDeliveryDays?: number;
  country?: string;
  languages?: string[];
  minRating?: number;
  sort?: ServiceSort;
  limit?: number;
  after?: RankPosition;
}

export type ServiceFacetName = 'specializations' | 'pricingModel' | 'currency' | 'country';

/** What the index keeps per service once its text is indexed. */
export type IndexedService = Omit<SearchableService, 'expertise'>;

export interface ServiceHit {
  service: IndexedService;
  expert: IndexedExpert;
  score: number;
}

export interface ServiceResults {
  items: ServiceHit[];
  total: number;
  facets: Record<ServiceFacetName, { value: string; count: number }[]>;
  next?: RankPosition;
}

const FACET_FIELDS: [ServiceFacetName, (service: IndexedService, expert: IndexedExpert) => string][] = [
  ['specializations', (service) => service.specializationId],
  ['pricingModel', (service) => service.pricing.model],
  ['currency', (service) => service.currency],
  ['country', (_service, expert) => expert.country],
];

/**
 * Published services held in memory for search: BM25 over title, description and the
 * specialization's names; filters on the service and on its expert; facet counts over every
 * match; sorts; keyset pages. A service is shown only while its expert is public: the expert is
 * looked up at query time (`expertOf`, the expert index), so an expert going private takes their
 * services out of results at once, without touching this index.
 */
export class ServiceIndex {
  private readonly entries = new Map<string, { service: IndexedService; slot: number }>();
  /** Expert id → ids of their published services (expert search matches their words too). */
  private readonly byExpert = new Map<string, Set<string>>();
  /** Text-index slot → service (undefined once removed). */
  private bySlot: (IndexedService | undefined)[] = [];
  private readonly text = new TextIndex({ fields: { title: 3, description: 1, expertise: 2 } });

  put(service: SearchableService): void {
    this.remove(service.id);
    const slot = this.text.add({ title: service.title, description: service.description, expertise: service.expertise });
    const { expertise: _expertise, ...kept } = service;
    this.entries.set(service.id, { service: kept, slot });
    this.bySlot[slot] = kept;
    let ids = this.byExpert.get(service.expertId);
    if (!ids) this.byExpert.set(service.expertId, (ids = new Set()));
    ids.add(service.id);
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    const ids = this.byExpert.get(entry.service.expertId)!;
    ids.delete(id);
    if (ids.size === 0) this.byExpert.delete(entry.service.expertId);
    this.bySlot[entry.slot] = undefined;
    this.text.remove(entry.slot);
    if (this.text.wasteful) this.compact();
  }

  /** Renumbers slots once removals have left too many dead ones behind. */
  private compact(): void {
    const newSlot = this.text.compact();
    this.bySlot = [];
    for (const entry of this.entries.values()) {
      entry.slot = newSlot[entry.slot]!;
      this.bySlot[entry.slot] = entry.service;
    }
  }

  get(id: string): IndexedService | undefined {
    return this.entries.get(id)?.service;
  }

  /** The expert's published services. */
  ofExpert(expertId: string): IndexedService[] {
    return [...(this.byExpert.get(expertId) ?? [])].map((id) => this.entries.get(id)!.service);
  }

  search(query: ServiceQuery, expertOf: (expertId: string) => IndexedExpert | undefined): ServiceResults {
    const filter = filterFor(query);
    const value = sortValue(query.sort ?? 'relevance');
    const counts = FACET_FIELDS.map(([name, field]) => ({ name, field, values: new Map<string, number>() }));
    const page = new TopPage<ServiceHit>(query.limit ?? 20, query.after);
    let total = 0;
    for (const { service, score } of this.match(query)) {
      const expert = expertOf(service.expertId);
      if (!expert || !filter(service, expert)) continue;
      total += 1;
      for (const { field, values } of counts) {
        const facetValue = field(service, expert);
        values.set(facetValue, (values.get(facetValue) ?? 0) + 1);
      }
      page.offer({ service, expert, score }, { value: value(service, expert, score), id: service.id });
    }
    const next = page.next;
    const facets = {} as ServiceResults['facets'];
    for (const { name, values } of counts) {
      facets[name] = [...values]
        .map(([facetValue, count]) => ({ value: facetValue, count }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
        .slice(0, 25);
    }
    return { items: page.items, total, facets, ...(next ? { next } : {}) };
  }

  /** Text matches (scored, boosted when the service covers the concepts the query names), or everything. */
  private *match(query: ServiceQuery): Generator<{ service: IndexedService; score: number }> {
    if (!query.q?.trim()) {
      for (const { service } of this.entries.values()) yield { service, score: 0 };
      return;
    }
    const hits = textHits(this.text, query.q, (ids) => (slot) => ids.filter((id) => this.bySlot[slot]!.specializationIds.includes(id)).length);
    for (const { slot, score } of hits) yield { service: this.bySlot[slot]!, score };
  }
}

/** Higher sorts first; ascending sorts are negated so one comparison serves all. */
function sortValue(sort: ServiceSort): (service: IndexedService, expert: IndexedExpert, score: number) => number {
  switch (sort) {
    case 'price':
      return (service) => -service.fromPrice;
    case 'price_desc':
      return (service) => service.fromPrice;
    case 'delivery':
      return (service) => -service.deliveryDays;
    case 'rating':
      return (_service, expert) => expert.rating.bayesian;
    case 'relevance':
      // Without words to match, relevance is the expert's (prior-weighted) rating.
      return (_service, expert, score) => score || expert.rating.bayesian / 100;
  }
}

function filterFor(query: ServiceQuery): (service: IndexedService, expert: IndexedExpert) => boolean {
  const tests: ((service: IndexedService, expert: IndexedExpert) => boolean)[] = [];
  if (query.specializations?.length) {
    const wanted = query.specializations;
    tests.push(
      query.specializationsMode === 'all' ? (service) => wanted.every((id) => service.specializationIds.includes(id)) : (service) => wanted.some((id) => service.specializationIds.includes(id)),
    );
  }
  if (query.pricingModel?.length) tests.push((service) => query.pricingModel!.includes(service.pricing.model));
  if (query.currency) tests.push((service) => service.currency === query.currency);
  if (query.minPrice !== undefined) tests.push((service) => service.fromPrice >= query.minPrice!);
  if (query.maxPrice !== undefined) tests.push((service) => service.fromPrice <= query.maxPrice!);
  if (query.maxDeliveryDays !== undefined) tests.push((service) => service.deliveryDays <= query.maxDeliveryDays!);
  if (query.country) tests.push((_service, expert) => expert.country === query.country);
  if (query.languages?.length) tests.push((_service, expert) => query.languages!.some((language) => expert.languages.includes(language)));
  if (query.minRating !== undefined) tests.push((_service, expert) => expert.rating.count > 0 && expert.rating.average >= query.minRating!);
  return (service, expert) => tests.every((test) => test(service, expert));
}
