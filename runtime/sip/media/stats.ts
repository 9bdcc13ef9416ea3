// Inter-packet gap statistics, for the pacing tests and the 1,000-call benchmark.

export interface GapStats {
  count: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  stdMs: number;
}

/** Running mean / min / max / standard deviation of the gaps between successive marks. */
export class GapMeter {
  private last: number | null = null;
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  private min = Infinity;
  private max = 0;

  mark(nowMs: number): void {
    if (this.last !== null) {
      const gap = nowMs - this.last;
      this.n++;
      this.sum += gap;
      this.sumSq += gap * gap;
      if (gap < this.min) this.min = gap;
      if (gap > this.max) this.max = gap;
    }
    this.last = nowMs;
  }

  stats(): GapStats {
    const mean = this.n ? this.sum / this.n : 0;
    const variance = this.n ? Math.max(0, this.sumSq / this.n - mean * mean) : 0;
    return { count: this.n, meanMs: mean, minMs: this.n ? this.min : 0, maxMs: this.max, stdMs: Math.sqrt(variance) };
  }
}
