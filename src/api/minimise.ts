/**
 * Counterexample minimisation: before a finding is printed, search for a
 * schedule that shows the same finding with the fewest preemptions
 * (iterative context bounding: 0, 1, 2, … preemptions, each bound searched
 * exhaustively up to a budget). A finding that needs no preemption at all is
 * then explained by threads that simply run one after another.
 */
import type { Checker } from '../check/checker.js';
import { DfsStrategy } from '../explore/dfs.js';
import { explore } from '../explore/explore.js';
import type { Execution, Program } from '../rt/execution.js';
import type { Finding } from '../trace/finding.js';

/** Kinds an execution shows by itself (lock-order findings are judged over whole explorations). */
const PER_EXECUTION = new Set<Finding['kind']>([
  'deadlock',
  'use-after-free',
  'double-free',
  'refcount-underflow',
  'refcount-increment-from-zero',
  'leak',
  'warning',
  'expectation',
  'data-race',
]);

export interface Minimised {
  readonly schedule: readonly string[];
  readonly preemptions: number;
  /** Whether every smaller bound was searched completely (else "fewest found", not "fewest"). */
  readonly provenMinimal: boolean;
}

/**
 * The schedule with the fewest preemptions (up to `maxBound`) that shows a
 * finding with `signature`, or null if none was found within the budgets.
 */
export function minimise(
  program: Program,
  checkers: () => Checker[],
  signature: string,
  maxBound = 3,
  budget = 2000,
): Minimised | null {
  let provenMinimal = true;
  for (let bound = 0; bound <= maxBound; bound++) {
    const inner = checkers();
    let hit: readonly string[] | null = null;
    const probe: Checker = {
      name: 'minimise',
      begin: (exec: Execution) => {
        for (const c of inner) c.begin(exec);
      },
      event: (ev) => {
        for (const c of inner) c.event(ev);
      },
      wantsPlainAccesses: inner.some((c) => c.wantsPlainAccesses === true),
      end: (exec: Execution, schedule: readonly string[]) => {
        if (hit === null && inner.some((c) => c.end(exec, schedule).some((f) => f.signature === signature))) hit = schedule;
        return [];
      },
    };
    const strategy = new DfsStrategy(bound);
    explore(program, {
      strategy,
      checkers: [probe],
      maxExecutions: budget,
      onExecution: () => (hit === null ? true : 'found'),
    });
    if (hit !== null) return { schedule: hit, preemptions: bound, provenMinimal };
    if (!strategy.exhausted) provenMinimal = false;
  }
  return null;
}

export function minimisable(f: Finding): boolean {
  return PER_EXECUTION.has(f.kind);
}
