/**
 * kvmsim conform [FILES…] [--live] [--runs N] — the conformance catalogue on
 * the model and, with --live and a usable /dev/kvm, on the running kernel:
 * a table per scenario, the first diverging op of every divergence, the
 * outcome counts of concurrent scenarios. Exit 1 on any divergence.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { Divergence } from '../../native/compare.js';
import { concurrent, conformanceVersion, conformScenario, diverges, type Conformance, type Outcome } from '../../native/conform.js';
import { toRecording } from '../../native/recording.js';
import type { LiveExecutor, ResultRecord } from '../../native/live.js';
import type { ScenarioProgram } from '../../scenario/program.js';
import { displayPath, EXIT, packageRoot, paint, readScenario, UsageError } from '../io.js';

/** The options of `kvmsim conform`, as commander parses them. */
export interface ConformFlags {
  readonly live?: boolean;
  /** --require-live: as --live, and a usage error (exit 2) where the live kernel cannot run. */
  readonly requireLive?: boolean;
  /** --record: as --require-live, and each live run's answers written to live/NAME.json beside its scenario. */
  readonly record?: boolean;
  readonly runs: string;
}

/** The shipped catalogue: scenarios/conformance/*.yaml, sorted. */
export function catalogueFiles(): string[] {
  const dir = join(packageRoot(), 'scenarios', 'conformance');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => displayPath(join(dir, f)));
}

function opLine(prog: ScenarioProgram, d: Divergence): string {
  const where = d.op === null ? prog.file : `${d.op.site.file}:${d.op.site.line}:${d.op.site.col}`;
  return `${d.thread} op ${d.index + 1} at ${where}: ${d.op?.call ?? '?'}`;
}

function detail(title: string, prog: ScenarioProgram, d: Divergence, left: string, right: string): string[] {
  const w = Math.max(left.length, right.length) + 1;
  return [`  ${title}: first diverging op ${opLine(prog, d)}`, `    ${`${left}:`.padEnd(w)} ${d.left}`, `    ${`${right}:`.padEnd(w)} ${d.right}`];
}

function outcomeLine(prog: ScenarioProgram, r: ResultRecord): string {
  return prog.threads.map((t) => `${t.name}: ${(r.get(t.name) ?? []).join(', ')}`).join(' | ');
}

function modelCell(c: Conformance): string {
  if (c.model.findings.length > 0) return 'FINDINGS';
  if (c.modelVsCatalogue !== null) return 'DIFF';
  if (!c.model.complete) return 'BOUNDED';
  const n = c.model.records.length;
  return n === 1 ? 'ok' : `ok, ${n} behaviours`;
}

function liveCell(c: Conformance): string {
  const l = c.live;
  if (l === null) return '-';
  if (l.kind === 'refused') return 'refused';
  if (l.kind === 'error') return 'ERROR';
  const bad = (l.vsModel !== null && c.model.complete) || l.vsCatalogue !== null ? 'DIFF' : l.leaks.length > 0 ? 'LEAK' : l.vsModel !== null ? 'beyond the bound' : 'ok';
  return l.runs === 1 ? bad : `${bad}, ${l.runs} runs, ${l.outcomes.length} outcome${l.outcomes.length === 1 ? '' : 's'}`;
}

function report(c: Conformance, liveName: string): string[] {
  const out: string[] = [];
  const p = c.prog;
  for (const f of c.model.findings) out.push(`  model finding: ${f}`);
  if (!c.model.complete) out.push(`  model: exploration bounded after ${c.model.executions} executions`);
  if (c.modelVsCatalogue !== null) out.push(...detail('model vs recorded results', p, c.modelVsCatalogue, 'recorded', `model ${c.version}`));
  const l = c.live;
  if (l?.kind === 'refused') for (const r of l.refusals) out.push(`  not run live: ${r.where}: ${r.message}`);
  if (l?.kind === 'error') out.push(`  live run failed: ${l.message}`);
  if (l?.kind === 'ran') {
    if (l.vsModel !== null) {
      const runs = l.runs === 1 ? '' : ` (run ${l.vsModel.run}; ${l.vsModel.count} of ${l.runs} runs ${c.model.complete ? 'diverge' : 'not reached'})`;
      const title = c.model.complete ? 'live vs model' : 'live outcome the bounded model did not reach';
      out.push(...detail(`${title}${runs}`, p, l.vsModel.divergence, `model ${c.version}`, liveName));
    }
    if (l.vsCatalogue !== null) out.push(...detail('live vs recorded results', p, l.vsCatalogue, 'recorded', liveName));
    for (const leak of l.leaks) out.push(`  fd leak: ${leak}`);
  }
  return out;
}

/** The recording of `prog`'s live answers: live/NAME.json beside the scenario. */
export function recordingPath(file: string): string {
  return join(dirname(file), 'live', `${basename(file, extname(file))}.json`);
}

function writeRecording(prog: ScenarioProgram, kernel: string, runs: number, outcomes: readonly Outcome[]): void {
  const path = recordingPath(prog.file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(toRecording(prog.file, kernel, runs, outcomes), null, 2)}\n`);
}

/** Runs the catalogue (or FILES); resolves to the exit code. */
export async function conformCommand(files: readonly string[], flags: ConformFlags): Promise<number> {
  const runs = Number(flags.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`kvmsim: --runs takes a whole number ≥ 1, got "${flags.runs}"`);
  const programs = (files.length > 0 ? files : catalogueFiles()).map(readScenario);
  const paintOut = paint(process.stdout);
  const { version, note } = conformanceVersion();
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const head = [`kvmsim conform: ${plural(programs.length, 'scenario')}; model ${version}, host without VFIO`];
  if (note !== null) head.push(`note: ${note}`);
  let executor: LiveExecutor | null = null;
  let liveName = 'live';
  const requireLive = flags.requireLive === true || flags.record === true;
  let liveKernel = '';
  if (flags.live === true || requireLive) {
    const { probeKvm } = await import('../../native/probe.js');
    const probe = await probeKvm();
    if (requireLive && !(probe.usable && probe.libc !== null)) {
      throw new UsageError(`kvmsim: ${flags.record === true ? '--record' : '--require-live'}: the live kernel cannot be run here — ${probe.reason}`);
    }
    liveKernel = probe.kernel ?? release();
    if (probe.usable && probe.libc !== null) {
      const { LiveExecutor } = await import('../../native/live.js');
      executor = new LiveExecutor(probe.libc);
      liveName = `live ${probe.kernel ?? ''}`.trim();
      head.push(`live: ${probe.reason}; concurrent scenarios run ${runs} times`);
    } else head.push(`live: not usable — ${probe.reason}; checking the model against the recorded results only`);
  } else head.push('live: not run (no --live); checking the model against the recorded results');
  process.stdout.write(`${head.join('\n')}\n\n`);

  const nameW = Math.max(8, ...programs.map((p) => p.name.length));
  const row = (cells: string[]): string => `${(cells[0] ?? '').padEnd(nameW)}  ${(cells[1] ?? '').padStart(3)}  ${(cells[2] ?? '').padEnd(18)}  ${(cells[3] ?? '').padEnd(30)}  ${cells[4] ?? ''}`.trimEnd();
  process.stdout.write(`${paintOut.bold(row(['scenario', 'ops', 'model', 'live', 'verdict']))}\n${row(['-'.repeat(nameW), '---', '-'.repeat(18), '-'.repeat(30), '-------'])}\n`);
  const results: Conformance[] = [];
  try {
    for (const prog of programs) {
      const c = await conformScenario(prog, version, executor === null ? null : { executor, runs });
      results.push(c);
      if (flags.record === true && c.live?.kind === 'ran') writeRecording(prog, liveKernel, c.live.runs, c.live.outcomes);
      const ops = prog.setup.length + prog.threads.reduce((n, t) => n + t.ops.length, 0);
      const verdict = diverges(c) ? paintOut.red('DIVERGES') : paintOut.green('ok');
      process.stdout.write(`${row([prog.name, String(ops), modelCell(c), liveCell(c), verdict])}\n`);
    }
  } finally {
    await executor?.close();
  }

  const tail: string[] = [];
  for (const c of results) {
    const lines = report(c, liveName);
    if (lines.length > 0) tail.push('', `${diverges(c) ? 'DIVERGENCE' : 'NOTE'} ${c.prog.name} (${c.prog.file})`, ...lines);
  }
  for (const c of results.filter((r) => concurrent(r.prog))) {
    tail.push('', `outcomes of ${c.prog.name}:`);
    c.model.records.forEach((r, i) => tail.push(`  model  ${String(c.model.counts[i]).padStart(6)} executions  ${outcomeLine(c.prog, r)}`));
    if (c.live?.kind === 'ran') for (const o of c.live.outcomes) tail.push(`  live   ${String(o.count).padStart(6)} runs        ${outcomeLine(c.prog, o.record)}`);
  }
  const bad = results.filter(diverges).length;
  const refused = results.filter((r) => r.live?.kind === 'refused').length;
  tail.push('', `${plural(results.length, 'scenario')}: ${results.length - bad} conform, ${bad} diverge${refused > 0 ? `, ${refused} not run live` : ''}`);
  process.stdout.write(`${tail.join('\n')}\n`);
  return bad > 0 ? EXIT.FINDINGS : refused > 0 ? EXIT.BAD_INPUT : EXIT.CLEAN;
}
