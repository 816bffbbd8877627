/** A binary min-heap of events by (tick, insertion order): same-tick events run in a fixed order. */
export class EventQueue<T> {
  private readonly heap: Array<{ tick: number; order: number; event: T }> = [];
  private order = 0;

  get size(): number {
    return this.heap.length;
  }

  push(tick: number, event: T): void {
    this.heap.push({ tick, order: this.order++, event });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peekTick(): number | undefined {
    return this.heap[0]?.tick;
  }

  pop(): { tick: number; event: T } | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.heap.length && this.less(left, smallest)) smallest = left;
        if (right < this.heap.length && this.less(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return { tick: top.tick, event: top.event };
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.tick < y.tick || (x.tick === y.tick && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!];
  }
}
