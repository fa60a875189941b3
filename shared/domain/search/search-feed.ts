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
  /** The day the indexed certifications were judged on, and per expert the first expiry among them. */
  private day: string;
  private readonly expiries = new Map<string, string>();

  constructor(
    private readonly profiles: Container<ExpertProfile>,
    private readonly maxStalenessMs = 2_000,
    private readonly today = () => new Date().toISOString().slice(0, 10),
  ) {
    this.day = today();
  }

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
    await this.expireCertifications();
    this.refreshedAt = performance.now();
  }

  /**
   * A certification stops counting the day after it expires, without any change to the profile:
   * on a new day, experts with a certification that has since expired are read and indexed again.
   */
  private async expireCertifications(): Promise<void> {
    const today = this.today();
    if (today === this.day) return;
    this.day = today;
    for (const [id, expiresOn] of [...this.expiries]) {
      if (expiresOn >= today) continue;
      const profile = await this.profiles.read(id, id);
      if (profile) this.apply(profile);
      else this.remove(id);
    }
  }

  /** Only profiles the public can see are searched and suggested. */
  private apply(profile: Stored<ExpertProfile>): void {
    if (!isSearchable(profile)) return this.remove(profile.id);
    const today = this.today();
    const expiries = profile.certifications.flatMap(({ expiresOn }) => (expiresOn && expiresOn >= today ? [expiresOn] : [])).sort();
    if (expiries[0]) this.expiries.set(profile.id, expiries[0]);
    else this.expiries.delete(profile.id);
    this.experts.put(toSearchable(profile, today));
    this.autocomplete.put({ kind: 'expert', ref: profile.id, label: profile.name });
  }

  private remove(id: string): void {
    this.expiries.delete(id);
    this.experts.remove(id);
    this.autocomplete.remove('expert', id);
  }
}
