import { expertServices } from './domain/experts/containers';
import type { ExpertService } from './domain/experts/services';
import { SearchFeed } from './domain/search/search-feed';
import { ServiceFeed } from './domain/search/service-feed';
import { getConfig } from './config';
import { getDocumentStore } from './container';
import { getExperts } from './experts-container';

let feed: Promise<SearchFeed> | undefined;
let serviceFeed: Promise<ServiceFeed> | undefined;

/**
 * The search indexes of this app instance, caught up with the store (at most two seconds
 * behind): search, autocomplete and the matcher read them.
 */
export async function getSearchFeed(): Promise<SearchFeed> {
  return (await (feed ??= getExperts().then(({ profiles }) => new SearchFeed(profiles)))).fresh();
}

/** The service index, caught up like the expert index it checks experts against (both fresh on return). */
export async function getServiceFeed(): Promise<ServiceFeed> {
  const search = await getSearchFeed();
  serviceFeed ??= getDocumentStore()
    .container<ExpertService>(expertServices)
    .then((services) => new ServiceFeed(services, search.experts, search.autocomplete, 2_000, getConfig().searchDeleteCheckMs));
  return (await serviceFeed).fresh();
}
