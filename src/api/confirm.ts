/**
 * A directed search for a schedule that realises a potential deadlock that a
 * bounded check could not confirm: dpor again, preferring at every new state
 * the threads about to take one of the cycle's locks, stopping at the first
 * execution that deadlocks on exactly those classes.
 */
import { DeadlockChecker } from '../check/deadlock.js';
import { DporStrategy } from '../explore/dpor.js';
import { explore } from '../explore/explore.js';
import type { Program } from '../rt/execution.js';
import type { Thread } from '../rt/thread.js';
import { realises } from '../lockdep/confirm.js';
import type { Confirmation } from '../trace/finding.js';

export function searchDeadlock(program: Program, classes: ReadonlySet<string>, budget: number): Confirmation {
  const wants = (t: Thread): boolean => {
    const op = t.pending;
    return op !== null && op.kind === 'lock' && classes.has(op.lock.cls);
  };
  const strategy = new DporStrategy({ prefer: wants });
  let hit: readonly string[] | null = null;
  const checker = new DeadlockChecker();
  const probe = {
    name: 'confirm',
    begin: () => undefined,
    event: () => undefined,
    end: (exec: Parameters<DeadlockChecker['end']>[0], schedule: readonly string[]) => {
      const [d] = checker.end(exec);
      if (d !== undefined && hit === null && realises(d, classes)) hit = schedule;
      return [];
    },
  };
  const r = explore(program, { strategy, checkers: [probe], maxExecutions: budget, onExecution: () => hit === null });
  if (hit !== null) return { status: 'confirmed', schedule: hit, executions: r.executions };
  return { status: r.complete ? 'unreachable' : 'unknown', executions: r.executions };
}
