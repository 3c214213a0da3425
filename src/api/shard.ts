/**
 * One check split into shards (split.ts) that run anywhere — worker threads,
 * a CI matrix, a Kubernetes indexed Job — and the merge of their results into
 * the check one unsplit run gives: the same findings, the same counts.
 *
 * A shard hands over its exploration's findings and what its cross-execution
 * checkers learned (lockdep's dependency graph, put-under-lock's teardowns);
 * merging replays those into fresh checkers, so a lock-order cycle whose two
 * edges were seen by different shards is still reported, and concludes again
 * over everything (a potential deadlock confirmed by another shard's deadlock).
 */
import type { Checker } from '../check/checker.js';
import { concludeAll, explore, type ExploreResult } from '../explore/explore.js';
import type { Split } from '../explore/split.js';
import { kernelVersion } from '../kernel/versions.js';
import { modelProgram } from '../kernel/userspace/program.js';
import type { ExecStatus } from '../rt/execution.js';
import type { ScenarioProgram } from '../scenario/program.js';
import type { Finding } from '../trace/finding.js';
import { defaultCheckers, exploreOptions, type CheckOptions } from './check.js';

export const SHARD_FORMAT_VERSION = 1;

/** What one shard hands over (plain JSON). */
export interface ShardResult {
  readonly format: 'kvmsim-shard';
  readonly version: number;
  readonly scenario: string;
  readonly file: string;
  readonly kernel: string;
  readonly split: Split;
  readonly options: { readonly lockdep: boolean; readonly races: boolean };
  readonly result: ExploreResult;
  /** Each cross-execution checker's snapshot, by checker name. */
  readonly snapshots: Readonly<Record<string, unknown>>;
}

/** A set of shard results that do not make one check (the CLI reports it as bad input). */
export class ShardMismatch extends Error {}

/** Explores this shard's share of `prog` on `kernel` (dpor, split as given). */
export function exploreShard(prog: ScenarioProgram, kernel: string, split: Split, opts: CheckOptions = {}): ShardResult {
  const version = kernelVersion(kernel);
  if (version === undefined) throw new Error(`unknown kernel version "${kernel}"`);
  const options = { lockdep: opts.lockdep ?? true, races: opts.races ?? true };
  const checkers = defaultCheckers(options.lockdep, options.races);
  const result = explore(modelProgram(prog, version), exploreOptions(opts, checkers, split));
  const snapshots: Record<string, unknown> = {};
  for (const c of checkers) if (c.snapshot !== undefined) snapshots[c.name] = c.snapshot();
  return { format: 'kvmsim-shard', version: SHARD_FORMAT_VERSION, scenario: prog.name, file: prog.file, kernel, split, options, result, snapshots };
}

/** Checks that `shards` are every shard of one split check, each once; returns them in shard order. */
function validate(shards: readonly ShardResult[]): ShardResult[] {
  const first = shards[0];
  if (first === undefined) throw new ShardMismatch('no shard results to merge');
  for (const s of shards) {
    if (s.format !== 'kvmsim-shard' || s.version !== SHARD_FORMAT_VERSION) {
      throw new ShardMismatch(`not a kvmsim shard result (format ${String(s.format)} version ${String(s.version)}; expected kvmsim-shard version ${SHARD_FORMAT_VERSION})`);
    }
    const same =
      s.file === first.file &&
      s.kernel === first.kernel &&
      s.split.of === first.split.of &&
      s.split.depth === first.split.depth &&
      s.options.lockdep === first.options.lockdep &&
      s.options.races === first.options.races;
    if (!same) {
      throw new ShardMismatch(`shards of different checks: ${first.file}@${first.kernel} split ${first.split.of} ways at depth ${first.split.depth} vs ${s.file}@${s.kernel} split ${s.split.of} ways at depth ${s.split.depth} (or other checker options)`);
    }
  }
  const sorted = [...shards].sort((a, b) => a.split.shard - b.split.shard);
  const missing: number[] = [];
  for (let i = 0; i < first.split.of; i++) {
    const n = sorted.filter((s) => s.split.shard === i).length;
    if (n > 1) throw new ShardMismatch(`${first.file}@${first.kernel}: shard ${i + 1}/${first.split.of} given ${n} times`);
    if (n === 0) missing.push(i + 1);
  }
  if (missing.length > 0) throw new ShardMismatch(`${first.file}@${first.kernel}: missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.split.of}`).join(', ')}`);
  return sorted;
}

/** Merges every shard of one check into the exploration result an unsplit run (split the same way) gives. */
export function mergeShards(shards: readonly ShardResult[]): ExploreResult {
  const sorted = validate(shards);
  const first = sorted[0] as ShardResult;
  const checkers: Checker[] = defaultCheckers(first.options.lockdep, first.options.races);
  const checkerOf: Record<string, string> = {};
  const best = new Map<string, Finding>();
  const counts = new Map<string, number>();
  // The representative is the one an unsplit run meets first: lowest subtree.
  const rank = (f: Finding): number => f.subtree ?? Number.POSITIVE_INFINITY;
  for (const s of sorted) {
    for (const f of s.result.findings) {
      counts.set(f.signature, (counts.get(f.signature) ?? 0) + f.executions);
      const seen = best.get(f.signature);
      if (seen === undefined || rank(f) < rank(seen)) best.set(f.signature, { ...f, shard: s.split.shard + 1 });
      checkerOf[f.signature] ??= s.result.checkerOf[f.signature] ?? '';
    }
  }
  // Cross-execution knowledge, replayed shard by shard: what only the union shows comes last.
  const absorbed: Finding[] = [];
  for (const s of sorted) {
    for (const c of checkers) {
      if (c.absorb === undefined || s.snapshots[c.name] === undefined) continue;
      for (const a of c.absorb(s.snapshots[c.name])) {
        if (best.has(a.raw.signature) || absorbed.some((f) => f.signature === a.raw.signature)) continue;
        absorbed.push({ ...a.raw, schedule: a.schedule, executions: 1, firstExecution: 1, shard: s.split.shard + 1 });
        checkerOf[a.raw.signature] = c.name;
      }
    }
  }
  const found = [...best.values()]
    .sort((a, b) => rank(a) - rank(b) || (a.shard ?? 0) - (b.shard ?? 0) || a.firstExecution - b.firstExecution)
    .map((f) => ({ ...f, executions: counts.get(f.signature) ?? f.executions }));
  const sum = (pick: (r: ExploreResult) => number): number => sorted.reduce((n, s) => n + pick(s.result), 0);
  const bound = sorted.find((s) => s.result.bound !== null);
  const complete = bound === undefined && sorted.every((s) => s.result.complete);
  const executions = sum((r) => r.executions);
  const statuses = {} as Record<ExecStatus, number>;
  for (const k of Object.keys(first.result.statuses) as ExecStatus[]) statuses[k] = sum((r) => r.statuses[k]);
  return {
    strategy: `dpor, split ${first.split.of} way${first.split.of === 1 ? '' : 's'} at depth ${first.split.depth}`,
    executions,
    complete,
    bound: bound === undefined ? null : `shard ${bound.split.shard + 1}/${bound.split.of}: ${bound.result.bound}`,
    findings: concludeAll(checkers, [...found, ...absorbed], checkerOf, { executions, complete }),
    executionsWithFindings: sum((r) => r.executionsWithFindings),
    statuses,
    steps: sum((r) => r.steps),
    checkerOf,
  };
}
