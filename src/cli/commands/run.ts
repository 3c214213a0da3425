/** kvmsim run FILE and kvmsim replay TOKEN — one execution, with its full trace. */
import { runScenario } from '../../api/check.js';
import { formatRun } from '../../report/text.js';
import { decodeToken } from '../../trace/schedule.js';
import { EXIT, paint, readScenario, UsageError } from '../io.js';
import { ReplayError } from '../../explore/replay.js';
import { kernelsFor } from './check.js';

function printRun(file: string, kernel: string, schedule: readonly string[] | undefined, json: boolean): number {
  const prog = readScenario(file);
  let r;
  try {
    r = runScenario(prog, kernel, schedule);
  } catch (e) {
    if (e instanceof ReplayError) throw new UsageError(`kvmsim: the schedule does not fit ${file} on ${kernel}: ${e.message}`);
    throw e;
  }
  if (json) process.stdout.write(`${JSON.stringify({ format: 'kvmsim-run', version: 1, ...r, file }, null, 2)}\n`);
  else process.stdout.write(`${formatRun({ ...r, file }, paint(process.stdout))}\n`);
  return r.findings.length > 0 ? EXIT.FINDINGS : EXIT.CLEAN;
}

export interface RunFlags {
  readonly kernel?: string;
  readonly json?: boolean;
}

export function runCommand(file: string, flags: RunFlags): number {
  const prog = readScenario(file);
  const kernels = kernelsFor(prog, flags.kernel);
  let code: number = EXIT.CLEAN;
  for (const k of kernels) code = Math.max(code, printRun(file, k, undefined, flags.json === true));
  return code;
}

export function replayCommand(token: string, flags: RunFlags): number {
  let t;
  try {
    t = decodeToken(token);
  } catch (e) {
    throw new UsageError(`kvmsim: ${(e as Error).message}`);
  }
  kernelsFor(readScenario(t.file), t.kernel);
  return printRun(t.file, t.kernel, t.schedule, flags.json === true);
}
