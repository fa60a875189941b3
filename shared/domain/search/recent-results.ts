/**
 * The results of the last `capacity` distinct queries, least recently used dropped first, for
 * as long as the data they were worked out from has not changed: popular searches (a
 * specialization page, a common word) are answered without a scan, and never staler than the
 * index itself. Results are shared with later identical queries: read them, do not change them.
 */
export class RecentResults<T> {
  private readonly entries = new Map<string, T>();
  private version: unknown;

  constructor(private readonly capacity = 500) {}

  /** The remembered results for `key`, or `run`'s; `version` names the data's state (a change forgets everything). */
  get(key: string, run: () => T, version?: unknown): T {
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const remembered = this.entries.get(key);
    if (remembered !== undefined) {
      // Most recently used last, so the oldest is dropped first.
      this.entries.delete(key);
      this.entries.set(key, remembered);
      return remembered;
    }
    const results = run();
    this.entries.set(key, results);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return results;
  }

  clear(): void {
    this.entries.clear();
  }
}
