import type { Container, Stored } from '../../data/document-store';
import type { ExpertProfile } from '../experts/records';
import { AutocompleteIndex } from './autocomplete';
import { ExpertIndex } from './expert-index';
import { isSearchable, toSearchable } from './searchable-expert';

/**
 * Keeps the in-memory search indexes (experts, autocomplete) in step with the store through the
 * profiles' change feed: each instance of the app reads the changes since its last position, at
 * most every `maxStalenessMs`, so every instance converges without coordination. A new instance
 * reads the whole feed once, on its first search.
 */
export class SearchFeed {
  readonly autocomplete = new AutocompleteIndex();
  readonly experts = new ExpertIndex();
  private position: string | undefined;
  private refreshedAt = -Infinity;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly profiles: Container<ExpertProfile>,
    private readonly maxStalenessMs = 2_000,
    private readonly today = () => new Date().toISOString().slice(0, 10),
  ) {}

  async fresh(): Promise<this> {
    if (performance.now() - this.refreshedAt > this.maxStalenessMs) {
      this.refreshing ??= this.catchUp().finally(() => (this.refreshing = undefined));
      await this.refreshing;
    }
    return this;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.profiles.changesSince(this.position, { limit: 1000 });
      for (const profile of page.items) this.apply(profile);
      this.position = page.continuation;
      if (page.items.length < 1000) break;
    }
    this.refreshedAt = performance.now();
  }

  /** Only profiles the public can see are searched and suggested. */
  private apply(profile: Stored<ExpertProfile>): void {
    if (isSearchable(profile)) {
      this.experts.put(toSearchable(profile, this.today()));
      this.autocomplete.put({ kind: 'expert', ref: profile.id, label: profile.name, aliases: profile.headline });
    } else {
      this.experts.remove(profile.id);
      this.autocomplete.remove('expert', profile.id);
    }
  }
}
