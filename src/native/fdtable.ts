/**
 * The scenario's view of fd numbers on the live kernel. The Node process has
 * fds of its own (libuv's epoll, eventfds, worker pipes …), so the numbers the
 * kernel hands out are not the ones the model hands out, and worker threads
 * open more fds while a run is going. The live executor therefore keeps a
 * *virtual* fd table: every fd a scenario op obtains gets the lowest free
 * virtual number — the kernel's own rule (alloc_fd), applied to the
 * scenario's fds only, starting from 0–2 (/dev/null, as the model's stdio).
 * Results are compared in virtual numbers; the real numbers only carry calls.
 *
 * The table lives in a SharedArrayBuffer so the threads of one process (the
 * setup thread and the worker threads) share it as they share the kernel's
 * fd table; a tiny spin lock guards allocation.
 */

/** Virtual fd numbers the table can hold (scenarios use a handful; 1000 stands for "never open"). */
export const VIRTUAL_FDS = 512;
/**
 * A virtual number with no open fd behind it is passed to the kernel as this
 * base plus the number: above any possible fd (fs.nr_open ≤ 2^30), so the
 * kernel answers EBADF exactly as for a closed number.
 */
export const UNMAPPED_BASE = 1 << 30;

const LOCK = 0;
const SLOTS = 1;

/** A virtual fd table, shareable with worker threads through its buffer. */
export class FdTable {
  readonly buffer: SharedArrayBuffer;
  private readonly words: Int32Array;

  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(4 * (SLOTS + VIRTUAL_FDS));
    this.words = new Int32Array(this.buffer);
  }

  private locked<T>(f: () => T): T {
    while (Atomics.compareExchange(this.words, LOCK, 0, 1) !== 0) Atomics.wait(this.words, LOCK, 1, 1);
    try {
      return f();
    } finally {
      Atomics.store(this.words, LOCK, 0);
      Atomics.notify(this.words, LOCK, 1);
    }
  }

  /** Binds the real fd `real` to the lowest free virtual number and returns it. */
  alloc(real: number): number {
    return this.locked(() => {
      for (let v = 0; v < VIRTUAL_FDS; v++) {
        if (Atomics.load(this.words, SLOTS + v) === 0) {
          Atomics.store(this.words, SLOTS + v, real + 1);
          return v;
        }
      }
      throw new Error(`live executor: more than ${VIRTUAL_FDS} scenario fds open`);
    });
  }

  /** Binds `real` to exactly `v` (a forked child's inherited fds keep their numbers). */
  bind(v: number, real: number): void {
    Atomics.store(this.words, SLOTS + v, real + 1);
  }

  /** The real fd behind virtual `v`, or null when `v` is not open. */
  lookup(v: number): number | null {
    if (!Number.isInteger(v) || v < 0 || v >= VIRTUAL_FDS) return null;
    const w = Atomics.load(this.words, SLOTS + v);
    return w === 0 ? null : w - 1;
  }

  /** The number to pass to the kernel for the scenario's fd `v` (negative numbers pass as they are). */
  toReal(v: number): number {
    if (v < 0) return v;
    return this.lookup(v) ?? UNMAPPED_BASE + v;
  }

  /**
   * Unbinds virtual `v` and returns the real fd that was behind it (null if
   * none). close() calls this *before* closing the real fd: the kernel frees
   * the number before the file's release runs, so a create racing with the
   * close that succeeds only after the release must find the number free.
   */
  take(v: number): number | null {
    if (!Number.isInteger(v) || v < 0 || v >= VIRTUAL_FDS) return null;
    const w = Atomics.exchange(this.words, SLOTS + v, 0);
    return w === 0 ? null : w - 1;
  }

  /** Every open virtual fd with its real fd, ascending. */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let v = 0; v < VIRTUAL_FDS; v++) {
      const w = Atomics.load(this.words, SLOTS + v);
      if (w !== 0) out.push([v, w - 1]);
    }
    return out;
  }
}
