import type { DocumentStore } from '../../data/document-store';
import { expertProfiles, expertServices } from '../experts/containers';
import type { ExpertsModule } from '../experts/module';
import type { ExpertProfile } from '../experts/records';
import type { ExpertService } from '../experts/services';
import { changeFeedPositions, expertVectors, searchTrends } from './containers';
import { EmbeddingSignals, type Rerank } from './embedding-signals';
import { type Embedder, type ExpertVector, ExpertVectorSync, type FeedPosition } from './expert-vectors';
import { ExpertSuggestions } from './matching/suggestions';
import { SearchFeed } from './search-feed';
import { SearchService } from './search-service';
import { SearchTrends, type TrendCounter } from './search-trends';
import type { SemanticSignals } from './semantic';
import { TrendService } from './trend-service';

export interface SearchPorts {
  store: DocumentStore;
  experts: ExpertsModule;
  /** The embedding model (and re-rank, with a chat model); undefined when none is configured (lexical matching only). */
  models: (Embedder & { rerank?: Rerank }) | undefined;
  /** How often the index checks for deleted profiles (SEARCH_DELETE_CHECK_SECONDS). */
  deleteCheckMs: number;
  /** How often counted trend events are written (ANALYTICS_FLUSH_SECONDS). */
  analyticsFlushMs: number;
  now: () => Date;
}

/** Finding experts: this instance's search indexes, matching needs to experts, what people look for, and profile vectors. */
export interface SearchModule {
  /** The indexes (experts, services, autocomplete), caught up with the store (at most two seconds behind). */
  feed(): Promise<SearchFeed>;
  /** Finding experts and services, and suggestions as you type. */
  service: SearchService;
  suggestions: ExpertSuggestions;
  trends: TrendService;
  semantic: SemanticSignals | undefined;
  /** The job that keeps profile vectors in step with profiles; undefined when no embedding model is configured. */
  vectorSync: ExpertVectorSync | undefined;
}

export async function searchModule({ store, experts, models, deleteCheckMs, analyticsFlushMs, now }: SearchPorts): Promise<SearchModule> {
  const profiles = await store.container<ExpertProfile>(expertProfiles);
  const services = await store.container<ExpertService>(expertServices);
  const index = new SearchFeed(profiles, services, { deleteCheckMs });
  const feed = () => index.fresh();
  const semantic = models && new EmbeddingSignals(() => store.container<ExpertVector>(expertVectors), models, models.rerank);
  const trends = new TrendService({
    trends: new SearchTrends(await store.container<TrendCounter>(searchTrends)),
    services,
    isProfilePublic: (expertId) => experts.profiles.isPublic(expertId),
    flushMs: analyticsFlushMs,
    now,
  });
  return {
    feed,
    service: new SearchService({ feed, events: experts.events, trends }),
    suggestions: new ExpertSuggestions({ experts: async () => (await feed()).experts, semantic, events: experts.events }),
    trends,
    semantic,
    vectorSync:
      models &&
      new ExpertVectorSync({
        profiles,
        vectors: await store.container<ExpertVector>(expertVectors),
        positions: await store.container<FeedPosition>(changeFeedPositions),
        embedder: models,
        now,
      }),
  };
}
