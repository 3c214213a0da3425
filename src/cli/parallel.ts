/**
 * `--workers N`: one check explored by N worker threads, each a shard of the
 * same split (split.ts), merged as `kvmsim merge` merges shards from other
 * machines — so a parallel check finds exactly what a split sequential one
 * finds, in the same number of executions.
 */
import { Worker } from 'node:worker_threads';
import { mergeShards, type ShardResult } from '../api/shard.js';
import type { ExploreResult, Progress as Counts } from '../explore/explore.js';
import { splitDepth } from '../explore/split.js';
import type { WorkerJob, WorkerMessage } from './worker.js';

export interface ParallelJob {
  readonly file: string;
  readonly kernel: string;
  readonly workers: number;
  readonly lockdep: boolean;
  readonly races: boolean;
  readonly maxExecutions?: number;
  /** Told the summed progress; returning a string stops every worker (Ctrl-C, the time budget). */
  readonly onProgress: (p: Counts) => true | string;
}

/** Runs the shards on worker threads and merges them; the stop reason, if any, becomes the bound. */
export async function exploreParallel(job: ParallelJob): Promise<ExploreResult> {
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const latest: Counts[] = [];
  let reason: string | null = null;
  const depth = splitDepth(job.workers);
  const run = (shard: number): Promise<ShardResult> =>
    new Promise((resolve, reject) => {
      const data: WorkerJob = {
        file: job.file,
        kernel: job.kernel,
        split: { depth, shard, of: job.workers },
        lockdep: job.lockdep,
        races: job.races,
        ...(job.maxExecutions !== undefined ? { maxExecutions: Math.ceil(job.maxExecutions / job.workers) } : {}),
        stop,
      };
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: data });
      w.on('message', (m: WorkerMessage) => {
        if (m.kind === 'done') {
          resolve(m.result);
          return;
        }
        latest[shard] = m;
        const sum = latest.reduce((a, p) => ({ executions: a.executions + p.executions, findings: Math.max(a.findings, p.findings), steps: a.steps + p.steps }), { executions: 0, findings: 0, steps: 0 });
        const go = job.onProgress(sum);
        if (go !== true && reason === null) {
          reason = go;
          Atomics.store(flag, 0, 1);
        }
      });
      w.on('error', reject);
      w.on('exit', (code) => {
        if (code !== 0) reject(new Error(`worker for shard ${shard + 1}/${job.workers} exited with code ${code}`));
      });
    });
  const shards = await Promise.all(Array.from({ length: job.workers }, (_, i) => run(i)));
  const merged = mergeShards(shards);
  // The workers say "stopped"; the reason is the main thread's to give.
  return reason === null ? merged : { ...merged, bound: reason, complete: false };
}
