/**
 * Spreading leads: among suggestions whose scores are near-ties, the experts suggested less often
 * recently come first, so the same few do not take every lead. Exposure is counted per app
 * instance, in memory, and decays by half every `halfLifeMs` (a day by default) — instances need
 * not agree, since it only breaks near-ties. Never reorders across a clear score gap: a band is
 * the run of suggestions within `tolerance` (3%) of the band's first score.
 */
export class ExposureCounter {
  private readonly entries = new Map<string, { value: number; at: number }>();

  constructor(private readonly halfLifeMs = 86_400_000) {}

  /** Recent suggestions of the expert, decayed to `now`. */
  exposure(id: string, now: number): number {
    const entry = this.entries.get(id);
    return entry ? entry.value * 0.5 ** ((now - entry.at) / this.halfLifeMs) : 0;
  }

  record(ids: Iterable<string>, now: number): void {
    for (const id of ids) this.entries.set(id, { value: this.exposure(id, now) + 1, at: now });
  }
}

export const NEAR_TIE = 0.03;

/** Reorders near-ties by exposure, least exposed first; the input must be sorted by score, best first. */
export function spreadFairly<T extends { id: string; score: number }>(ranked: T[], exposureOf: (id: string) => number, tolerance = NEAR_TIE): T[] {
  const result: T[] = [];
  for (let start = 0; start < ranked.length; ) {
    const floor = ranked[start]!.score * (1 - tolerance);
    let end = start + 1;
    while (end < ranked.length && ranked[end]!.score >= floor) end++;
    const band = ranked.slice(start, end).map((item, order) => ({ item, order, exposure: exposureOf(item.id) }));
    // Stable: equal exposure keeps the score order.
    band.sort((a, b) => a.exposure - b.exposure || a.order - b.order);
    result.push(...band.map(({ item }) => item));
    start = end;
  }
  return result;
}
