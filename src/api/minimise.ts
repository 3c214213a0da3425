/**
 * Counterexample minimisation: before a finding is printed, search for a
 * schedule that shows the same finding with the fewest preemptions. First
 * the schedule that showed it is simplified greedily (simplify.ts: a few
 * dozen executions); then iterative context bounding searches each smaller
 * bound (0, 1, 2, … preemptions) exhaustively, up to a budget, which either
 * finds a shorter explanation or proves there is none. A finding that needs
 * no preemption at all is then explained by threads that simply run one after
 * another.
 */
import type { Checker } from '../check/checker.js';
import { DfsStrategy } from '../explore/dfs.js';
import { explore } from '../explore/explore.js';
import type { Program } from '../rt/execution.js';
import { FINDING_KINDS, type Finding } from '../trace/finding.js';
import { probe, simplify, type Simplified, type Tried } from './simplify.js';

/** Kinds an execution shows by itself (lock-order findings are judged over whole explorations). */
const PER_EXECUTION: ReadonlySet<Finding['kind']> = new Set(
  // Not lock-order findings (judged over the whole exploration), nor a runaway or a model crash (no bug to shrink to).
  FINDING_KINDS.filter((k) => !k.startsWith('lockdep-') && k !== 'put-under-lock' && k !== 'step-limit' && k !== 'model-crash'),
);

export interface Minimised {
  readonly schedule: readonly string[];
  readonly preemptions: number;
  /** Whether every smaller bound was searched completely (else "fewest found", not "fewest"). */
  readonly provenMinimal: boolean;
}

export interface MinimiseOptions {
  /** The largest preemption bound searched exhaustively. */
  readonly maxBound?: number;
  /** Executions per bound. */
  readonly budget?: number;
  /**
   * Operations over all bounds: a scenario with many threads has too many
   * schedules per bound to search, and the greedy result stands (as the
   * fewest found, not proven).
   */
  readonly steps?: number;
}

/** A finding to minimise: its signature and, when known, the schedule that showed it. */
export interface Wanted {
  readonly signature: string;
  /** Simplified greedily first (simplify.ts); only smaller bounds are then searched. */
  readonly from?: readonly string[];
}

/**
 * For each wanted finding, the schedule with the fewest preemptions found:
 * greedy simplification of its schedule, then exhaustive searches of every
 * smaller bound (0, 1, … up to `maxBound`) within the budgets. One search per
 * bound serves every finding at once. A finding absent from the map was
 * never shown again (its schedule is kept as found).
 */
export function minimiseAll(program: Program, checkers: () => Checker[], wanted: readonly Wanted[], opts: MinimiseOptions = {}): Map<string, Minimised> {
  const { maxBound = 3, budget = 2000, steps = 200_000 } = opts;
  const tried: Tried = new Map();
  const greedy = new Map<string, Simplified>();
  for (const w of wanted) {
    const g = w.from === undefined ? null : simplify(program, checkers, w.signature, w.from, tried);
    if (g !== null) greedy.set(w.signature, g);
  }
  // The bounds each finding still needs searched, and whether those searched so far were complete.
  const top = new Map(wanted.map((w) => [w.signature, Math.min(maxBound, (greedy.get(w.signature)?.preemptions ?? maxBound + 1) - 1)]));
  const proven = new Map(wanted.map((w) => [w.signature, true]));
  const found = new Map<string, Minimised>();
  let spent = 0;
  for (let bound = 0; bound <= maxBound; bound++) {
    const pending = new Set(wanted.map((w) => w.signature).filter((sig) => !found.has(sig) && (top.get(sig) ?? -1) >= bound));
    if (pending.size === 0) continue;
    if (spent > steps) {
      for (const sig of pending) proven.set(sig, false);
      break;
    }
    const p = probe(checkers, (schedule, signatures) => {
      for (const sig of pending) {
        if (!signatures.has(sig)) continue;
        found.set(sig, { schedule, preemptions: bound, provenMinimal: proven.get(sig) === true });
        pending.delete(sig);
      }
    });
    const strategy = new DfsStrategy(bound);
    const before = spent;
    const r = explore(program, {
      strategy,
      checkers: [p],
      maxExecutions: budget,
      onExecution: (q) => (pending.size === 0 ? 'found' : before + q.steps > steps ? 'steps' : true),
    });
    spent += r.steps;
    if (!strategy.exhausted) for (const sig of pending) proven.set(sig, false);
  }
  for (const [sig, g] of greedy) {
    if (!found.has(sig)) found.set(sig, { ...g, provenMinimal: proven.get(sig) === true && (top.get(sig) ?? -1) >= g.preemptions - 1 });
  }
  return found;
}

/** minimiseAll for one finding: null if no schedule within the budgets shows it. */
export function minimise(program: Program, checkers: () => Checker[], signature: string, opts: MinimiseOptions & { readonly from?: readonly string[] } = {}): Minimised | null {
  return minimiseAll(program, checkers, [{ signature, ...(opts.from !== undefined ? { from: opts.from } : {}) }], opts).get(signature) ?? null;
}

export function minimisable(f: Finding): boolean {
  return PER_EXECUTION.has(f.kind);
}
