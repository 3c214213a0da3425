/**
 * Exhaustive search with dynamic partial-order reduction (optimal DPOR:
 * source sets, sleep sets and wakeup trees, Abdulla et al., POPL'14): only
 * interleavings that reorder dependent operations are explored, one per
 * Mazurkiewicz trace. After each step the strategy finds the earlier
 * operations of other threads that race with it (dependent, not ordered by
 * happens-before). For a race (e, e′) it takes v = the operations after e
 * that do not happen after it, followed by e′, and unless a thread asleep or
 * done at the state just before e already covers v, inserts v into that
 * state's wakeup tree (wakeup.ts), to be replayed from there. Sleep sets
 * prune the orders already covered by a sibling.
 *
 * With state caching or a split tree it falls back to source sets (see
 * `optimal`): a race then only makes sure that some *initial* of v (a thread
 * whose first operation in v depends on nothing earlier in v) is tried, and
 * an execution whose every enabled thread is asleep is abandoned as
 * redundant.
 *
 * Lock acquires race with the previous acquire of the same lock, judged on
 * the acquirer's clock before it synchronises with the release: that is what
 * lets the explorer try the other thread first. A trylock's answer depends on
 * the release too: a successful one races with the last release, a release
 * with the trylocks that failed before it.
 *
 * With state caching, a state reached again (same fingerprint: objects,
 * locks, counters, what every thread observed) is not explored again: its
 * subtree was. What the earlier visit could not know is how the operations of
 * that subtree race with *this* path's operations, so each visited state keeps
 * the operations its subtree performed (a summary, Yang et al., SPIN'08), and
 * a revisit treats each as a possible next operation of its thread: for any
 * path operation it could race with, an initial of the reversal's part on
 * this path gets tried at that operation's state (the subtree's part comes
 * after it, so those initials are initials of the whole reversal); when this
 * path has no part in it, every thread is. The earlier visit explored every
 * enabled thread but those it left asleep: a revisit explores only the ones
 * it left asleep and this one does not, and is abandoned if there are none.
 *
 * With symmetry (rt/symmetry.ts) a state's fingerprint is its canonical
 * image's, so a state is also met again as any renaming of interchangeable
 * threads: what a visit leaves (sleep set, summary) is kept in the image's
 * names and read back through the revisiting state's own renaming.
 *
 * Checkers whose verdicts depend on the past (data races: an access on this
 * path against one in a cached subtree) keep summaries of their own beside
 * dpor's (Checker.subtree), only at named states: what the steps from one
 * named state to the next did is added to the first when the second is
 * finished (or the execution ends), with the second's summary lifted across
 * them. A revisit whose path and summary together show a finding not
 * reported yet explores the state again, so the checker sees it happen.
 */
import type { SubtreeSummaries } from '../check/checker.js';
import type { Execution } from '../rt/execution.js';
import { Bits } from './bits.js';
import { StateCache } from './cache.js';
import { META } from '../rt/object.js';
import type { Visible } from '../rt/ops.js';
import type { Perm, Symmetry } from '../rt/symmetry.js';
import type { Thread } from '../rt/thread.js';
import { happenedBefore, join, type VClock } from './clock.js';
import { racing, record, synchronise, type Event, type ObjState } from './history.js';
import { classify, onPath, settle, type Balances } from './counters.js';
import { dependentAll, isBlindAdd, opSigs, ordinary, type OpSig } from './independence.js';
import { Dealer, type Split } from './split.js';
import { preferenceOrder, type Strategy } from './strategy.js';
import { leaf, reverseRace, type Node } from './reversal.js';
import type { Branch } from './wakeup.js';

export interface DporOptions {
  /**
   * Guidance: threads for which it returns true are tried first at every new
   * state (a directed search still explores the same tree, it only reaches
   * some executions sooner).
   */
  readonly prefer?: (t: Thread) => boolean;
  /**
   * Explore only this shard's share of the tree: the first `split.depth`
   * branching points are explored in full (every awake thread), and the
   * subtrees below them are dealt round-robin to the shards.
   */
  readonly split?: Split;
  /** State caching: do not explore again from a state already explored. */
  readonly cache?: boolean;
  /**
   * With state caching: interchangeable threads (rt/symmetry.ts). A state is
   * not explored again from any renaming of it either.
   */
  readonly symmetry?: Symmetry | null;
  /**
   * Commuting atomics (counters.ts): blind adds of one counter that commute
   * in every equivalent execution are left in either order. Default off.
   */
  readonly commute?: boolean;
}

export class DporStrategy implements Strategy {
  readonly name = 'dpor';
  readonly exhaustive = true;
  readonly everyStep = true;
  exhausted = false;
  private path: Node[] = [];
  private started = false;
  private depth = 0;
  // Per-execution happens-before state.
  private clocks: VClock[] = [];
  private objs = new Map<number, ObjState>();
  /** Per counter, each thread's balance of blind adds (counters.ts). */
  private balances: Balances = new Map();
  private threadsSeen = 0;
  /** The operations of this execution, one per step. */
  private events: Event[] = [];
  /** With a split: this shard's side of it. */
  private readonly dealer: Dealer | null;
  // State caching.
  private readonly prefer: ((t: Thread) => boolean) | undefined;
  private readonly cache: boolean;
  /**
   * Wakeup trees (optimal DPOR) — only where every race is reversed with its
   * whole sequence in one tree: a cached subtree's races name a thread, not a
   * sequence, and a split tree's top is expanded in full in every shard
   * without the sequences its other shards find. There it is source sets.
   */
  private readonly optimal: boolean;
  private readonly commute: boolean;
  readonly fingerprints: boolean;
  readonly symmetry: Symmetry | null;
  private readonly cached: StateCache;
  private exec: Execution | null = null;
  /** With state caching: the checkers that summarise subtrees (Checker.subtree). */
  private summaries: readonly SubtreeSummaries[] = [];
  /** Counter updates run, and those classified as commuting (counters.ts), over the whole exploration. */
  private counted = { updates: 0, commuted: 0 };
  /** Revisits pruned by the cache. */
  cacheHits = 0;
  revisited = false;
  /** The wakeup subtree the next new node replays (the branch just chosen below the backtrack point). */
  private follow: Branch[] | null = null;

  /** With commuting atomics: the counter updates run so far, and those left unordered with each other. */
  get commuting(): { updates: number; commuted: number } | undefined {
    return this.commute ? this.counted : undefined;
  }

  /** Distinct states explored from (with state caching). */
  get states(): number {
    return this.cached.size;
  }

  /**
   * @param prefer - optional guidance: threads for which it returns true are
   * tried first at every new state (a directed search still explores the same
   * tree, it only reaches some executions sooner).
   */
  constructor(opts: DporOptions = {}) {
    this.prefer = opts.prefer;
    this.dealer = opts.split === undefined ? null : new Dealer(opts.split);
    // A split tree must be the same in every shard: shards cannot share a cache.
    this.cache = opts.cache === true && opts.split === undefined;
    this.fingerprints = this.cache;
    this.symmetry = this.cache ? (opts.symmetry ?? null) : null;
    this.cached = new StateCache(this.symmetry);
    this.optimal = !this.cache && opts.split === undefined;
    this.commute = opts.commute === true;
  }

  /** The signatures of `t`'s pending operation, were it to run now. */
  private sigsOf(t: Thread): OpSig[] {
    const op = t.pending as Visible;
    if (!this.commute || op.kind !== 'counter') return opSigs(op);
    return classify(op, t.id, this.clockOf(t), this.objs.get(op.counter[META].id), this.balances);
  }

  summarisers(s: readonly SubtreeSummaries[]): void {
    this.summaries = s;
  }

  /** Whether the current execution was abandoned because another shard owns its subtree. */
  get skipped(): boolean {
    return this.dealer?.skipped ?? false;
  }

  /** The split subtree the current execution belongs to (-1 when not splitting). */
  get subtree(): number {
    return this.dealer?.subtree ?? -1;
  }

  nextExecution(): boolean {
    this.depth = 0;
    this.clocks = [];
    this.objs = new Map();
    this.balances = new Map();
    this.threadsSeen = 0;
    this.events = [];
    this.dealer?.restart();
    this.revisited = false;
    this.follow = null;
    if (!this.started) {
      this.started = true;
      return true;
    }
    for (let i = this.path.length - 1; i >= 0; i--) {
      const n = this.path[i] as Node;
      n.done.add(n.chosen);
      // The wakeup tree's next branch: its thread runs, its subtree is replayed after it.
      const next = n.wut.find((b) => n.enabled.includes(b.tid) && !n.done.has(b.tid) && !n.sleep.has(b.tid) && n.prior?.explored.has(b.tid) !== true);
      if (next === undefined) {
        this.finish(i);
        continue;
      }
      this.path.length = i + 1;
      n.chosen = next.tid;
      this.follow = next.sub;
      this.dealer?.chose(n.top);
      return true;
    }
    this.path = [];
    this.exhausted = true;
    return false;
  }

  /** Node `i` is fully explored: remember its state, and hand its summary to its parent. */
  private finish(i: number): void {
    const n = this.path[i] as Node;
    if (n.summary === null) return;
    this.path[i - 1]?.summary?.union(n.summary);
    if (n.future !== null) this.lift(i, n.future);
    if (n.key === null) return;
    // After a visit that went on from an earlier one, what is left unexplored is what both left asleep.
    const asleep = [...n.sleep].map((q) => this.nameOf(q)).filter((q) => n.prior === null || n.prior.asleep.has(q));
    this.cached.remember(n.key, asleep, n.summary, n.perm, n.future ?? [], this.summaries);
  }

  /**
   * To the checkers' summaries of the last named state before step `to`: what
   * the steps from it up to `to` did, and `below` (summaries of the state
   * before step `to`) seen from there.
   */
  private lift(to: number, below: readonly unknown[] | null): void {
    let from = to - 1;
    while (from >= 0 && (this.path[from] as Node).future === null) from--;
    const into = this.path[from]?.future;
    if (into === undefined || into === null) return;
    this.summaries.forEach((s, j) => s.lift(from, to, below === null ? null : below[j], into[j]));
  }

  /**
   * How much of the tree is done, as far as it is known: each node's finished
   * alternatives weighed by the share of the tree they stand for. Backtrack
   * points not found yet make it optimistic; it is an estimate.
   */
  progress(): number {
    let f = 0;
    let w = 1;
    for (const n of this.path) {
      let all = 0;
      let finished = 0;
      for (const { tid: t } of n.wut) {
        if (n.sleep.has(t)) continue;
        all++;
        if ((n.done.has(t) && t !== n.chosen) || n.prior?.explored.has(t) === true) finished++;
      }
      all = Math.max(all, 1);
      f += (w * finished) / all;
      w /= all;
    }
    return f;
  }

  private nameOf(tid: number): string {
    return this.exec?.threads[tid]?.name ?? `#${tid}`;
  }

  pick(enabled: readonly Thread[], last: Thread | null): Thread | null {
    const k = this.depth++;
    const old = this.path[k];
    if (old !== undefined) {
      const t = enabled.find((e) => e.id === old.chosen);
      if (t === undefined) throw new Error('internal: dpor replay diverged (the program is not deterministic)');
      this.dealer?.passed(old.top);
      return this.dealer?.abandonAt(old.top) === true ? null : t;
    }
    const parent = this.path[k - 1];
    const sleep = new Set<number>();
    if (parent !== undefined) {
      // A sleeping thread stays asleep across what it is independent of whatever its counter holds
      // (independence.ts `ordinary`): two blind adds that commute where they ran need not commute
      // where the sleeper's covering branch would meet them.
      const ran = ordinary(parent.next.get(parent.chosen) as readonly OpSig[]);
      for (const q of [...parent.sleep, ...parent.done]) {
        const op = parent.next.get(q);
        if (q !== parent.chosen && op !== undefined && !dependentAll(ordinary(op), ran)) sleep.add(q);
      }
    }
    // States are named, remembered and matched only where there is a choice: a revisit through a forced
    // stretch is caught where the stretch ends, and naming a state is the costly part of caching.
    // A state explored before is covered (abandon), or covered but for the threads the earlier visit
    // left asleep and this one does not (explore only those).
    const choice = enabled.filter((t) => !sleep.has(t.id)).length > 1;
    const key = this.cache && this.exec !== null && choice ? this.exec.fingerprint() : null;
    const perm = key === null ? null : (this.exec?.renaming ?? null);
    const prior = key === null ? null : this.revisit(key, enabled, sleep, perm);
    if (prior === 'covered') {
      this.revisited = true;
      return null;
    }
    let awake = preferenceOrder(enabled, last).filter((t) => !sleep.has(t.id) && prior?.explored.has(t.id) !== true);
    const prefer = this.prefer;
    if (prefer !== undefined) awake = [...awake.filter((t) => prefer(t)), ...awake.filter((t) => !prefer(t))];
    // A wakeup subtree handed down by the parent's branch is replayed first. Its branches were
    // cut from executions of this same prefix, so their threads are enabled and awake here.
    const follow = (this.follow ?? []).filter((b) => awake.some((t) => t.id === b.tid));
    this.follow = follow[0]?.sub ?? null;
    const chosen = follow.length > 0 ? enabled.find((t) => t.id === (follow[0] as Branch).tid) : awake[0];
    if (chosen === undefined) return null;
    // Above the split frontier every awake thread is tried: the shards then agree on the tree's top without talking.
    const top = this.dealer?.topOf(awake.length) ?? -1;
    const next = new Map(enabled.map((t) => [t.id, this.sigsOf(t)]));
    const wut: Branch[] = follow.length > 0 ? follow : [leaf(chosen.id, next)];
    if (top >= 0) for (const t of awake) if (!wut.some((b) => b.tid === t.id)) wut.push(leaf(t.id, next));
    // What the earlier visit explored counts as branches here (a race naming one of them is covered).
    if (prior !== null) for (const q of prior.explored) if (!wut.some((b) => b.tid === q)) wut.push(leaf(q, next));
    const node: Node = {
      enabled: enabled.map((t) => t.id),
      next,
      chosen: chosen.id,
      wut,
      done: new Set(),
      sleep,
      prior: prior === null ? null : { explored: prior.explored, asleep: prior.asleep },
      top,
      key,
      summary: this.cache ? (prior?.summary ?? new Bits()) : null,
      // Only named states keep the checkers' summaries: nothing else is remembered or looked up.
      future: key !== null ? this.summaries.map((s, j) => (prior === null ? s.empty() : s.copy(prior.future[j]))) : null,
      perm,
    };
    this.path.push(node);
    this.dealer?.chose(top);
    return this.dealer?.abandonAt(top) === true ? null : chosen;
  }

  /**
   * Threads the program's start spawned know nothing yet, whoever spawned
   * them (their spawner's clock is empty too): set apart from the threads a
   * step spawns, which start from their spawner's clock after that step.
   */
  begun(exec: Execution): void {
    this.threadsSeen = exec.threads.length;
  }

  /** Called after every step with the operation `t` performed. */
  stepped(exec: Execution, t: Thread, op: Visible): void {
    const step = this.depth - 1;
    const clock = this.clockOf(t);
    const success = op.kind !== 'trylock' || op.lock.owner === t;
    // As classified when it was chosen (counters.ts): the state before it ran.
    const sigs = this.path[step]?.next.get(t.id) ?? opSigs(op);
    const touched = sigs.map((sig) => {
      const st = this.state(sig.obj);
      return { sig, st, racers: racing(st, sig, success) };
    });
    // Races are judged on the clock before this operation synchronises with anything.
    const races: Event[] = [];
    for (const { racers } of touched) {
      for (const e of racers) {
        if (e.tid !== t.id && !happenedBefore(e.clock, e.tid, clock)) races.push(e);
      }
    }
    for (const { sig, st, racers } of touched) synchronise(clock, sig, st, racers);
    clock[t.id] = (clock[t.id] ?? 0) + 1;
    const ev: Event = { step, tid: t.id, clock: clock.slice(), sigs: touched.map((x) => x.sig) };
    this.events.push(ev);
    for (const e of races) this.reverse(e, ev);
    for (const { sig, st } of touched) record(st, sig, ev, success);
    settle(this.balances, t.id, sigs);
    if (op.kind === 'counter' && op.op !== 'read') {
      this.counted.updates++;
      if (sigs.some(isBlindAdd)) this.counted.commuted++;
    }
    // Threads spawned by this step start from the spawner's clock.
    for (let i = this.threadsSeen; i < exec.threads.length; i++) {
      const child = exec.threads[i] as Thread;
      if (this.clocks[child.id] === undefined) this.clocks[child.id] = child.parent === null ? [] : this.clockOf(child.parent).slice();
    }
    this.threadsSeen = exec.threads.length;
    if (this.cache) {
      this.exec = exec;
      const sum = this.path[step]?.summary;
      if (sum !== undefined && sum !== null) for (const { sig } of touched) sum.add(this.opId(t.name, exec, sig));
    }
  }

  private opId(thread: string, exec: Execution, sig: OpSig): number {
    return this.cached.opId(thread, exec.objects[sig.obj]?.sid ?? `#${sig.obj}`, sig.kind, sig.margin);
  }

  /**
   * A new state: if it was explored before, this path's operations get
   * reversed against what its subtree did. If that visit left asleep no
   * thread awake here it covered this one ('covered'); else it explored
   * every thread but those, and only they are left to explore from here.
   */
  private revisit(
    key: string,
    enabled: readonly Thread[],
    sleep: ReadonlySet<number>,
    perm: Perm | null,
  ): 'covered' | { explored: Set<number>; asleep: Set<string>; summary: Bits; future: readonly unknown[] } | null {
    const exec = this.exec;
    if (exec === null) return null;
    // Named as this state names things (the cache renames from the canonical image's names).
    const seen = this.cached.lookup(key, perm, this.summaries);
    if (seen === undefined) return null;
    // This path and the subtree show a finding together that no execution has shown yet: explore it
    // again (as a new state), and the checker sees it happen.
    if (this.summaries.map((s, j) => s.revisit(seen.future[j])).includes(true)) return null;
    const summary = seen.summary;
    const byName = new Map(exec.threads.map((t) => [t.name, t.id]));
    const bySid = new Map(exec.objects.map((m) => [m.sid, m.id]));
    for (const op of this.cached.opsOf(summary)) {
      const obj = bySid.get(op.sid);
      const st = obj === undefined ? undefined : this.objs.get(obj);
      // An object no operation of this path touched cannot race with it.
      if (st === undefined) continue;
      const tid = byName.get(op.thread);
      // A thread not yet spawned here: assume it knows nothing (more races, never fewer).
      const clock = tid === undefined ? [] : this.clockOf(exec.threads[tid] as Thread);
      const sig = onPath({ obj: obj as number, kind: op.kind, ...(op.margin === undefined ? {} : { margin: op.margin }) }, tid, clock, st);
      for (const e of racing(st, sig, true)) {
        if (e.tid === tid || happenedBefore(e.clock, e.tid, clock)) continue;
        // The initials of this path's part of the reversal are initials of the whole of it (the
        // subtree's part comes after): one of them is enough, as for any race.
        this.reverse(e, null);
      }
    }
    const asleep = new Set(seen.sleep);
    const covered = enabled.every((t) => sleep.has(t.id) || !asleep.has(t.name));
    if (covered) {
      this.cacheHits++;
      // The subtree's operations are now this path's too.
      this.path[this.path.length - 1]?.summary?.union(summary);
      this.lift(this.path.length, seen.future);
      return 'covered';
    }
    const explored = new Set(enabled.filter((t) => !asleep.has(t.name)).map((t) => t.id));
    const mine = new Bits();
    mine.union(summary);
    return { explored, asleep, summary: mine, future: seen.future };
  }

  /** At the end of an execution: the operations that never ran (blocked threads) race too. */
  ended(exec: Execution): void {
    // Another shard's execution (or one that ended above the frontier in another shard's subtree): not ours.
    if (this.dealer !== null && this.dealer.ended()) return;
    // What the steps since the last named state did (the stretch no named state below it closes; a
    // checker tells a finished execution from one cut short by its status).
    if (this.cache) this.lift(exec.steps, null);
    // Operations that never ran are part of what the subtree could do.
    const last = this.path[this.path.length - 1]?.summary;
    if (this.cache && last !== undefined && last !== null) {
      for (const t of exec.threads) if (t.state !== 'done' && t.pending !== null) for (const sig of this.sigsOf(t)) last.add(this.opId(t.name, exec, sig));
    }
    for (const t of exec.threads) {
      if (t.state === 'done' || t.pending === null) continue;
      const clock = this.clockOf(t).slice();
      const races: Event[] = [];
      const sigs = this.sigsOf(t);
      for (const sig of sigs) {
        for (const e of racing(this.state(sig.obj), sig, true)) {
          if (e.tid !== t.id && !happenedBefore(e.clock, e.tid, clock)) races.push(e);
        }
      }
      for (const e of races) join(clock, e.clock);
      clock[t.id] = (clock[t.id] ?? 0) + 1;
      const virtual: Event = { step: this.events.length, tid: t.id, clock, sigs };
      for (const e of races) this.reverse(e, virtual);
    }
  }

  /** Race (e, later): its reversal is explored from the state before e (reversal.ts). */
  private reverse(e: Event, later: Event | null): void {
    const node = this.path[e.step];
    if (node !== undefined) reverseRace(node, this.events, e, later, this.optimal);
  }

  private clockOf(t: Thread): VClock {
    let c = this.clocks[t.id];
    if (c === undefined) {
      c = [];
      this.clocks[t.id] = c;
    }
    return c;
  }

  private state(obj: number): ObjState {
    let st = this.objs.get(obj);
    if (st === undefined) {
      st = { lastWrite: null, reads: [], incs: [], lastDec: null, cdecs: [], lastAcquire: null, lastRelease: null, failedTries: [] };
      this.objs.set(obj, st);
    }
    return st;
  }
}

