/**
 * Confirmation of a potential deadlock against what the exploration reached:
 * an explored execution that deadlocked on exactly the classes of the cycle
 * confirms it (and replays it); a complete exploration that never did proves
 * it unreachable in this model, for this scenario.
 */
import type { Coverage } from '../check/checker.js';
import type { Finding } from '../trace/finding.js';

/** The lock classes a potential deadlock is about (nesting subclasses folded). */
export function cycleClasses(f: Finding): Set<string> {
  const base = (c: string): string => c.replace(/\/\d+$/, '');
  const d = f.lockdep;
  if (d === undefined) return new Set();
  const holding = d.holding === null ? [] : [base(d.holding.cls)];
  if (f.kind === 'lockdep-recursive') return new Set(holding);
  // A put-under-lock cycle runs from the teardown's lock back to the held one.
  return new Set([...d.chain.map((l) => base(l.cls)), ...(f.kind === 'put-under-lock' ? holding : [])]);
}

/** Whether a deadlock finding waits on exactly `classes`. */
export function realises(deadlock: Pick<Finding, 'threads'>, classes: ReadonlySet<string>): boolean {
  const waited = new Set(deadlock.threads.map((t) => t.waitingFor?.lock).filter((l): l is string => l !== undefined));
  if (waited.size !== classes.size) return false;
  for (const c of classes) if (!waited.has(c)) return false;
  return true;
}

export function confirm(f: Finding, all: readonly Finding[], coverage: Coverage): Finding {
  if (f.kind !== 'lockdep-recursive' && f.kind !== 'lockdep-circular' && f.kind !== 'put-under-lock') return f;
  const classes = cycleClasses(f);
  const hit = all.find((d) => d.kind === 'deadlock' && realises(d, classes));
  if (hit !== undefined) {
    return { ...f, confirmation: { status: 'confirmed', schedule: hit.schedule, executions: coverage.executions } };
  }
  return { ...f, confirmation: { status: coverage.complete ? 'unreachable' : 'unknown', executions: coverage.executions } };
}
