/**
 * Worker threads for a scenario's threads on the live kernel, kept across runs
 * (starting a worker and loading koffi costs tens of milliseconds; a race is
 * repeated many times). One run: post every thread's ops, wait until all are
 * armed, raise one start flag, collect each thread's records.
 */
import { Worker } from 'node:worker_threads';
import type { Syscall } from '../scenario/program.js';
import type { FdTable } from './fdtable.js';
import { compiledScript } from './scripts.js';
import type { WorkerJob, WorkerReply } from './worker.js';

/** One thread's work in a run. */
export interface ThreadJob {
  readonly ops: readonly Syscall[];
  readonly vars: ReadonlyMap<string, number>;
}

interface Pending {
  armed: () => void;
  done: (records: string[]) => void;
  fail: (e: Error) => void;
}

/** A pool of live worker threads. Call {@link WorkerPool.close} when done, or the process stays alive. */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<Worker, Pending>();

  private spawn(): Worker {
    const w = new Worker(compiledScript('worker'));
    w.on('message', (m: WorkerReply) => {
      const p = this.pending.get(w);
      if (p === undefined) return;
      if (m.kind === 'armed') p.armed();
      else if (m.kind === 'done') p.done(m.records);
      else p.fail(new Error(`live worker: ${m.message}`));
    });
    w.on('error', (e) => this.pending.get(w)?.fail(e));
    w.on('exit', (code) => {
      this.workers.splice(this.workers.indexOf(w), 1);
      this.pending.get(w)?.fail(new Error(`live worker exited (${code})`));
    });
    this.workers.push(w);
    return w;
  }

  /**
   * Runs `jobs` concurrently, one per worker; `onStart` runs just before the
   * start flag is raised (forked children get their go then). Resolves to each
   * job's records, in order.
   */
  async run(jobs: readonly ThreadJob[], fds: FdTable, onStart: () => void): Promise<string[][]> {
    while (this.workers.length < jobs.length) this.spawn();
    const start = new SharedArrayBuffer(4);
    const armed: Promise<void>[] = [];
    const done: Promise<string[]>[] = [];
    jobs.forEach((job, i) => {
      const w = this.workers[i] as Worker;
      let arm!: () => void;
      armed.push(new Promise<void>((res) => (arm = res)));
      done.push(
        new Promise<string[]>((resolve, reject) => {
          this.pending.set(w, { armed: arm, done: resolve, fail: reject });
        }),
      );
      const msg: WorkerJob = { kind: 'run', ops: job.ops, vars: [...job.vars], fds: fds.buffer, start };
      w.postMessage(msg);
    });
    try {
      // A worker that fails before arming rejects its `done`; race the two so that is not a hang.
      await Promise.race([Promise.all(armed), Promise.all(done)]);
      onStart();
      const flag = new Int32Array(start);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      return await Promise.all(done);
    } catch (e) {
      // Let every armed sibling finish before reporting, so no worker still holds fds when cleanup runs.
      Atomics.store(new Int32Array(start), 0, 1);
      await Promise.allSettled(done);
      throw e;
    } finally {
      for (const w of this.workers) this.pending.delete(w);
    }
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
