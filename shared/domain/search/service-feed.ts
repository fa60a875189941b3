import type { Container, Stored } from '../../data/document-store';
import type { ExpertService } from '../experts/services';
import type { AutocompleteIndex } from './autocomplete';
import { ChangeFollower } from './change-follower';
import { RecentResults } from './recent-results';
import type { ExpertIndex } from './expert-index';
import { ServiceIndex, type ServiceQuery, type ServiceResults } from './service-index';
import { toSearchableService } from './searchable-service';

/**
 * Keeps the service index and the service titles in autocomplete in step with the services'
 * change feed, like SearchFeed does for profiles. The feed carries no deletes, so after a
 * catch-up (at most every `deleteCheckMs`) the number of stored services is compared with the number seen; when they differ
 * (something was deleted), one scan of the ids drops what is gone. A service counts as public
 * only while it is published and its expert is in the expert index (public), checked when read.
 * When the words of an expert's published services change, `textChanged` is told their id
 * (expert search matches those words too).
 */
export class ServiceFeed {
  private readonly services = new ServiceIndex();
  /** Recent results by query, forgotten when a service changes or the expert index does (see search). */
  private readonly recent = new RecentResults<ServiceResults>();
  /** Every stored service seen, published or not, to notice deletes by count. */
  private readonly seen = new Set<string>();
  private readonly follower: ChangeFollower<ExpertService>;

  constructor(
    private readonly container: Container<ExpertService>,
    private readonly experts: ExpertIndex,
    private readonly autocomplete: AutocompleteIndex,
    maxStalenessMs = 2_000,
    /** How often to look for deletes: a count of the container, which a large one makes costly. */
    private readonly deleteCheckMs = 0,
    private readonly textChanged: (expertId: string) => void = () => {},
  ) {
    this.follower = new ChangeFollower(
      container,
      (service) => this.apply(service),
      maxStalenessMs,
      () => this.dropDeleted(),
    );
  }

  async fresh(): Promise<this> {
    await this.follower.fresh();
    return this;
  }

  /**
   * Published services of public experts that match the query. Recent results are remembered
   * until a service or an expert changes (an expert's visibility decides their services').
   */
  search(query: ServiceQuery): ServiceResults {
    return this.recent.get(JSON.stringify(query), () => this.services.search(query, (expertId) => this.experts.get(expertId)), this.experts.version);
  }

  /** Whether the public may see the service now: published, and its expert public. */
  isPublic(serviceId: string): boolean {
    const service = this.services.get(serviceId);
    return !!service && this.experts.get(service.expertId) !== undefined;
  }

  /** The titles and descriptions of the expert's published services. */
  textOf(expertId: string): string {
    return this.services
      .ofExpert(expertId)
      .map(({ title, description }) => `${title} ${description}`)
      .join(' ');
  }

  private apply(service: Stored<ExpertService>): void {
    this.seen.add(service.id);
    this.recent.clear();
    if (service.published) {
      const before = this.services.get(service.id);
      this.services.put(toSearchableService(service));
      if (before?.title !== service.title || before.description !== service.description) this.textChanged(service.expertId);
      // Its title is suggested; whether the public may see it is checked when suggesting (isPublic).
      this.autocomplete.put({ kind: 'service', ref: service.id, label: service.title });
    } else {
      this.forget(service.id);
    }
  }

  private forget(id: string): void {
    const expertId = this.services.get(id)?.expertId;
    if (expertId === undefined) return;
    this.recent.clear();
    this.textChanged(expertId);
    this.services.remove(id);
    this.autocomplete.remove('service', id);
  }

  private deletesCheckedAt = -Infinity;

  private async dropDeleted(): Promise<void> {
    if (performance.now() - this.deletesCheckedAt < this.deleteCheckMs) return;
    this.deletesCheckedAt = performance.now();
    if ((await this.container.count()) === this.seen.size) return;
    const stored = new Set<string>();
    let continuation: string | undefined;
    do {
      const page = await this.container.query({ limit: 1000, continuation });
      for (const service of page.items) stored.add(service.id);
      continuation = page.continuation ?? undefined;
    } while (continuation);
    for (const id of this.seen) {
      if (stored.has(id)) continue;
      this.seen.delete(id);
      this.forget(id);
    }
  }
}
