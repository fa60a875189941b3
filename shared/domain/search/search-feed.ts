import type { Container, Stored } from '../../data/document-store';
import type { ExpertProfile } from '../experts/records';
import { AutocompleteIndex } from './autocomplete';
import { ChangeFollower } from './change-follower';
import { ExpertIndex } from './expert-index';
import { isSearchable, toSearchable } from './searchable-expert';

/**
 * Keeps the in-memory search indexes (experts, autocomplete) in step with the store through the
 * profiles' change feed (see ChangeFollower): at most `maxStalenessMs` behind; a new instance
 * reads the whole feed once, on its first search.
 */
export class SearchFeed {
  readonly autocomplete = new AutocompleteIndex();
  readonly experts = new ExpertIndex();
  private readonly follower: ChangeFollower<ExpertProfile>;

  constructor(
    profiles: Container<ExpertProfile>,
    maxStalenessMs = 2_000,
    private readonly today = () => new Date().toISOString().slice(0, 10),
  ) {
    this.follower = new ChangeFollower(profiles, (profile) => this.apply(profile), maxStalenessMs);
  }

  async fresh(): Promise<this> {
    await this.follower.fresh();
    return this;
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
