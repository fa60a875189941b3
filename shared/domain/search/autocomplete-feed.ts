import type { Container, Stored } from '../../data/document-store';
import type { ExpertProfile } from '../experts/records';
import { AutocompleteIndex } from './autocomplete';

/**
 * Keeps an in-memory autocomplete index in step with the store through its change feed: each
 * instance of the app reads the profiles' changes since its last position, at most every
 * `maxStalenessMs`, so every instance converges without coordination.
 */
export class AutocompleteFeed {
  readonly index = new AutocompleteIndex();
  private position: string | undefined;
  private refreshedAt = -Infinity;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly profiles: Container<ExpertProfile>,
    private readonly maxStalenessMs = 2_000,
  ) {}

  async fresh(): Promise<AutocompleteIndex> {
    if (performance.now() - this.refreshedAt > this.maxStalenessMs) {
      this.refreshing ??= this.catchUp().finally(() => (this.refreshing = undefined));
      await this.refreshing;
    }
    return this.index;
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

  /** Only profiles the public can see are suggested. */
  private apply(profile: Stored<ExpertProfile>): void {
    if (profile.published && profile.verification.status === 'verified') this.index.put({ kind: 'expert', ref: profile.id, label: profile.name, aliases: profile.headline });
    else this.index.remove('expert', profile.id);
  }
}
