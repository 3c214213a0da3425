/**
 * Entry of a forked child on the live kernel. A real fork() cannot be had from
 * Node, so "child = fork()" spawns this script with the parent's scenario fds
 * placed at their (virtual) numbers through stdio inheritance (spawn's stdio
 * array: entry N becomes the child's fd N, the same open file). What makes it
 * a fork for KVM is what matters: another process, another mm — so KVM's VM
 * and device ioctls answer EIO — holding references to the same files.
 * Its fds 0–2 are fresh /dev/null opens (the real 0–2 carry this protocol).
 *
 * Protocol, one JSON line each way: stdin brings the job, stdout answers
 * "ready"; stdin then brings "go"; stdout answers with the records. Then the
 * child closes its fds in ascending order (exit) and exits.
 */
import { createInterface } from 'node:readline';
import type { Syscall } from '../scenario/program.js';
import { ARG_BLOCK_SIZE } from './abi.js';
import { FdTable } from './fdtable.js';
import { closeAll, execOps } from './interp.js';
import { isLibcFailure, loadLibc, O_CLOEXEC, O_RDWR } from './libc.js';

/** parent → child, first line. */
export interface ChildJob {
  readonly ops: readonly Syscall[];
  readonly vars: readonly [string, number][];
  /** Virtual fd numbers inherited at the same numbers. */
  readonly inherited: readonly number[];
}

/** child → parent. */
export type ChildReply = { readonly kind: 'ready' } | { readonly kind: 'done'; readonly records: string[] } | { readonly kind: 'error'; readonly message: string };

const say = (m: ChildReply): void => {
  process.stdout.write(`${JSON.stringify(m)}\n`);
};

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const first = await lines.next();
  const job = JSON.parse(String(first.value)) as ChildJob;
  const libc = await loadLibc();
  if (isLibcFailure(libc)) return say({ kind: 'error', message: `koffi: ${libc.error}` });
  const fds = new FdTable();
  for (const v of job.inherited) fds.bind(v, v);
  for (let i = 0; i < 3; i++) {
    const fd = libc.open('/dev/null', O_RDWR | O_CLOEXEC);
    if (fd >= 0) fds.alloc(fd);
  }
  say({ kind: 'ready' });
  const go = await lines.next();
  if (go.done === true || String(go.value) !== 'go') return say({ kind: 'error', message: 'no go' });
  const cx = { libc, fds, vars: new Map(job.vars), mem: libc.alloc(ARG_BLOCK_SIZE) };
  try {
    say({ kind: 'done', records: execOps(cx, job.ops) });
  } finally {
    closeAll(libc, fds);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    say({ kind: 'error', message: (e as Error).stack ?? String(e) });
    process.exit(1);
  },
);
