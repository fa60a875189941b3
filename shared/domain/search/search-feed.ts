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
  /** The day the indexed certifications were judged on, and per expert the first expiry among them. */
  private day: string;
  private readonly expiries = new Map<string, string>();

  constructor(
    private readonly profiles: Container<ExpertProfile>,
    maxStalenessMs = 2_000,
    private readonly today = () => new Date().toISOString().slice(0, 10),
  ) {
    this.day = today();
    this.follower = new ChangeFollower(profiles, (profile) => this.apply(profile), maxStalenessMs, () => this.expireCertifications());
  }

  async fresh(): Promise<this> {
    await this.follower.fresh();
    return this;
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
