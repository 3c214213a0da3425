/**
 * Plain exhaustive depth-first search over choice points: every interleaving of
 * visible operations, with no reduction. The oracle the reducing strategies are
 * tested against; intractable beyond small programs.
 *
 * With a preemption bound (CHESS's iterative context bounding) it explores
 * only the schedules that switch away from a thread that could have gone on
 * at most `bound` times — few enough to search exhaustively, and the bugs
 * they contain come with the shortest explanations.
 *
 * With state caching a state already explored from is not explored again
 * (stateful search): no reduction of interleavings, so its only shortcut is
 * the fingerprint's — the independent yardstick for dpor's on scenarios too
 * large for plain dfs. Checkers that summarise subtrees (Checker.subtree)
 * keep a summary per state, as with dpor: a revisit whose path and summary
 * together show a finding not reported yet explores the state again.
 */
import type { SubtreeSummaries } from '../check/checker.js';
import type { Execution } from '../rt/execution.js';
import type { Thread } from '../rt/thread.js';
import { preferenceOrder, type Strategy } from './strategy.js';

interface Branch {
  /** Thread ids in the order they are tried. */
  readonly options: readonly number[];
  index: number;
  /** Preemptions on the path before this choice. */
  readonly before: number;
  /** Whether the thread that ran last could go on here (choosing another is a preemption). */
  readonly lastEnabled: boolean;
  /** With state caching: the state's fingerprint. */
  readonly key: string | null;
  /** The step this choice is made before. */
  readonly step: number;
  /** With state caching: the checkers' summaries of what was explored from here (Checker.subtree). */
  readonly future: unknown[] | null;
}

export class DfsStrategy implements Strategy {
  readonly name = 'dfs';
  readonly exhaustive: boolean;
  /** Preemptions on the current path so far. */
  private preemptions = 0;

  readonly fingerprints: boolean;
  /** States whose every continuation has been explored, with the checkers' summaries of them. */
  private readonly explored = new Map<string, readonly unknown[]>();
  private exec: Execution | null = null;
  private summaries: readonly SubtreeSummaries[] = [];
  revisited = false;

  /**
   * @param preemptionBound - at most this many preemptions per schedule (default: unbounded).
   * @param cache - state caching: do not explore again from a state already explored from.
   */
  constructor(
    private readonly preemptionBound = Number.POSITIVE_INFINITY,
    cache = false,
  ) {
    // A bounded search covers every interleaving only when the bound does not bind.
    this.exhaustive = preemptionBound === Number.POSITIVE_INFINITY;
    // A state's continuations under a preemption bound depend on the preemptions spent to get there.
    this.fingerprints = cache && this.exhaustive;
  }

  summarisers(s: readonly SubtreeSummaries[]): void {
    this.summaries = s;
  }

  /** Distinct states explored from (with state caching). */
  get states(): number {
    return this.explored.size;
  }

  private readonly stack: Branch[] = [];
  private pos = 0;
  private started = false;
  exhausted = false;

  nextExecution(): boolean {
    this.pos = 0;
    this.preemptions = 0;
    this.revisited = false;
    if (!this.started) {
      this.started = true;
      return true;
    }
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1] as Branch;
      top.index++;
      if (top.index < top.options.length) return true;
      // Remembered only once every continuation is explored: a state met again on its own subtree
      // (a cycle) is explored on.
      this.stack.pop();
      if (top.key !== null && top.future !== null) {
        this.explored.set(top.key, this.summaries.map((s, j) => s.keep((top.future as unknown[])[j])));
        this.lift(top.step, top.future);
      }
    }
    this.exhausted = true;
    return false;
  }

  stepped(exec: Execution): void {
    this.exec = exec;
  }

  /** What the steps since the last choice did, for its summaries (with state caching). */
  ended(exec: Execution): void {
    if (this.fingerprints) this.lift(exec.steps, null);
  }

  /** To the summaries of the last choice on the stack before step `to`: the steps since, and `below` seen from there. */
  private lift(to: number, below: readonly unknown[] | null): void {
    const at = this.stack.findLast((b) => b.step < to);
    const into = at?.future;
    if (at === undefined || into === undefined || into === null) return;
    this.summaries.forEach((s, j) => s.lift(at.step, to, below === null ? null : below[j], into[j]));
  }

  pick(enabled: readonly Thread[], last: Thread | null): Thread | null {
    let branch = this.stack[this.pos];
    if (branch === undefined) {
      const key = this.fingerprints && this.exec !== null ? this.exec.fingerprint() : null;
      const seen = key === null ? undefined : this.explored.get(key);
      // Explored before, unless this path and that subtree show a finding together that no execution has shown.
      if (seen !== undefined && !this.summaries.map((s, j) => s.revisit(seen[j])).includes(true)) {
        this.revisited = true;
        this.lift(this.exec?.steps ?? 0, seen);
        return null;
      }
      const lastEnabled = last !== null && enabled.includes(last);
      let options = preferenceOrder(enabled, last).map((t) => t.id);
      // Out of preemptions: only the running thread may go on.
      if (lastEnabled && this.preemptions >= this.preemptionBound) options = options.slice(0, 1);
      const step = this.exec?.steps ?? 0;
      branch = { options, index: 0, before: this.preemptions, lastEnabled, key, step, future: key === null ? null : this.summaries.map((s) => s.empty()) };
      this.stack.push(branch);
    }
    this.pos++;
    // preferenceOrder puts the running thread first: any later option preempts it.
    this.preemptions = branch.before + (branch.lastEnabled && branch.index > 0 ? 1 : 0);
    const id = branch.options[branch.index];
    const t = enabled.find((e) => e.id === id);
    if (t === undefined) throw new Error('internal: dfs replay diverged (the program is not deterministic)');
    return t;
  }
}
