/**
 * Fd-leak accounting for live runs: what the process's fd table points at
 * (/proc/self/fd), restricted to the files a scenario can open. A run that
 * leaves one more of them open than before it started has leaked.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const O_ACCMODE = 0o3;
const O_RDWR = 0o2;

/** Whether fd `name` is open read-write (fdinfo's flags are octal). */
function readWrite(name: string): boolean {
  try {
    const m = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${name}`, 'utf8'));
    return m !== null && (parseInt(m[1] ?? '0', 8) & O_ACCMODE) === O_RDWR;
  } catch {
    return false;
  }
}

/**
 * Whether an fd is one a scenario's run can have opened: /dev/kvm, KVM's anon
 * inodes, and /dev/null opened read-write (as the live executor opens it).
 * Node keeps a read-only /dev/null of its own, opened at its first child
 * process spawn and never closed: that one is not a run's leak.
 */
function tracked(name: string, target: string): boolean {
  if (target === '/dev/null') return readWrite(name);
  return target === '/dev/kvm' || target.startsWith('anon_inode:kvm');
}

/** How many fds of this process point at each tracked target. */
export function fdSnapshot(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${name}`);
    } catch {
      continue; // the directory's own fd, gone by now
    }
    if (tracked(name, target)) counts.set(target, (counts.get(target) ?? 0) + 1);
  }
  return counts;
}

/** What is open now that was not before: "anon_inode:kvm-vfio ×1", … (empty: no leak). */
export function fdLeaks(before: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const [target, n] of fdSnapshot()) {
    const extra = n - (before.get(target) ?? 0);
    if (extra > 0) out.push(`${target} ×${extra}`);
  }
  return out.sort();
}
