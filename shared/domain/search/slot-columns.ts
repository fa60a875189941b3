/**
 * Per slot, the numbers that sorts and range filters read and the facet codes counted for each
 * match, in flat typed arrays: a scan over tens of thousands of experts then reads memory in
 * order instead of chasing one object per expert (measured: about three times faster).
 * Slots are written in ascending order (new ones at the end, all of them again after a
 * compaction), so the codes are appended to one pool.
 */
export class SlotColumns<N extends string> {
  private readonly stride: number;
  private readonly offsets: Record<N, number>;
  private numbers = new Float64Array(0);
  private codeStart = new Uint32Array(0);
  private codeCount = new Uint16Array(0);
  private pool = new Uint32Array(1024);
  private poolLength = 0;

  constructor(names: readonly N[]) {
    this.stride = names.length;
    this.offsets = Object.fromEntries(names.map((name, at) => [name, at])) as Record<N, number>;
  }

  write(slot: number, numbers: Record<N, number>, codes: Uint32Array): void {
    this.ensureSlots(slot + 1);
    for (const name in this.offsets) this.numbers[slot * this.stride + this.offsets[name]]! = numbers[name];
    if (this.poolLength + codes.length > this.pool.length) {
      const bigger = new Uint32Array(Math.max(this.pool.length * 2, this.poolLength + codes.length));
      bigger.set(this.pool);
      this.pool = bigger;
    }
    this.pool.set(codes, this.poolLength);
    this.codeStart[slot] = this.poolLength;
    this.codeCount[slot] = codes.length;
    this.poolLength += codes.length;
  }

  /** Forgets every slot (before rewriting them all after a compaction). */
  reset(): void {
    this.poolLength = 0;
  }

  number(slot: number, name: N): number {
    return this.numbers[slot * this.stride + this.offsets[name]]!;
  }

  /** Adds one to `counts` at each of the slot's codes. */
  countCodes(slot: number, counts: Int32Array): void {
    const end = this.codeStart[slot]! + this.codeCount[slot]!;
    for (let at = this.codeStart[slot]!; at < end; at++) counts[this.pool[at]!]! += 1;
  }

  private ensureSlots(slots: number): void {
    if (slots <= this.codeStart.length) return;
    const size = Math.max(slots, this.codeStart.length * 2, 1024);
    const numbers = new Float64Array(size * this.stride);
    numbers.set(this.numbers);
    this.numbers = numbers;
    const codeStart = new Uint32Array(size);
    codeStart.set(this.codeStart);
    this.codeStart = codeStart;
    const codeCount = new Uint16Array(size);
    codeCount.set(this.codeCount);
    this.codeCount = codeCount;
  }
}
