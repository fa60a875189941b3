import { expertServices } from './domain/experts/containers';
import type { ExpertService } from './domain/experts/services';
import { SearchFeed } from './domain/search/search-feed';
import { getConfig } from './config';
import { getDocumentStore } from './container';
import { getExperts } from './experts-container';

let feed: Promise<SearchFeed> | undefined;

/**
 * The search indexes of this app instance (experts, services, autocomplete), caught up with the
 * store (at most two seconds behind): search, autocomplete and the matcher read them.
 */
export async function getSearchFeed(): Promise<SearchFeed> {
  feed ??= Promise.all([getExperts(), getDocumentStore().container<ExpertService>(expertServices)]).then(
    ([{ profiles }, services]) => new SearchFeed(profiles, services, { deleteCheckMs: getConfig().searchDeleteCheckMs }),
    (error: unknown) => {
      // A store that was down must not leave search broken until a restart: the next call tries again.
      feed = undefined;
      throw error;
    },
  );
  return (await feed).fresh();
}
