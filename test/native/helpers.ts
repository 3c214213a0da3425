/** Shared by the native tests: loading fixtures and catalogue files, and whether live tests can run here. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeKvm } from '../../src/native/probe.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioProgram } from '../../src/scenario/program.js';
import { ROOT } from '../helpers/scenarios.js';

/** Compiles a scenario file given relative to the repository root. */
export function program(rel: string): ScenarioProgram {
  const r = loadScenario(readFileSync(join(ROOT, rel), 'utf8'), rel);
  if (!r.ok) throw new Error(`${rel} does not load: ${JSON.stringify(r.diagnostics)}`);
  return r.program;
}

export const probe = await probeKvm();

/**
 * Why live tests are skipped here, or null when they run: they need a usable
 * /dev/kvm and the compiled worker/child scripts (npm test builds first).
 */
export const liveSkip: string | null = !probe.usable
  ? probe.reason
  : !existsSync(join(ROOT, 'dist', 'src', 'native', 'worker.js'))
    ? 'dist/ is not built (npm run build)'
    : null;

if (liveSkip !== null) console.log(`test/native: live tests skipped — ${liveSkip}`);
