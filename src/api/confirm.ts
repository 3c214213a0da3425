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
import type { Confirmation, Finding } from '../trace/finding.js';

/** The lock classes of a potential deadlock (nesting subclasses folded). */
export function cycleOf(f: Finding): Set<string> {
  const base = (c: string): string => c.replace(/\/\d+$/, '');
  const d = f.lockdep;
  if (d === undefined) return new Set();
  const s = new Set(d.chain.map((l) => base(l.cls)));
  if (d.holding !== null) s.add(base(d.holding.cls));
  if (d.acquiring !== null) s.add(base(d.acquiring.cls));
  return s;
}

export function searchDeadlock(program: Program, classes: Set<string>, budget: number): Confirmation {
  const wants = (t: Thread): boolean => {
    const op = t.pending;
    return op !== null && op.kind === 'lock' && classes.has(op.lock.cls);
  };
  const strategy = new DporStrategy(wants);
  let hit: readonly string[] | null = null;
  const checker = new DeadlockChecker();
  const probe = {
    name: 'confirm',
    begin: () => undefined,
    event: () => undefined,
    end: (exec: Parameters<DeadlockChecker['end']>[0], schedule: readonly string[]) => {
      const [d] = checker.end(exec);
      if (d !== undefined && hit === null) {
        const waited = new Set(d.threads.map((t) => t.waitingFor?.lock).filter((l): l is string => l !== undefined));
        if (waited.size === classes.size && [...classes].every((c) => waited.has(c))) hit = schedule;
      }
      return [];
    },
  };
  const r = explore(program, { strategy, checkers: [probe], maxExecutions: budget, onExecution: () => hit === null });
  if (hit !== null) return { status: 'confirmed', schedule: hit, executions: r.executions };
  return { status: r.complete ? 'unreachable' : 'unknown', executions: r.executions };
}
