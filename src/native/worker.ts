/**
 * Entry of a live worker thread: one scenario thread of the main process.
 * It shares the process's fd table (the kernel's, and the virtual one through
 * a SharedArrayBuffer), arms itself, spins until every sibling is armed and
 * the start flag is raised — so racing ops really race — then runs its ops.
 */
import { parentPort } from 'node:worker_threads';
import type { Syscall } from '../scenario/program.js';
import { ARG_BLOCK_SIZE } from './abi.js';
import { FdTable } from './fdtable.js';
import { execOps } from './interp.js';
import { isLibcFailure, loadLibc, type NativeMem } from './libc.js';

/** main → worker: run `ops` once `start[0]` becomes 1. */
export interface WorkerJob {
  readonly kind: 'run';
  readonly ops: readonly Syscall[];
  readonly vars: readonly [string, number][];
  readonly fds: SharedArrayBuffer;
  readonly start: SharedArrayBuffer;
}

/** worker → main. */
export type WorkerReply =
  | { readonly kind: 'armed' }
  | { readonly kind: 'done'; readonly records: string[] }
  | { readonly kind: 'error'; readonly message: string };

let mem: NativeMem | null = null;

async function run(job: WorkerJob): Promise<WorkerReply> {
  const libc = await loadLibc();
  if (isLibcFailure(libc)) return { kind: 'error', message: `koffi: ${libc.error}` };
  mem ??= libc.alloc(ARG_BLOCK_SIZE);
  const cx = { libc, fds: new FdTable(job.fds), vars: new Map(job.vars), mem };
  const start = new Int32Array(job.start);
  parentPort?.postMessage({ kind: 'armed' } satisfies WorkerReply);
  // Spin rather than sleep: a woken sleeper starts tens of microseconds late, a spinner at once.
  let spins = 0;
  while (Atomics.load(start, 0) === 0) {
    if (++spins > 1_000_000) Atomics.wait(start, 0, 0, 10);
  }
  return { kind: 'done', records: execOps(cx, job.ops) };
}

parentPort?.on('message', (job: WorkerJob) => {
  run(job).then(
    (reply) => parentPort?.postMessage(reply),
    (e: unknown) => parentPort?.postMessage({ kind: 'error', message: (e as Error).stack ?? String(e) } satisfies WorkerReply),
  );
});
