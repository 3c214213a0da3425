/**
 * Brute-force Mazurkiewicz-trace counting: the yardstick for dpor. Plain dfs
 * enumerates every interleaving of a program; each complete execution is
 * reduced to a canonical key of its trace under the explorer's own dependence
 * relation (src/explore/independence.ts), and distinct keys are counted. An
 * optimal explorer runs exactly one execution per trace, so dpor's executions
 * divided by this count measures how far it is from optimal.
 *
 * The canonical key is the Foata normal form: each event gets a level, one
 * more than the highest level of the events it depends on (its thread's
 * previous event and every earlier dependent event of another thread); the
 * key lists, level by level, the sorted labels of the events at that level.
 * Two executions have the same key exactly when they order every pair of
 * dependent events the same way, i.e. when they are the same trace. It costs
 * O(events) space per key, where the list of ordered dependent pairs would
 * cost O(events²) — which matters with hundreds of thousands of keys.
 *
 * Generic: it knows threads and the operations' object signatures, nothing of
 * the kernel model.
 */
import { DfsStrategy } from '../src/explore/dfs.js';
import { explore } from '../src/explore/explore.js';
import { dependent, opSigs, type OpSig } from '../src/explore/independence.js';
import type { Strategy } from '../src/explore/strategy.js';
import type { Execution, Program } from '../src/rt/execution.js';
import type { Visible } from '../src/rt/ops.js';
import type { Thread } from '../src/rt/thread.js';

/** What {@link countTraces} found. */
export interface TraceCount {
  /** Distinct Mazurkiewicz traces among the complete executions. */
  readonly traces: number;
  /** Executions dfs ran to their end (every interleaving, when `complete`). */
  readonly interleavings: number;
  /** Whether dfs enumerated every interleaving within the execution cap. */
  readonly complete: boolean;
}

/** What {@link collectTraces} found under one strategy. */
export interface TraceCoverage {
  /** The canonical key of every trace some non-pruned execution belongs to. */
  readonly keys: ReadonlySet<string>;
  /** Executions explored, pruned ones included. */
  readonly executions: number;
  /** Executions the strategy abandoned as redundant (they belong to no trace). */
  readonly pruned: number;
  /** Whether the strategy finished within the execution cap. */
  readonly complete: boolean;
}

/** One access of an object by an event already placed at `level`. */
interface Access {
  readonly thread: string;
  readonly sig: OpSig;
  readonly level: number;
}

// One letter per access kind keeps keys short (there may be 10⁵ of them).
const KIND = { read: 'r', write: 'w', acquire: 'a', release: 'u', trylock: 't', inc: '+', dec: '-', cdec: '~' } as const;

/**
 * Computes the Foata normal form of the running execution, one step at a
 * time. Events are labelled by thread name (stable across schedules, unlike
 * thread ids of threads spawned mid-execution) and the objects they touch:
 * an event's index in its thread is implied, because a thread's events sit
 * on strictly increasing levels.
 */
class FoataBuilder {
  private readonly levels: string[][] = [];
  private readonly threadLevel = new Map<string, number>();
  private readonly byObj = new Map<number, Access[]>();

  add(thread: string, sigs: readonly OpSig[]): void {
    // Levels are 0-based: an event with no predecessor sits at level 0.
    const prev = this.threadLevel.get(thread);
    let level = prev === undefined ? 0 : prev + 1;
    for (const sig of sigs) {
      for (const a of this.byObj.get(sig.obj) ?? []) {
        // Program order already covers the thread's own events.
        if (a.thread !== thread && a.level >= level && dependentDone(a.sig, sig)) level = a.level + 1;
      }
    }
    this.threadLevel.set(thread, level);
    for (const sig of sigs) {
      let list = this.byObj.get(sig.obj);
      if (list === undefined) {
        list = [];
        this.byObj.set(sig.obj, list);
      }
      list.push({ thread, sig, level });
    }
    const label = `${thread}:${sigs.map((s) => `${s.obj}${KIND[s.kind]}`).join('+')}`;
    (this.levels[level] ??= []).push(label);
  }

  key(): string {
    return this.levels.map((l) => l.sort().join(',')).join('|');
  }
}

/**
 * Dependence between operations that have run, whose outcome is known: a
 * trylock that took the lock is an acquire (stepped() relabels it), and two
 * that failed only read the lock — they commute, though two pending
 * trylocks, either of which may succeed, do not.
 */
function dependentDone(a: OpSig, b: OpSig): boolean {
  return !(a.kind === 'trylock' && b.kind === 'trylock') && dependent(a, b);
}

/**
 * Wraps a strategy to record the trace key of each execution it runs; it
 * chooses nothing itself, so the exploration is exactly the inner strategy's.
 */
class TraceRecorder implements Strategy {
  readonly keys = new Set<string>();
  pruned = 0;
  private foata = new FoataBuilder();

  constructor(private readonly inner: Strategy) {}

  get name(): string {
    return this.inner.name;
  }
  get exhausted(): boolean {
    return this.inner.exhausted;
  }
  get exhaustive(): boolean {
    return this.inner.exhaustive;
  }
  get everyStep(): boolean {
    return this.inner.everyStep === true;
  }
  get fingerprints(): boolean {
    return this.inner.fingerprints === true;
  }
  get revisited(): boolean {
    return this.inner.revisited === true;
  }

  nextExecution(): boolean {
    this.foata = new FoataBuilder();
    return this.inner.nextExecution();
  }

  pick(enabled: readonly Thread[], last: Thread | null): Thread | null {
    return this.inner.pick(enabled, last);
  }

  stepped(exec: Execution, t: Thread, op: Visible): void {
    const took = op.kind === 'trylock' && op.lock.owner === t;
    this.foata.add(t.name, opSigs(op).map((s) => (took ? { ...s, kind: 'acquire' as const } : s)));
    this.inner.stepped?.(exec, t, op);
  }

  ended(exec: Execution): void {
    this.inner.ended?.(exec);
    // A pruned execution is a prefix the strategy gave up on (or, with state caching, cut short at a
    // state explored before): no trace of its own.
    if (exec.status === 'pruned' || exec.status === 'cached') this.pruned++;
    else this.keys.add(this.foata.key());
  }
}

/**
 * Explores `program` with `strategy` (no checkers) and returns the trace key
 * of every execution it ran to the end. With dfs the keys are all the traces;
 * with a reducing strategy, comparing its keys with dfs's shows whether it
 * missed a trace and how many executions it spent per trace.
 */
export function collectTraces(program: Program, strategy: Strategy, maxExecutions: number): TraceCoverage {
  const rec = new TraceRecorder(strategy);
  const r = explore(program, { strategy: rec, checkers: [], maxExecutions });
  return { keys: rec.keys, executions: r.executions, pruned: rec.pruned, complete: r.complete };
}

/**
 * Counts the Mazurkiewicz traces of `program` by brute force: every
 * interleaving, by plain dfs, up to `maxExecutions` of them. Executions that
 * end in a deadlock count (their trace is the events that did run); the
 * count is exact only when `complete`.
 */
export function countTraces(program: Program, maxExecutions: number): TraceCount {
  const c = collectTraces(program, new DfsStrategy(), maxExecutions);
  return { traces: c.keys.size, interleavings: c.executions - c.pruned, complete: c.complete };
}
