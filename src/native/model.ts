/**
 * The model side of a conformance run: the same compiled program on the
 * kernel model (host without VFIO), every interleaving explored by the
 * explorer `check` uses (dpor with state caching and symmetry), and the
 * result record of each execution collected (recorder.ts) — the set of
 * behaviours the model allows. For a program without threads that set has
 * one element.
 */
import { defaultCheckers, symmetryOf } from '../api/check.js';
import { DporStrategy } from '../explore/dpor.js';
import { explore } from '../explore/explore.js';
import { modelProgram } from '../kernel/userspace/program.js';
import { kernelVersion } from '../kernel/versions.js';
import type { ScenarioProgram, Syscall } from '../scenario/program.js';
import type { ResultRecord } from './live.js';
import { Recorder } from './recorder.js';

/** What the model allows for a program. */
export interface ModelRun {
  /** Distinct result records, in the order first seen. */
  readonly records: readonly ResultRecord[];
  /** How many executions produced each record. */
  readonly counts: readonly number[];
  readonly executions: number;
  readonly complete: boolean;
  /** Findings other than unexpected results (deadlock, leak, use after free …): each is a model problem. */
  readonly findings: readonly string[];
}

/** The ops of each thread by name ("setup" included). */
export function opsByThread(prog: ScenarioProgram): ReadonlyMap<string, readonly Syscall[]> {
  return new Map([['setup', prog.setup], ...prog.threads.map((t): [string, readonly Syscall[]] => [t.name, t.ops])]);
}

/** How the model side explores. */
export interface ModelOptions {
  /** At most this many executions (the result then says whether it is complete); default: no bound. */
  readonly maxExecutions?: number;
  /** State caching and symmetry, as `check` explores (default on). */
  readonly cache?: boolean;
}

/** Explores `prog` on the model of `version` and returns every result record it allows. */
export function runModel(prog: ScenarioProgram, version: string, opts: ModelOptions = {}): ModelRun {
  const v = kernelVersion(version);
  if (v === undefined) throw new Error(`unknown kernel version "${version}"`);
  const recorder = new Recorder(opsByThread(prog));
  const cache = opts.cache ?? true;
  const strategy = new DporStrategy({ cache, symmetry: cache ? symmetryOf(prog, {}) : null });
  const bound = opts.maxExecutions === undefined ? {} : { maxExecutions: opts.maxExecutions };
  const r = explore(modelProgram(prog, v), { strategy, checkers: [...defaultCheckers(), recorder], ...bound });
  const seen = [...recorder.seen.values()];
  return {
    records: seen.map((s) => s.record),
    counts: seen.map((s) => s.count),
    executions: r.executions,
    complete: r.complete,
    findings: r.findings.filter((f) => f.kind !== 'expectation').map((f) => `${f.kind}: ${f.title}`),
  };
}
