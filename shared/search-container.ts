import { SearchFeed } from './domain/search/search-feed';
import { getExperts } from './experts-container';

let feed: Promise<SearchFeed> | undefined;

/**
 * The search indexes of this app instance, caught up with the store (at most two seconds
 * behind): search, autocomplete and the matcher read them.
 */
export async function getSearchFeed(): Promise<SearchFeed> {
  return (await (feed ??= getExperts().then(({ profiles }) => new SearchFeed(profiles)))).fresh();
}
