/** Loading shipped scenarios in tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario, type CheckOptions, type CheckResult } from '../../src/api/check.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioProgram } from '../../src/scenario/program.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export function shipped(rel: string): ScenarioProgram {
  const file = join('scenarios', rel);
  const r = loadScenario(readFileSync(join(ROOT, file), 'utf8'), file);
  if (!r.ok) throw new Error(`${file} does not load: ${JSON.stringify(r.diagnostics)}`);
  return r.program;
}

export function check(rel: string, kernel: string, opts?: CheckOptions): CheckResult {
  return checkScenario(shipped(rel), kernel, opts);
}

/** Every shipped scenario (scenarios/*.yaml), loaded. */
export function allShipped(): { file: string; program: ScenarioProgram }[] {
  return readdirSync(join(ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, program: shipped(file) }));
}
