/**
 * The model side of a conformance run: the same compiled program on the
 * kernel model (host without VFIO), every interleaving explored (dpor), and
 * the result record of each execution collected — the set of behaviours the
 * model allows. For a program without threads that set has one element.
 */
import { defaultCheckers } from '../api/check.js';
import type { Checker } from '../check/checker.js';
import { DporStrategy } from '../explore/dpor.js';
import { explore } from '../explore/explore.js';
import { modelProgram } from '../kernel/userspace/program.js';
import { kernelVersion } from '../kernel/versions.js';
import type { RtEvent } from '../rt/events.js';
import type { Execution } from '../rt/execution.js';
import type { ScenarioProgram, Syscall } from '../scenario/program.js';
import type { RawFinding } from '../trace/finding.js';
import { PID_RECORD } from './interp.js';
import type { ResultRecord } from './live.js';

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

/** A record key that identifies equal records. */
export function recordKey(r: ResultRecord): string {
  return JSON.stringify([...r]);
}

/** Collects each execution's records from op-end events (a checker, so it hears begin/end). */
class Recorder implements Checker {
  readonly name = 'conform-recorder';
  private current = new Map<string, string[]>();
  readonly seen = new Map<string, { record: ResultRecord; count: number }>();

  constructor(private readonly ops: ReadonlyMap<string, readonly Syscall[]>) {}

  begin(): void {
    this.current = new Map();
  }

  event(ev: RtEvent): void {
    if (ev.kind !== 'op-end') return;
    const name = ev.thread.name;
    const list = this.current.get(name) ?? [];
    const op = this.ops.get(name)?.[list.length];
    let rec = ev.output === null ? ev.result : `${ev.result} ${ev.output}`;
    // The model numbers its processes from 1, the host does not: a fork is compared by success alone.
    if (op?.sys === 'fork' && !rec.startsWith('-')) rec = PID_RECORD;
    list.push(rec);
    this.current.set(name, list);
  }

  end(_exec: Execution): RawFinding[] {
    const record = new Map<string, readonly string[]>();
    for (const name of this.ops.keys()) {
      const r = this.current.get(name);
      if (r !== undefined) record.set(name, r);
    }
    const key = recordKey(record);
    const s = this.seen.get(key);
    if (s === undefined) this.seen.set(key, { record, count: 1 });
    else s.count++;
    return [];
  }
}

/** Explores `prog` on the model of `version` and returns every result record it allows. */
export function runModel(prog: ScenarioProgram, version: string, maxExecutions = 200_000): ModelRun {
  const v = kernelVersion(version);
  if (v === undefined) throw new Error(`unknown kernel version "${version}"`);
  const recorder = new Recorder(opsByThread(prog));
  const r = explore(modelProgram(prog, v), { strategy: new DporStrategy(), checkers: [...defaultCheckers(), recorder], maxExecutions });
  const seen = [...recorder.seen.values()];
  return {
    records: seen.map((s) => s.record),
    counts: seen.map((s) => s.count),
    executions: r.executions,
    complete: r.complete,
    findings: r.findings.filter((f) => f.kind !== 'expectation').map((f) => `${f.kind}: ${f.title}`),
  };
}
