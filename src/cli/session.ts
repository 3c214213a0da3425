/**
 * The main thread's side of a plain `kvmsim check` (checkworker.ts explores):
 * it owns Ctrl-C. The first one raises the shared stop flag — the worker stops
 * at its next execution boundary and the partial result is printed, as the
 * README promises (the jobs after it are not started: check.ts names them) —
 * and a second one exits at once (130, as a shell reports SIGINT).
 */
import { Worker } from 'node:worker_threads';
import type { CheckResult } from '../api/check.js';
import type { CheckJob, CheckWorkerMessage } from './checkworker.js';
import type { Progress } from './progress.js';

export class CheckSession {
  private readonly stop = new SharedArrayBuffer(4);
  private readonly flag = new Int32Array(this.stop);
  private readonly worker: Worker;
  private readonly onSigint = (): void => {
    if (Atomics.load(this.flag, 0) !== 0) process.exit(130);
    Atomics.store(this.flag, 0, 1);
  };

  constructor() {
    this.worker = new Worker(new URL('./checkworker.js', import.meta.url), { workerData: this.stop });
    process.on('SIGINT', this.onSigint);
  }

  /** Whether Ctrl-C stopped the run. */
  get interrupted(): boolean {
    return Atomics.load(this.flag, 0) !== 0;
  }

  /** Runs one job on the worker; its progress is drawn by `progress`. */
  run(job: CheckJob, progress: Progress): Promise<CheckResult> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: CheckWorkerMessage): void => {
        if (m.kind === 'progress') {
          const { explored, ...counts } = m;
          progress.update({ ...counts, ...(explored !== undefined ? { explored: () => explored } : {}) });
          return;
        }
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
        if (m.kind === 'done') resolve(m.result);
        else reject(Object.assign(new Error(m.message), { stack: m.stack }));
      };
      const onError = (e: Error): void => {
        this.worker.off('message', onMessage);
        reject(e);
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', onError);
      this.worker.postMessage(job);
    });
  }

  /** Ends the worker and gives Ctrl-C back to Node. */
  async close(): Promise<void> {
    process.off('SIGINT', this.onSigint);
    await this.worker.terminate();
  }
}
