/**
 * The model side's result records (model.ts): each execution's results, op
 * by op and thread by thread — as a checker, so that it hears every
 * execution, and with subtree summaries (Checker.subtree), so that the model
 * side explores with state caching and symmetry like `check`: an execution
 * cut short at a state explored before has its records completed by the
 * suffixes that state's subtree gave (what each thread returned from there
 * on), and a summary is those suffixes.
 */
import type { Checker, SubtreeSummaries } from '../check/checker.js';
import type { RtEvent } from '../rt/events.js';
import type { Execution } from '../rt/execution.js';
import type { Syscall } from '../scenario/program.js';
import type { RawFinding } from '../trace/finding.js';
import { PID_RECORD } from './interp.js';
import type { ResultRecord } from './live.js';

/** A record key that identifies equal records. */
export function recordKey(r: ResultRecord): string {
  return JSON.stringify([...r]);
}

/** What each thread returned over some steps, in order: a suffix of records (JSON of sorted [thread, results]). */
type Suffixes = Set<string>;

/** Collects each execution's records from op-end events. */
export class Recorder implements Checker, SubtreeSummaries<Suffixes> {
  readonly name = 'conform-recorder';
  readonly subtree = this;
  readonly seen = new Map<string, { record: ResultRecord; count: number }>();
  private current = new Map<string, string[]>();
  /** Per step of the execution: who returned what. */
  private steps: [string, string][][] = [];
  private exec: Execution | null = null;

  constructor(private readonly ops: ReadonlyMap<string, readonly Syscall[]>) {}

  begin(exec?: Execution): void {
    this.current = new Map();
    this.steps = [];
    this.exec = exec ?? null;
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
    const step = (this.exec?.steps ?? 0) - 1;
    if (step >= 0) (this.steps[step] ??= []).push([name, rec]);
  }

  end(exec: Execution): RawFinding[] {
    // Cut short at a state explored before: its records were completed there (revisit).
    if (exec.status !== 'cached') this.add(this.current);
    return [];
  }

  private add(results: ReadonlyMap<string, readonly string[]>): void {
    const record = new Map<string, readonly string[]>();
    for (const name of this.ops.keys()) {
      const r = results.get(name);
      if (r !== undefined) record.set(name, r);
    }
    const key = recordKey(record);
    const s = this.seen.get(key);
    if (s === undefined) this.seen.set(key, { record, count: 1 });
    else s.count++;
  }

  // ---- SubtreeSummaries: the records' suffixes below a state ---------------

  empty(): Suffixes {
    return new Set();
  }

  copy(s: Suffixes): Suffixes {
    return new Set(s);
  }

  keep(s: Suffixes): Suffixes {
    return s;
  }

  lift(from: number, to: number, below: Suffixes | null, into: Suffixes): void {
    // Without `below`: the last steps of an execution — a suffix only if it ran to its end.
    const status = this.exec?.status;
    if (below === null && (status === 'cached' || status === 'pruned' || status === 'running')) return;
    const mine = new Map<string, string[]>();
    for (let step = from; step < to; step++) for (const [name, rec] of this.steps[step] ?? []) (mine.get(name) ?? mine.set(name, []).get(name))?.push(rec);
    for (const suffix of below ?? [null]) into.add(suffixKey(joined(mine, suffix === null ? new Map() : parse(suffix))));
  }

  revisit(summary: Suffixes): boolean {
    for (const suffix of summary) this.add(joined(this.current, parse(suffix)));
    return false;
  }

  rename(summary: Suffixes, rename: (name: string) => string): Suffixes {
    const out: Suffixes = new Set();
    for (const suffix of summary) out.add(suffixKey(new Map([...parse(suffix)].map(([name, recs]) => [rename(name), recs]))));
    return out;
  }
}

function parse(suffix: string): Map<string, readonly string[]> {
  return new Map(JSON.parse(suffix) as [string, string[]][]);
}

function suffixKey(m: ReadonlyMap<string, readonly string[]>): string {
  return JSON.stringify([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Each thread's results in `a`, then in `b`. */
function joined(a: ReadonlyMap<string, readonly string[]>, b: ReadonlyMap<string, readonly string[]>): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>(a);
  for (const [name, recs] of b) out.set(name, [...(a.get(name) ?? []), ...recs]);
  return out;
}
