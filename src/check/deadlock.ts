/**
 * Deadlock: every live thread is blocked. Reports the wait-for relation (who
 * waits for which lock, held by whom), the cycle in it, and each blocked
 * thread's call stack.
 */
import type { Execution } from '../rt/execution.js';
import type { Thread } from '../rt/thread.js';
import type { RawFinding } from '../trace/finding.js';
import type { Checker } from './checker.js';
import { threadInfo } from './info.js';

/** The wait-for cycle reachable from `start`, as thread names, or null. */
function cycleFrom(start: Thread): Thread[] | null {
  const seen: Thread[] = [];
  let t: Thread | null = start;
  while (t !== null && !seen.includes(t)) {
    seen.push(t);
    const op: Thread['pending'] = t.pending;
    t = op !== null && op.kind === 'lock' ? op.lock.owner : null;
  }
  if (t === null) return null;
  return seen.slice(seen.indexOf(t));
}

export class DeadlockChecker implements Checker {
  readonly name = 'deadlock';

  begin(): void {}

  event(): void {}

  end(exec: Execution): RawFinding[] {
    if (exec.status !== 'deadlock') return [];
    const blocked = exec.blocked();
    const detail: string[] = [];
    for (const t of blocked) {
      const op = t.pending;
      if (op?.kind === 'lock') {
        const owner = op.lock.owner;
        detail.push(
          `${t.name} waits for ${op.lock.cls}, held by ${owner === null ? 'nobody' : owner === t ? 'itself' : owner.name}`,
        );
      } else if (op?.kind === 'wait') {
        detail.push(`${t.name} waits for ${op.label}`);
      }
    }
    let cycle: Thread[] | null = null;
    for (const t of blocked) {
      cycle = cycleFrom(t);
      if (cycle !== null) break;
    }
    const self = cycle !== null && cycle.length === 1;
    if (cycle !== null) detail.push(`wait-for cycle: ${[...cycle, cycle[0] as Thread].map((t) => t.name).join(' -> ')}`);
    const lockOf = (t: Thread): string => (t.pending?.kind === 'lock' ? t.pending.lock.cls : t.pending?.kind ?? '?');
    // Two deadlocks of the same threads on the same locks differ in where they wait: the function that
    // asks for the lock (the frame above the lock primitive, as lockdep's "at:" names it) and the call.
    const where = (t: Thread): string => {
      const fn = t.frames.at(-2) ?? t.frames.at(-1);
      const parts = [fn === undefined ? null : `in ${fn}`, t.op === null ? null : `from ${t.op.text}`].filter((x) => x !== null);
      return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
    };
    const title = self
      ? `deadlock: ${(cycle as Thread[])[0]?.name} blocks on ${lockOf((cycle as Thread[])[0] as Thread)}${where((cycle as Thread[])[0] as Thread)}, which it already holds`
      : `deadlock: ${blocked.map((t) => `${t.name} on ${lockOf(t)}${where(t)}`).join('; ')}`;
    const signature =
      'deadlock|' +
      blocked
        .map((t) => `${t.name}:${lockOf(t)}:${t.frames.join('<')}`)
        .sort()
        .join('|');
    // The root cause: the threads in the wait-for cycle, by what they wait for and where — not who they
    // are, nor which system call brought them there, nor who queues behind them (rootcause.ts folds those).
    const rootCause = cycle === null ? undefined : cycle.map((t) => `${lockOf(t)}:${t.frames.join('<')}`).sort().join('|');
    return [{ kind: 'deadlock', title, signature, ...(rootCause === undefined ? {} : { rootCause }), threads: blocked.map((t) => threadInfo(t)), objects: [], detail }];
  }
}
