/**
 * The live executor: runs a compiled ScenarioProgram on the running kernel
 * through /dev/kvm and returns the same result record per op as the model.
 *
 * - setup runs on the calling thread, op by op;
 * - the main process's threads run concurrently on worker threads (one each),
 *   released together by one start flag, so racing ops really race;
 * - `child = fork()` spawns a node process holding the parent's scenario fds
 *   at their numbers (see child.ts); its thread starts with the others;
 * - fd numbers are virtual (see fdtable.ts): lowest free, starting after the
 *   scenario's own stdio 0–2 (/dev/null), as the model allocates them;
 * - afterwards every fd is closed (ascending, as exit does), even on failure,
 *   and the process's fd table is checked for leaks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ScenarioProgram } from '../scenario/program.js';
import { ARG_BLOCK_SIZE } from './abi.js';
import type { ChildJob, ChildReply } from './child.js';
import { FdTable } from './fdtable.js';
import { closeAll, execOps, type LiveCtx } from './interp.js';
import { fdLeaks, fdSnapshot } from './leak.js';
import { O_CLOEXEC, O_RDWR, type Libc } from './libc.js';
import { WorkerPool } from './pool.js';
import { compiledScript } from './scripts.js';
import { liveRefusals } from './support.js';

/** Results per thread ("setup" first), each op's record in order. */
export type ResultRecord = ReadonlyMap<string, readonly string[]>;

/** One live run of a scenario. */
export interface LiveRun {
  readonly records: ResultRecord;
  /** Tracked files left open by the run (must be empty). */
  readonly leaks: readonly string[];
}

interface Child {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly ready: Promise<void>;
  readonly done: Promise<string[]>;
  readonly exited: Promise<void>;
}

function startChild(name: string, fds: FdTable, job: Omit<ChildJob, 'inherited'>): Child {
  const inherited = fds.entries().filter(([v]) => v >= 3);
  const top = Math.max(2, ...inherited.map(([v]) => v));
  const stdio: ('pipe' | 'ignore' | number)[] = ['pipe', 'pipe', 'pipe'];
  for (let v = 3; v <= top; v++) stdio.push(fds.lookup(v) ?? 'ignore');
  const proc = spawn(process.execPath, [compiledScript('child')], { stdio });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((res) => proc.once('exit', () => res()));
  const replies = createInterface({ input: proc.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const next = async (): Promise<ChildReply> => {
    const line = await replies.next();
    if (line.done === true) throw new Error(`forked child "${name}" ended early: ${stderr.trim() || 'no output'}`);
    const m = JSON.parse(String(line.value)) as ChildReply;
    if (m.kind === 'error') throw new Error(`forked child "${name}": ${m.message}`);
    return m;
  };
  const ready = next().then(() => undefined);
  const done = ready.then(next).then((m) => (m.kind === 'done' ? m.records : []));
  // A run that fails before awaiting these kills the child: keep those rejections from crashing the process.
  ready.catch(() => undefined);
  done.catch(() => undefined);
  proc.stdin?.write(`${JSON.stringify({ ...job, inherited: inherited.map(([v]) => v) } satisfies ChildJob)}\n`);
  return { name, proc, ready, done, exited };
}

/** Runs scenario programs on the live kernel. Reuse one executor for many runs; close it at the end. */
export class LiveExecutor {
  private readonly pool = new WorkerPool();
  private readonly mem;

  constructor(private readonly libc: Libc) {
    this.mem = libc.alloc(ARG_BLOCK_SIZE);
  }

  /** One run of `prog`. Throws if the live host cannot run it (check {@link liveRefusals} first). */
  async run(prog: ScenarioProgram): Promise<LiveRun> {
    const refused = liveRefusals(prog);
    if (refused.length > 0) throw new Error(`live executor: ${refused.map((r) => `${r.where}: ${r.message}`).join('; ')}`);
    const before = fdSnapshot();
    const fds = new FdTable();
    const children: Child[] = [];
    const records = new Map<string, readonly string[]>();
    try {
      for (let i = 0; i < 3; i++) {
        const fd = this.libc.open('/dev/null', O_RDWR | O_CLOEXEC);
        if (fd < 0) throw new Error(`live executor: cannot open /dev/null (${fd})`);
        fds.alloc(fd);
      }
      const fork = (name: string, vars: ReadonlyMap<string, number>): number => {
        const ops = prog.threads.find((t) => t.process === name)?.ops ?? [];
        const c = startChild(name, fds, { ops, vars: [...vars] });
        children.push(c);
        return c.proc.pid ?? -1;
      };
      const setup: LiveCtx = { libc: this.libc, fds, vars: new Map(), mem: this.mem, fork };
      records.set('setup', execOps(setup, prog.setup));
      await Promise.all(children.map((c) => c.ready));
      const go = (): void => {
        for (const c of children) c.proc.stdin?.write('go\n');
      };
      const threads = prog.threads.filter((t) => t.process === prog.process);
      const out = threads.length > 0 ? await this.pool.run(threads.map((t) => ({ ops: t.ops, vars: setup.vars })), fds, go) : (go(), []);
      threads.forEach((t, i) => records.set(t.name, out[i] ?? []));
      for (const c of children) {
        const t = prog.threads.find((th) => th.process === c.name);
        const r = await c.done;
        if (t !== undefined) records.set(t.name, r);
      }
    } finally {
      for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
      closeAll(this.libc, fds);
    }
    return { records: ordered(prog, records), leaks: fdLeaks(before) };
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** The record in program order: setup, then the threads as declared. */
function ordered(prog: ScenarioProgram, m: ReadonlyMap<string, readonly string[]>): ResultRecord {
  const out = new Map<string, readonly string[]>();
  for (const name of ['setup', ...prog.threads.map((t) => t.name)]) {
    const r = m.get(name);
    if (r !== undefined) out.set(name, r);
  }
  return out;
}
