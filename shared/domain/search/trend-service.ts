import type { Container } from '../../data/document-store';
import { EventTally } from '../experts/event-tally';
import type { ExpertService } from '../experts/services';
import { findSpecialization } from '../experts/taxonomy';
import { normalize, readNeed } from './need-reader';
import { RecentResults } from './recent-results';
import { isRecordableSearch, type SearchTrends, type Trend, type TrendKind, trendWindow, type TrendWindow } from './search-trends';

export interface TrendingItem {
  kind: TrendKind;
  id: string;
  label: string;
  expertId?: string;
  count: number;
  previousCount: number;
  growth: number;
}

/**
 * What people look for: searches and the specializations they name, and services shown, counted
 * in memory and written in batches (ANALYTICS_FLUSH_SECONDS), like expert analytics; and the
 * fastest-rising of them, as far as the public may see them.
 */
export class TrendService {
  private readonly events: EventTally<TrendKind>;
  /** Recent search texts read with the taxonomy: popular searches repeat, and reading one is most of recording it. */
  private readonly demands = new RecentResults<{ normalized: string; named: string[] }>(1_000);

  constructor(
    private readonly deps: {
      trends: SearchTrends;
      services: Container<ExpertService>;
      isProfilePublic: (expertId: string) => Promise<boolean>;
      flushMs: number;
      now: () => Date;
    },
  ) {
    this.events = new EventTally((subject, kind, day, count) => deps.trends.record(subject, kind, day, count), deps.flushMs);
  }

  /** A search's demand: its normalised text (when recordable) and each specialization its words name or its filters ask for. */
  async recordSearch(text: string | undefined, specializationFilters: readonly string[] = []): Promise<void> {
    const { normalized, named } = text ? this.demandOf(text) : { normalized: '', named: [] };
    if (isRecordableSearch(normalized)) this.events.add(normalized, 'search');
    for (const id of new Set([...named, ...specializationFilters])) this.events.add(id, 'specialization');
    await this.events.flushIfDue();
  }

  /** Services shown to a visitor (an expert's published services). */
  async recordServiceViews(expertId: string, serviceIds: readonly string[]): Promise<void> {
    for (const id of serviceIds) this.events.add(`${expertId}:${id}`, 'service');
    await this.events.flushIfDue();
  }

  /** The `limit` fastest-rising subjects of the given kinds that the public may see, this week against the one before, and those weeks. */
  async trending(kinds: readonly TrendKind[], limit: number): Promise<{ window: TrendWindow; items: TrendingItem[] }> {
    const now = this.deps.now();
    const items: TrendingItem[] = [];
    for (const trend of await this.deps.trends.rising(kinds, now)) {
      if (items.length === limit) break;
      const item = await this.publicTrend(trend);
      if (item) items.push(item);
    }
    return { window: trendWindow(now), items };
  }

  private demandOf(text: string): { normalized: string; named: string[] } {
    return this.demands.get(text, () => ({ normalized: normalize(text), named: readNeed(text).specializations.map((concept) => concept.id) }));
  }

  /** A trend as the public sees it, or undefined when its subject is gone (a retired specialization, a hidden service). */
  private async publicTrend(trend: Trend): Promise<TrendingItem | undefined> {
    const figures = { count: trend.count, previousCount: trend.previousCount, growth: Math.round(trend.growth * 100) / 100 };
    if (trend.kind === 'search') return { kind: 'search', id: trend.subject, label: trend.subject, ...figures };
    if (trend.kind === 'specialization') {
      const specialization = findSpecialization(trend.subject);
      return specialization && { kind: 'specialization', id: specialization.id, label: specialization.name, ...figures };
    }
    const [expertId = '', serviceId = ''] = trend.subject.split(':');
    const service = await this.deps.services.read(expertId, serviceId);
    if (!service?.published || !(await this.deps.isProfilePublic(expertId))) return undefined;
    return { kind: 'service', id: service.id, label: service.title, expertId, ...figures };
  }
}
