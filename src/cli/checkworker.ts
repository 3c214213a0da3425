/**
 * The worker thread a plain `kvmsim check` explores on (session.ts is the
 * main thread's side). Exploring is synchronous: on the main thread it
 * would keep Node from ever running the SIGINT handler. Here the main thread
 * stays free to hear Ctrl-C and raise the shared stop flag, which this
 * worker reads at every execution boundary. It takes one job at a time
 * (between jobs it is idle and reads its messages) and answers each with
 * progress messages and then the check's result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkScenario, type CheckOptions, type CheckResult } from '../api/check.js';
import { readScenario } from './io.js';

/** A job: one scenario × kernel, with the check's options (no callbacks: they cannot cross threads). */
export interface CheckJob {
  readonly file: string;
  readonly kernel: string;
  readonly opts: Omit<CheckOptions, 'onExecution'>;
  /** Stop exploring after this long (the time budget), if given. */
  readonly budgetMs?: number;
}

/** Messages the worker posts. */
export type CheckWorkerMessage =
  | {
      readonly kind: 'progress';
      readonly executions: number;
      readonly findings: number;
      readonly steps: number;
      readonly states?: number;
      readonly explored?: number;
    }
  | { readonly kind: 'done'; readonly result: CheckResult }
  | { readonly kind: 'failed'; readonly message: string; readonly stack: string };

/** How often progress goes to the main thread (it draws at most every 100 ms). */
const PROGRESS_MS = 100;

const port = parentPort;
if (port !== null) {
  const stop = new Int32Array(workerData as SharedArrayBuffer);
  port.on('message', (job: CheckJob) => {
    const start = Date.now();
    let last = 0;
    try {
      const result = checkScenario(readScenario(job.file), job.kernel, {
        ...job.opts,
        onExecution: (p) => {
          if (Atomics.load(stop, 0) !== 0) return 'interrupted (Ctrl-C)';
          const now = Date.now();
          if (job.budgetMs !== undefined && now - start > job.budgetMs) return `time budget (${job.budgetMs / 1000}s)`;
          if (now - last >= PROGRESS_MS) {
            last = now;
            const explored = p.explored?.();
            port.postMessage({
              kind: 'progress',
              executions: p.executions,
              findings: p.findings,
              steps: p.steps,
              ...(p.states !== undefined ? { states: p.states } : {}),
              ...(explored !== undefined ? { explored } : {}),
            } satisfies CheckWorkerMessage);
          }
          return true;
        },
      });
      port.postMessage({ kind: 'done', result } satisfies CheckWorkerMessage);
    } catch (e) {
      port.postMessage({ kind: 'failed', message: (e as Error).message, stack: (e as Error).stack ?? String(e) } satisfies CheckWorkerMessage);
    }
  });
}
