import type { EventTally } from '../experts/event-tally';
import type { ExpertEventKind } from '../experts/analytics';
import type { Suggestion } from './autocomplete';
import type { ExpertQuery, ExpertResults } from './expert-index';
import type { SearchFeed } from './search-feed';
import type { ServiceQuery, ServiceResults } from './service-index';
import type { TrendService } from './trend-service';

/** What the public search endpoints do: find experts and services, and suggest as people type. */
export class SearchService {
  constructor(
    private readonly deps: {
      /** The indexes, caught up with the store. */
      feed: () => Promise<SearchFeed>;
      /** Experts' analytics events, counted in memory and written in batches. */
      events: EventTally<ExpertEventKind>;
      trends: Pick<TrendService, 'recordSearch'>;
    },
  ) {}

  /**
   * One page of public experts. Each expert on it appeared in a search (their analytics); the
   * search is demand once, on its first page (a page after a position continues the same search).
   */
  async experts(query: ExpertQuery): Promise<ExpertResults> {
    const results = (await this.deps.feed()).experts.search(query);
    for (const { expert } of results.items) this.deps.events.add(expert.id, 'searchAppearance');
    await this.deps.events.flushIfDue();
    if (!query.after) await this.deps.trends.recordSearch(query.q, query.specializations);
    return results;
  }

  /** One page of published services of public experts. */
  async services(query: ServiceQuery): Promise<ServiceResults> {
    return (await this.deps.feed()).services.search(query);
  }

  /** Suggestions as you type; a service's title only while the public may see the service. */
  async autocomplete(text: string, limit: number): Promise<Suggestion[]> {
    const { autocomplete, services } = await this.deps.feed();
    return autocomplete.suggest(text, limit, (suggestion) => suggestion.kind !== 'service' || services.isPublic(suggestion.id));
  }
}
