/** kvmsim minimise FILE --kernel V — the smallest scenario that still shows a finding (api/shrink.ts). */
import { readFileSync } from 'node:fs';
import { checkScenario } from '../../api/check.js';
import { shrinkScenario } from '../../api/shrink.js';
import { EXIT, readScenario, UsageError } from '../io.js';
import { kernelsFor } from './check.js';

export interface MinimiseFlags {
  readonly kernel?: string;
  /** Which finding to keep (1-based, in the check's order); the first by default. */
  readonly finding?: string;
  readonly maxExecutions?: string;
}

export function minimiseCommand(file: string, flags: MinimiseFlags): number {
  const prog = readScenario(file);
  const kernels = kernelsFor(prog, flags.kernel);
  if (kernels.length !== 1) throw new UsageError(`kvmsim: minimise needs one kernel version: --kernel V (the scenario names ${kernels.length})`);
  const kernel = kernels[0] as string;
  const which = flags.finding === undefined ? 1 : Number(flags.finding);
  if (!Number.isInteger(which) || which < 1) throw new UsageError(`kvmsim: --finding takes a finding's number (1 for the first), got "${flags.finding ?? ''}"`);
  const max = flags.maxExecutions === undefined ? undefined : Number(flags.maxExecutions);
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new UsageError(`kvmsim: --max-executions takes a whole number ≥ 1, got "${flags.maxExecutions ?? ''}"`);
  const r = checkScenario(prog, kernel, { minimise: false, confirmBudget: 0 });
  const target = r.findings[which - 1];
  if (target === undefined) {
    process.stderr.write(
      r.findings.length === 0
        ? `kvmsim: nothing to minimise: ${file} on ${kernel} shows no finding (${r.verdict})\n`
        : `kvmsim: ${file} on ${kernel} shows ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}; --finding ${which} is not one of them\n`,
    );
    return r.findings.length === 0 ? EXIT.CLEAN : EXIT.BAD_INPUT;
  }
  process.stderr.write(`kvmsim: keeping ${target.kind}: ${target.title}\n`);
  const s = shrinkScenario(readFileSync(file, 'utf8'), file, kernel, target, max === undefined ? {} : { maxExecutions: max });
  process.stdout.write(s.text.endsWith('\n') ? s.text : `${s.text}\n`);
  process.stderr.write(
    s.dropped.length === 0
      ? `kvmsim: already minimal: no thread, op or host device can go (${s.tried} candidates checked)\n`
      : `kvmsim: dropped ${s.dropped.join(', ')} (${s.tried} candidates checked)\n`,
  );
  return EXIT.CLEAN;
}
