import type { Container, Document, Stored } from '../../data/document-store';

/**
 * Follows one container's change feed for an in-memory projection: reads the changes since its
 * last position, at most every `maxStalenessMs` (callers share one catch-up in flight), so every
 * instance of the app converges without coordination. The first catch-up reads the whole feed.
 */
export class ChangeFollower<T extends Document> {
  private position: string | undefined;
  private refreshedAt = -Infinity;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly container: Container<T>,
    private readonly apply: (document: Stored<T>) => void,
    private readonly maxStalenessMs: number,
    /** Runs after each catch-up (for what the feed does not carry, such as deletes). */
    private readonly afterCatchUp: () => Promise<void> = async () => {},
  ) {}

  async fresh(): Promise<void> {
    if (performance.now() - this.refreshedAt > this.maxStalenessMs) {
      this.refreshing ??= this.catchUp().finally(() => (this.refreshing = undefined));
      await this.refreshing;
    }
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.container.changesSince(this.position, { limit: 1000 });
      for (const document of page.items) this.apply(document);
      this.position = page.continuation;
      if (page.items.length < 1000) break;
    }
    await this.afterCatchUp();
    this.refreshedAt = performance.now();
  }
}
