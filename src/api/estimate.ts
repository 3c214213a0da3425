/**
 * How big a check is before it starts (issue 17: "big scenarios fail
 * silently"): one execution, threads running in turn, counts each scenario
 * thread's visible operations, and the number of interleavings of those
 * counts — the multinomial (n₁ + … + n_k)! / (n₁! … n_k!) — says what plain
 * DFS would face. The reductions cut it by orders of magnitude, so it is an
 * upper bound to warn by, never a prediction.
 */
import type { ScenarioProgram } from '../scenario/program.js';
import { runScenario } from './check.js';

export interface SizeEstimate {
  /** Visible operations of each scenario thread in one execution (threads running in turn), in scenario order. */
  readonly threads: readonly { readonly name: string; readonly ops: number }[];
  /** log10 of the number of interleavings of those operations. */
  readonly log10Interleavings: number;
}

/** log10(n!) by summing logs (n is at most a few thousand). */
function log10Factorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log10(i);
  return s;
}

/** The size of `prog` on `kernel`, from one execution. */
export function estimateSize(prog: ScenarioProgram, kernel: string): SizeEstimate {
  const run = runScenario(prog, kernel);
  const counts = new Map<string, number>(prog.threads.map((t) => [t.name, 0]));
  for (const name of run.schedule) if (counts.has(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  const threads = [...counts].map(([name, ops]) => ({ name, ops }));
  const total = threads.reduce((n, t) => n + t.ops, 0);
  const log10Interleavings = log10Factorial(total) - threads.reduce((s, t) => s + log10Factorial(t.ops), 0);
  return { threads, log10Interleavings };
}

/**
 * Above this many interleavings (a power of ten) a complete check is worth a
 * warning. Calibrated on the bench (2 cores): device-users-2 (10^26) and
 * twins-3 (10^30) finish in 7–15 s; device-users-3 (10^42) and twins-4
 * (10^44) do not finish in 60 s; shared-fd-12 (10^56, 9 s) is a false alarm
 * — symmetry and independence cut some scenarios far more than others.
 */
export const LARGE_LOG10 = 40;

/** "3 threads of 38, 38 and 20 visible operations: about 10^19 interleavings before reduction". */
export function describeSize(e: SizeEstimate): string {
  const ops = e.threads.map((t) => t.ops);
  const list = ops.length <= 1 ? ops.join('') : `${ops.slice(0, -1).join(', ')} and ${ops[ops.length - 1] as number}`;
  const shown = ops.length > 6 ? `${ops.length} threads of ${Math.min(...ops)}–${Math.max(...ops)} visible operations` : `${ops.length} thread${ops.length === 1 ? '' : 's'} of ${list} visible operations`;
  return `${shown}: about 10^${Math.round(e.log10Interleavings)} interleavings before reduction`;
}
