/**
 * Greedy schedule simplification, in the spirit of Tinertia (Jalbert and Sen,
 * FSE 2010): take the schedule that showed a finding and remove its
 * preemptions one at a time — let a preempted thread run on where it was
 * stopped, or pull its next run forward to where it was stopped — keeping a
 * change whenever the same finding still shows with fewer preemptions. Each
 * try is one execution, so it costs a few dozen executions where a bounded
 * search over many threads would cost thousands; what it returns is the
 * fewest found, not a proof (minimise.ts adds the proof where it is cheap).
 */
import type { Checker } from '../check/checker.js';
import { explore } from '../explore/explore.js';
import { preferenceOrder, type Strategy } from '../explore/strategy.js';
import type { Execution, Program } from '../rt/execution.js';
import type { Thread } from '../rt/thread.js';

/** A run of one thread over `n` consecutive choice points (Infinity: while it can). */
interface Block {
  readonly thread: string;
  readonly n: number;
}

function blocksOf(choices: readonly string[]): Block[] {
  const out: Block[] = [];
  for (const name of choices) {
    const last = out[out.length - 1];
    if (last !== undefined && last.thread === name) out[out.length - 1] = { thread: name, n: last.n + 1 };
    else out.push({ thread: name, n: 1 });
  }
  return out;
}

/**
 * Follows blocks leniently: a block's thread is chosen while it can run, up
 * to its count, then the next block's; past the last block, the thread that
 * ran last goes on. Counts the preemptions it makes.
 */
class BlockStrategy implements Strategy {
  readonly name = 'simplify';
  readonly exhaustive = false;
  exhausted = false;
  preemptions = 0;
  private runs = 0;
  private at = 0;
  private used = 0;

  constructor(private readonly blocks: readonly Block[]) {}

  nextExecution(): boolean {
    if (this.runs++ > 0) this.exhausted = true;
    return !this.exhausted;
  }

  pick(enabled: readonly Thread[], last: Thread | null): Thread {
    let t: Thread | undefined;
    while (t === undefined && this.at < this.blocks.length) {
      const b = this.blocks[this.at] as Block;
      if (this.used < b.n) t = enabled.find((e) => e.name === b.thread);
      if (t === undefined) {
        this.at++;
        this.used = 0;
      } else this.used++;
    }
    t ??= preferenceOrder(enabled, last)[0] as Thread;
    if (last !== null && t !== last && enabled.includes(last)) this.preemptions++;
    return t;
  }
}

export interface Simplified {
  readonly schedule: readonly string[];
  readonly preemptions: number;
}

/** One run of a block list: what it ran and every finding it showed. */
interface Attempt extends Simplified {
  readonly signatures: ReadonlySet<string>;
}

/**
 * Runs of block lists already tried, by list: findings of one execution
 * share their first schedule, and their simplifications try the same lists.
 */
export type Tried = Map<string, Attempt>;

/**
 * A checker that feeds fresh `checkers` the execution's events and tells
 * `seen` every finding signature of each execution (with its schedule).
 */
export function probe(checkers: () => Checker[], seen: (schedule: readonly string[], signatures: ReadonlySet<string>) => void): Checker {
  let inner: Checker[] = [];
  const wantsPlainAccesses = checkers().some((c) => c.wantsPlainAccesses === true);
  return {
    name: 'probe',
    begin: (exec: Execution) => {
      inner = checkers();
      for (const c of inner) c.begin(exec);
    },
    event: (ev) => {
      for (const c of inner) c.event(ev);
    },
    wantsPlainAccesses,
    end: (exec: Execution, schedule: readonly string[]) => {
      seen(schedule, new Set(inner.flatMap((c) => c.end(exec, schedule).map((f) => f.signature))));
      return [];
    },
  };
}

function attempt(program: Program, checkers: () => Checker[], blocks: readonly Block[], tried: Tried): Attempt {
  const key = JSON.stringify(blocks);
  const known = tried.get(key);
  if (known !== undefined) return known;
  let got: Attempt = { schedule: [], preemptions: 0, signatures: new Set() };
  const strategy = new BlockStrategy(blocks);
  const p = probe(checkers, (schedule, signatures) => {
    got = { schedule, preemptions: 0, signatures };
  });
  explore(program, { strategy, checkers: [p], maxExecutions: 1 });
  got = { ...got, preemptions: strategy.preemptions };
  tried.set(key, got);
  return got;
}

/**
 * The schedule with the fewest preemptions found greedily from `from`, which
 * must show `signature` (null if it does not), within `budget` executions
 * (runs found in `tried` are free).
 */
export function simplify(
  program: Program,
  checkers: () => Checker[],
  signature: string,
  from: readonly string[],
  tried: Tried = new Map(),
  budget = 200,
): Simplified | null {
  let spent = 0;
  const run = (blocks: readonly Block[]): Simplified | null => {
    const before = tried.size;
    const r = attempt(program, checkers, blocks, tried);
    spent += tried.size - before;
    return r.signatures.has(signature) ? { schedule: r.schedule, preemptions: r.preemptions } : null;
  };
  let best = run(blocksOf(from));
  while (best !== null && best.preemptions > 0 && spent < budget) {
    const blocks = blocksOf(best.schedule);
    let better: Simplified | null = null;
    for (let j = 0; j + 1 < blocks.length && better === null && spent < budget; j++) {
      const b = blocks[j] as Block;
      const next = blocks.findIndex((x, i) => i > j + 1 && x.thread === b.thread);
      const tries: Block[][] = [
        // The preempted thread runs on for as long as it can.
        [...blocks.slice(0, j), { thread: b.thread, n: Number.POSITIVE_INFINITY }, ...blocks.slice(j + 1)],
      ];
      // Its next run comes right after this one.
      if (next > 0) tries.push([...blocks.slice(0, j + 1), blocks[next] as Block, ...blocks.slice(j + 1, next), ...blocks.slice(next + 1)]);
      for (const cand of tries) {
        const r = run(cand);
        if (r !== null && r.preemptions < (best).preemptions) {
          better = r;
          break;
        }
      }
    }
    if (better === null) break;
    best = better;
  }
  return best;
}
