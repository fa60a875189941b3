import type { Container, Stored } from '../../data/document-store';
import type { ExpertProfile } from '../experts/records';
import type { ExpertService } from '../experts/services';
import { AutocompleteIndex } from './autocomplete';
import { ChangeFollower } from './change-follower';
import { ExpertIndex } from './expert-index';
import { ServiceFeed } from './service-feed';
import { isPublic } from '../experts/profile-service';
import { toSearchable } from './searchable-expert';

export interface SearchFeedOptions {
  /** How far behind the store the indexes may be when read. */
  maxStalenessMs?: number;
  /** How often to look for deleted services (see ServiceFeed). */
  deleteCheckMs?: number;
  today?: () => string;
}

/**
 * Keeps the in-memory search indexes (experts, services, autocomplete) in step with the store
 * through the profiles' and the services' change feeds (see ChangeFollower): at most
 * `maxStalenessMs` behind; a new instance reads both feeds once, on its first search.
 *
 * An expert is found by the words of their published services too, so a change to those words
 * indexes the expert again: services are caught up first, then profiles (a new instance thus
 * indexes each expert once, with their services), then experts whose services changed but whose
 * profile did not are read again.
 */
export class SearchFeed {
  readonly autocomplete = new AutocompleteIndex();
  readonly experts = new ExpertIndex();
  readonly services: ServiceFeed;
  private readonly follower: ChangeFollower<ExpertProfile>;
  private readonly today: () => string;
  /** The day the indexed certifications were judged on, and per expert the first expiry among them. */
  private day: string;
  private readonly expiries = new Map<string, string>();
  /** Experts whose services' words changed since they were last indexed. */
  private readonly servicesChanged = new Set<string>();
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly profiles: Container<ExpertProfile>,
    services: Container<ExpertService>,
    { maxStalenessMs = 2_000, deleteCheckMs = 0, today = () => new Date().toISOString().slice(0, 10) }: SearchFeedOptions = {},
  ) {
    this.today = today;
    this.day = today();
    this.follower = new ChangeFollower(
      profiles,
      (profile) => this.apply(profile),
      maxStalenessMs,
      () => this.expireCertifications(),
    );
    this.services = new ServiceFeed(services, this.experts, this.autocomplete, maxStalenessMs, deleteCheckMs, (expertId) => this.servicesChanged.add(expertId));
  }

  /** Callers share one catch-up in flight. */
  async fresh(): Promise<this> {
    this.refreshing ??= this.catchUp().finally(() => (this.refreshing = undefined));
    await this.refreshing;
    return this;
  }

  private async catchUp(): Promise<void> {
    await this.services.fresh();
    await this.follower.fresh();
    // Each is taken off the list once indexed again, so a read that fails leaves the rest for the next catch-up.
    for (const id of [...this.servicesChanged]) await this.reread(id);
  }

  /**
   * A certification stops counting the day after it expires, without any change to the profile:
   * on a new day, experts with a certification that has since expired are read and indexed again.
   */
  private async expireCertifications(): Promise<void> {
    const today = this.today();
    if (today === this.day) return;
    this.day = today;
    for (const [id, expiresOn] of [...this.expiries]) if (expiresOn < today) await this.reread(id);
  }

  private async reread(id: string): Promise<void> {
    const profile = await this.profiles.read(id, id);
    if (profile) this.apply(profile);
    else this.remove(id);
    this.servicesChanged.delete(id);
  }

  /** Only profiles the public can see are searched and suggested. */
  private apply(profile: Stored<ExpertProfile>): void {
    this.servicesChanged.delete(profile.id);
    if (!isPublic(profile)) return this.remove(profile.id);
    const today = this.today();
    const expiries = profile.certifications.flatMap(({ expiresOn }) => (expiresOn && expiresOn >= today ? [expiresOn] : [])).sort();
    if (expiries[0]) this.expiries.set(profile.id, expiries[0]);
    else this.expiries.delete(profile.id);
    this.experts.put(toSearchable(profile, today, this.services.textOf(profile.id)));
    this.autocomplete.put({ kind: 'expert', ref: profile.id, label: profile.name });
  }

  private remove(id: string): void {
    this.expiries.delete(id);
    this.experts.remove(id);
    this.autocomplete.remove('expert', id);
  }
}
