/**
 * A worker thread of `kvmsim check --workers N`: explores one shard of one
 * scenario × version and posts its result. Progress goes back every few
 * executions; the main thread stops every worker through a shared flag
 * (a worker busy exploring never reads its message queue).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { exploreShard } from '../api/shard.js';
import type { Split } from '../explore/split.js';
import { readScenario } from './io.js';

/** What the main thread hands a worker. */
export interface WorkerJob {
  readonly file: string;
  readonly kernel: string;
  readonly split: Split;
  readonly lockdep: boolean;
  readonly races: boolean;
  readonly maxExecutions?: number;
  /** Int32 flag: 0 go on; otherwise stop (the reason is posted back by the main thread itself). */
  readonly stop: SharedArrayBuffer;
}

/** Messages a worker posts. */
export type WorkerMessage =
  | { readonly kind: 'progress'; readonly executions: number; readonly findings: number; readonly steps: number }
  | { readonly kind: 'done'; readonly result: ReturnType<typeof exploreShard> };

const job = workerData as WorkerJob;
const port = parentPort;
if (port !== null) {
  const stop = new Int32Array(job.stop);
  const result = exploreShard(readScenario(job.file), job.kernel, job.split, {
    lockdep: job.lockdep,
    races: job.races,
    ...(job.maxExecutions !== undefined ? { maxExecutions: job.maxExecutions } : {}),
    onExecution: (p) => {
      if (p.executions % 50 === 0) port.postMessage({ kind: 'progress', executions: p.executions, findings: p.findings, steps: p.steps } satisfies WorkerMessage);
      return Atomics.load(stop, 0) === 0 ? true : 'stopped';
    },
  });
  port.postMessage({ kind: 'done', result } satisfies WorkerMessage);
}
