/** Vector clocks over thread ids, for happens-before between visible operations. */

export type VClock = number[];

export function join(into: VClock, other: VClock): void {
  for (let i = 0; i < other.length; i++) {
    const v = other[i] as number;
    if ((into[i] ?? 0) < v) into[i] = v;
  }
}

/** Whether the event stamped `c` by thread `tid` happened before a thread whose clock is `now`. */
export function happenedBefore(c: VClock, tid: number, now: VClock): boolean {
  return (c[tid] ?? 0) <= (now[tid] ?? 0);
}
