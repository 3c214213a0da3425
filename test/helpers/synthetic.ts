/** Tiny synthetic programs for testing the generic engine without the kernel model. */
import { DeadlockChecker } from '../../src/check/deadlock.js';
import { LifecycleChecker } from '../../src/check/lifecycle.js';
import { WarningChecker } from '../../src/check/warnings.js';
import { DfsStrategy } from '../../src/explore/dfs.js';
import { explore, type ExploreResult } from '../../src/explore/explore.js';
import type { Execution, Program } from '../../src/rt/execution.js';
import type { Gen } from '../../src/rt/ops.js';
import type { Thread } from '../../src/rt/thread.js';

/** A program: `world` builds shared objects for each execution; each thread body gets them. */
export function synthetic<W>(
  world: (exec: Execution) => W,
  threads: Record<string, (t: Thread, w: W) => Gen>,
): Program {
  return {
    start(exec: Execution): void {
      const w = world(exec);
      for (const [name, body] of Object.entries(threads)) exec.spawn(name, 'test', (t) => body(t, w));
    },
  };
}

export function checkDfs(p: Program, maxExecutions?: number): ExploreResult {
  return explore(p, {
    strategy: new DfsStrategy(),
    checkers: [new DeadlockChecker(), new LifecycleChecker(), new WarningChecker()],
    ...(maxExecutions !== undefined ? { maxExecutions } : {}),
  });
}

export function kinds(r: ExploreResult): string[] {
  return r.findings.map((f) => f.kind).sort();
}
