/**
 * One set of slots per code (a facet value), as bits: a filter such as "speaks Spanish or
 * Portuguese, in Mexico" becomes a few word-wide ORs and ANDs over the sets instead of a test
 * of every expert.
 */
export class SlotSets {
  private sets: Uint32Array[] = [];
  private words = 64;

  add(code: number, slot: number): void {
    this.ensureWords(slot);
    const set = (this.sets[code] ??= new Uint32Array(this.words));
    set[slot >>> 5]! |= 1 << (slot & 31);
  }

  delete(code: number, slot: number): void {
    const set = this.sets[code];
    if (set) set[slot >>> 5]! &= ~(1 << (slot & 31));
  }

  clear(): void {
    this.sets = [];
  }

  /** Slots in any of the codes' sets (a code never seen gives nothing). */
  union(codes: (number | undefined)[]): Uint32Array {
    const result = new Uint32Array(this.words);
    for (const code of codes) {
      const set = code === undefined ? undefined : this.sets[code];
      if (set) for (let word = 0; word < set.length; word++) result[word]! |= set[word]!;
    }
    return result;
  }

  /** Slots in every one of the codes' sets. */
  intersection(codes: (number | undefined)[]): Uint32Array {
    const result = this.union(codes.slice(0, 1));
    for (const code of codes.slice(1)) intersect(result, this.union([code]));
    return result;
  }

  private ensureWords(slot: number): void {
    const needed = (slot >>> 5) + 1;
    if (needed <= this.words) return;
    this.words = Math.max(needed, this.words * 2);
    this.sets = this.sets.map((set) => {
      const bigger = new Uint32Array(this.words);
      bigger.set(set);
      return bigger;
    });
  }
}

/** Keeps in `target` only the bits also in `other`. */
export function intersect(target: Uint32Array, other: Uint32Array): void {
  for (let word = 0; word < target.length; word++) target[word]! &= other[word] ?? 0;
}

export function hasSlot(set: Uint32Array, slot: number): boolean {
  return ((set[slot >>> 5] ?? 0) & (1 << (slot & 31))) !== 0;
}

/** Calls `visit` with every slot in the set, in order. */
export function forEachSlot(set: Uint32Array, visit: (slot: number) => void): void {
  for (let word = 0; word < set.length; word++) {
    let bits = set[word]!;
    while (bits !== 0) {
      const lowest = bits & -bits;
      visit(word * 32 + 31 - Math.clz32(lowest));
      bits ^= lowest;
    }
  }
}
