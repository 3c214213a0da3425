/**
 * A growable bit set of small integers: state caching keeps one per visited
 * state (the operations its subtree performed), so it has to be compact.
 */
export class Bits {
  private words: number[] = [];

  add(i: number): void {
    const w = i >>> 5;
    while (this.words.length <= w) this.words.push(0);
    this.words[w] = (this.words[w] as number) | (1 << (i & 31));
  }

  /** Adds every member of `other`. */
  union(other: Bits): void {
    const o = other.words;
    while (this.words.length < o.length) this.words.push(0);
    for (let i = 0; i < o.length; i++) this.words[i] = (this.words[i] as number) | (o[i] as number);
  }

  *[Symbol.iterator](): Generator<number> {
    for (let w = 0; w < this.words.length; w++) {
      let x = this.words[w] as number;
      while (x !== 0) {
        const low = x & -x;
        yield (w << 5) + (31 - Math.clz32(low));
        x ^= low;
      }
    }
  }
}
