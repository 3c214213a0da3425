/**
 * lockdep's cost: executions per second with and without lockdep and
 * put-under-lock, on the shipped scenario with the most executions, repeated
 * to get past timer resolution.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario } from '../src/api/check.js';
import { loadScenario } from '../src/scenario/load.js';
import type { ScenarioProgram } from '../src/scenario/program.js';

function rate(prog: ScenarioProgram, kernel: string, lockdep: boolean, reps: number, races = true): { execs: number; perSec: number } {
  const opts = { lockdep, races, confirmBudget: 0, minimise: false };
  checkScenario(prog, kernel, opts); // warm-up
  const t0 = performance.now();
  let execs = 0;
  for (let i = 0; i < reps; i++) execs += checkScenario(prog, kernel, opts).executions;
  return { execs: execs / reps, perSec: (execs / (performance.now() - t0)) * 1000 };
}

export function lockdepCost(root: string): string[] {
  const dir = join(root, 'scenarios');
  let best: { prog: ScenarioProgram; kernel: string; execs: number } | null = null;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
    const r = loadScenario(readFileSync(join(dir, f), 'utf8'), `scenarios/${f}`);
    if (!r.ok) continue;
    for (const k of r.program.kernels) {
      const n = checkScenario(r.program, k, { lockdep: false, minimise: false, confirmBudget: 0 }).executions;
      if (best === null || n > best.execs) best = { prog: r.program, kernel: k, execs: n };
    }
  }
  if (best === null) return ['lockdep cost: no scenario'];
  const bare = rate(best.prog, best.kernel, false, 20, false);
  const off = rate(best.prog, best.kernel, false, 20);
  const on = rate(best.prog, best.kernel, true, 20);
  const pct = (a: number, b: number): string => `${((1 - a / b) * 100).toFixed(1)}% slower`;
  return [
    `checker cost on ${best.prog.name} @ ${best.kernel} (${off.execs} executions per check, 20 checks each):`,
    `  deadlock, lifecycle, warnings: ${bare.perSec.toFixed(0)} executions/s`,
    `  + data races: ${off.perSec.toFixed(0)} executions/s (${pct(off.perSec, bare.perSec)})`,
    `  + lockdep and put-under-lock: ${on.perSec.toFixed(0)} executions/s (${pct(on.perSec, off.perSec)} than without them; target < 30%)`,
  ];
}
