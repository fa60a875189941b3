import { getConfig } from './config';
import { getDocumentStore } from './container';
import { EventTally } from './domain/experts/event-tally';
import { expertServices } from './domain/experts/containers';
import type { ExpertService } from './domain/experts/services';
import { findSpecialization } from './domain/experts/taxonomy';
import { searchTrends } from './domain/search/containers';
import { normalize, readNeed } from './domain/search/need-reader';
import { RecentResults } from './domain/search/recent-results';
import { isRecordableSearch, SearchTrends, type Trend, type TrendCounter, type TrendKind } from './domain/search/search-trends';
import { expertProfileService } from './expert-services-container';

/** The search-trends part of the composition root: recording from search and services, and the trending list. */

export async function getSearchTrends(): Promise<SearchTrends> {
  return new SearchTrends(await getDocumentStore().container<TrendCounter>(searchTrends));
}

let tally: EventTally<TrendKind> | undefined;

/** Trend events are counted in memory and written in batches, like expert analytics (ANALYTICS_FLUSH_SECONDS). */
function trendTally(): EventTally<TrendKind> {
  tally ??= new EventTally(async (subject, kind, day, count) => (await getSearchTrends()).record(subject, kind, day, count), getConfig().analyticsFlushMs);
  return tally;
}

/** A search's demand: its normalised text (when recordable) and each specialization its words name or its filters ask for. */
export async function recordSearchTrend(text: string | undefined, specializationFilters: readonly string[] = []): Promise<void> {
  const events = trendTally();
  const { normalized, named } = text ? demandOf(text) : { normalized: '', named: [] };
  if (isRecordableSearch(normalized)) events.add(normalized, 'search');
  for (const id of new Set([...named, ...specializationFilters])) events.add(id, 'specialization');
  await events.flushIfDue();
}

/** Recent search texts read with the taxonomy: popular searches repeat, and reading one is most of recording it. */
const demands = new RecentResults<{ normalized: string; named: string[] }>(1_000);

function demandOf(text: string): { normalized: string; named: string[] } {
  return demands.get(text, () => ({ normalized: normalize(text), named: readNeed(text).specializations.map((concept) => concept.id) }));
}

/** Services shown to a visitor (an expert's published services). */
export async function recordServiceViews(expertId: string, serviceIds: readonly string[]): Promise<void> {
  const events = trendTally();
  for (const id of serviceIds) events.add(`${expertId}:${id}`, 'service');
  await events.flushIfDue();
}

export interface TrendingItem {
  kind: TrendKind;
  id: string;
  label: string;
  expertId?: string;
  count: number;
  previousCount: number;
  growth: number;
}

/** A trend as the public sees it, or undefined when its subject is gone (a retired specialization, a hidden service). */
async function publicTrend(trend: Trend): Promise<TrendingItem | undefined> {
  const figures = { count: trend.count, previousCount: trend.previousCount, growth: Math.round(trend.growth * 100) / 100 };
  if (trend.kind === 'search') return { kind: 'search', id: trend.subject, label: trend.subject, ...figures };
  if (trend.kind === 'specialization') {
    const specialization = findSpecialization(trend.subject);
    return specialization && { kind: 'specialization', id: specialization.id, label: specialization.name, ...figures };
  }
  const [expertId = '', serviceId = ''] = trend.subject.split(':');
  const service = await (await getDocumentStore().container<ExpertService>(expertServices)).read(expertId, serviceId);
  if (!service?.published || !(await (await expertProfileService()).isPublic(expertId))) return undefined;
  return { kind: 'service', id: service.id, label: service.title, expertId, ...figures };
}

/** The `limit` fastest-rising subjects of the given kinds that the public may see. */
export async function trending(kinds: readonly TrendKind[], limit: number, now: Date): Promise<TrendingItem[]> {
  const items: TrendingItem[] = [];
  for (const trend of await (await getSearchTrends()).rising(kinds, now)) {
    if (items.length === limit) break;
    const item = await publicTrend(trend);
    if (item) items.push(item);
  }
  return items;
}
