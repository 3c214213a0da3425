/**
 * What the live backend is willing to run. Everything here is decided from
 * the compiled program alone, before any fd is opened: a scenario that needs
 * something the live host lacks (VFIO groups, an arbitrary path) is refused
 * with a diagnostic naming the op, never half-run.
 */
import type { ScenarioProgram, Syscall } from '../scenario/program.js';

/** Paths the live executor opens: the KVM node, and /dev/null as a harmless non-KVM file. */
export const LIVE_PATHS: ReadonlySet<string> = new Set(['/dev/kvm', '/dev/null']);

/** Named requests the live executor issues (VFIO requests need VFIO groups, which the host lacks). */
export const LIVE_REQUESTS: ReadonlySet<string> = new Set([
  'KVM_GET_API_VERSION',
  'KVM_CREATE_VM',
  'KVM_CHECK_EXTENSION',
  'KVM_CREATE_VCPU',
  'KVM_CREATE_DEVICE',
  'KVM_SET_DEVICE_ATTR',
  'KVM_GET_DEVICE_ATTR',
  'KVM_HAS_DEVICE_ATTR',
]);

/** Worker threads the live executor runs at most in one process. */
export const MAX_LIVE_THREADS = 8;

/** Why the live host cannot run something, pointing at the op (or the scenario). */
export interface Refusal {
  readonly where: string;
  readonly message: string;
}

const at = (prog: ScenarioProgram, op: Syscall | null): string =>
  op === null ? prog.file : `${op.site.file}:${op.site.line}:${op.site.col}`;

/** Why `op` cannot run live, or null. */
export function refuseOp(op: Syscall): string | null {
  switch (op.sys) {
    case 'open':
      return LIVE_PATHS.has(op.path)
        ? null
        : `open("${op.path}") is not run on the live host (it opens only ${[...LIVE_PATHS].join(' and ')}; VFIO nodes need VFIO groups)`;
    case 'ioctl':
      if (op.request === null) {
        // Raw numbers reach the kernel as they are (unknown-ioctl checks); a string argument would be VFIO's.
        return op.arg.kind === 'string' ? `a raw ioctl with a string argument is not run live` : null;
      }
      return LIVE_REQUESTS.has(op.request) ? null : `${op.request} needs VFIO, which the live host does not have`;
    case 'close':
    case 'dup':
    case 'exit':
    case 'fork':
      return null;
  }
}

/** Every reason `prog` cannot run on the live host (empty: it can). */
export function liveRefusals(prog: ScenarioProgram): Refusal[] {
  const out: Refusal[] = [];
  if (prog.host.vfio !== null) out.push({ where: at(prog, null), message: 'the scenario declares VFIO groups (host.vfio); the live host has no VFIO' });
  const ops = [...prog.setup, ...prog.threads.flatMap((t) => t.ops)];
  for (const op of ops) {
    const why = refuseOp(op);
    if (why !== null) out.push({ where: at(prog, op), message: why });
  }
  const main = prog.threads.filter((t) => t.process === prog.process);
  if (main.length > MAX_LIVE_THREADS) out.push({ where: at(prog, null), message: `more than ${MAX_LIVE_THREADS} threads in the main process` });
  const perChild = new Map<string, number>();
  for (const t of prog.threads) if (t.process !== prog.process) perChild.set(t.process, (perChild.get(t.process) ?? 0) + 1);
  for (const [child, n] of perChild) {
    // A forked child is a separate node process running its thread's ops; one thread each keeps it simple and exact.
    if (n > 1) out.push({ where: at(prog, null), message: `forked process "${child}" has ${n} threads; the live executor runs one thread per forked child` });
  }
  return out;
}
