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

function rate(prog: ScenarioProgram, kernel: string, lockdep: boolean, reps: number): { execs: number; perSec: number } {
  checkScenario(prog, kernel, { lockdep }); // warm-up
  const t0 = performance.now();
  let execs = 0;
  for (let i = 0; i < reps; i++) execs += checkScenario(prog, kernel, { lockdep, confirmBudget: 0 }).executions;
  return { execs: execs / reps, perSec: (execs / (performance.now() - t0)) * 1000 };
}

export function lockdepCost(root: string): string[] {
  const dir = join(root, 'scenarios');
  let best: { prog: ScenarioProgram; kernel: string; execs: number } | null = null;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
    const r = loadScenario(readFileSync(join(dir, f), 'utf8'), `scenarios/${f}`);
    if (!r.ok) continue;
    for (const k of r.program.kernels) {
      const n = checkScenario(r.program, k, { lockdep: false }).executions;
      if (best === null || n > best.execs) best = { prog: r.program, kernel: k, execs: n };
    }
  }
  if (best === null) return ['lockdep cost: no scenario'];
  const off = rate(best.prog, best.kernel, false, 40);
  const on = rate(best.prog, best.kernel, true, 40);
  const slower = (1 - on.perSec / off.perSec) * 100;
  return [
    `lockdep cost on ${best.prog.name} @ ${best.kernel} (${off.execs} executions per check, 40 checks each):`,
    `  without lockdep: ${off.perSec.toFixed(0)} executions/s`,
    `  with lockdep + put-under-lock: ${on.perSec.toFixed(0)} executions/s (${slower.toFixed(1)}% slower; target < 30%)`,
  ];
}
