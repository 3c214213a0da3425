/**
 * lockdep's report shapes (Documentation/locking/lockdep-design.rst and the
 * splats kernel developers read daily), rendered from a finding's
 * LockdepData. Pure: lines in, lines out.
 */
import type { Finding, LockdepData, LockRef } from '../trace/finding.js';

/** `{+.+.}`: acquired in process context with irqs on (the model has no irq contexts); wait type per lock kind. */
function usage(l: LockRef): string {
  return l.kind === 'mutex' ? '{+.+.}-{3:3}' : '{+.+.}-{2:2}';
}

/** Where a lock was taken: the caller of the locking primitive. */
function at(l: LockRef): string {
  const s = l.stack;
  const top = s.at(-1);
  return (top === 'mutex_lock' || top === 'spin_lock' || top === 'mutex_lock_nested' ? s.at(-2) : top) ?? '?';
}

function line(l: LockRef): string {
  return ` (${l.cls})${usage(l)}, at: ${at(l)}`;
}

function trace(stack: readonly string[]): string[] {
  return [...stack].reverse().map((fn) => `       ${fn}`);
}

function heldLocks(d: LockdepData): string[] {
  const out = [`${d.held.length} lock${d.held.length === 1 ? '' : 's'} held by ${d.task}:`];
  d.held.forEach((h, i) => out.push(` #${i}:${line(h)}`));
  return out;
}

function backtrace(d: LockdepData): string[] {
  return d.stack.length === 0 ? [] : ['', 'stack backtrace:', ...trace(d.stack).map((l) => l.slice(4))];
}

function circularScenario(held: LockRef, acquiring: LockRef, parent: LockRef): string[] {
  const pad = (s: string): string => `${' '.repeat(31)}${s}`;
  return [
    ' Possible unsafe locking scenario:',
    '',
    '       CPU0                    CPU1',
    '       ----                    ----',
    `  lock(${held.cls});`,
    pad(`lock(${parent.cls});`),
    pad(`lock(${held.cls});`),
    `  lock(${acquiring.cls});`,
    '',
    ' *** DEADLOCK ***',
  ];
}

/** The report body for a lockdep-kind or put-under-lock finding. */
export function formatLockdep(f: Finding): string[] {
  const d = f.lockdep;
  if (d === undefined) return [];
  const acq = d.acquiring;
  const hold = d.holding;
  switch (f.kind) {
    case 'lockdep-recursive':
      if (acq === null || hold === null) return [];
      return [
        `${d.task} is trying to acquire lock:`,
        line(acq),
        '',
        'but task is already holding lock:',
        line(hold),
        '',
        'other info that might help us debug this:',
        ' Possible unsafe locking scenario:',
        '',
        '       CPU0',
        '       ----',
        `  lock(${hold.cls});`,
        `  lock(${acq.cls});`,
        '',
        ' *** DEADLOCK ***',
        '',
        ' May be due to missing lock nesting notation',
        '',
        ...heldLocks(d),
        ...backtrace(d),
      ];
    case 'lockdep-circular':
    case 'put-under-lock': {
      if (acq === null || hold === null) return [];
      const out: string[] = [];
      if (d.put !== undefined) {
        out.push(
          `${d.task} puts ${d.put.counter} while holding ${hold.cls}, at:`,
          ...trace(d.put.site),
          '',
          `the final put of ${d.put.counter} runs a teardown that takes ${acq.cls}, at:`,
          ...trace(d.put.teardown),
          '',
        );
        if (d.chain.length === 0) return [...out, ...heldLocks(d)];
        out.push(`and ${acq.cls} already depends on ${hold.cls}:`);
      } else {
        out.push(`${d.task} is trying to acquire lock:`, line(acq), '', 'but task is already holding lock:', line(hold), '', 'which lock already depends on the new lock.', '');
      }
      out.push('', 'the existing dependency chain (in reverse order) is:');
      d.chain.forEach((l, i) => out.push('', `-> #${d.chain.length - 1 - i} (${l.cls})${usage(l)}:`, ...trace(l.stack)));
      out.push('', 'other info that might help us debug this:', '');
      if (d.chain.length > 2) out.push('Chain exists of:', `  ${d.chain.map((l) => l.cls).join(' --> ')}`, '');
      const parent = d.chain[1] ?? hold;
      out.push(...circularScenario(hold, acq, parent), '', ...heldLocks(d), ...backtrace(d));
      return out;
    }
    case 'lockdep-sleep-in-atomic':
      if (acq === null || hold === null) return [];
      return [`${d.task} takes sleeping lock (${acq.cls}) while holding spinlock (${hold.cls}):`, line(acq), ...heldLocks(d), ...backtrace(d)];
    case 'lockdep-held-on-return':
      return [`${d.task} is leaving the kernel with locks still held!`, ...heldLocks(d)];
    case 'lockdep-bad-unlock':
      if (acq === null) return [];
      return [`${d.task} is trying to release lock (${acq.cls}) at:`, `${at(acq)}`, 'but there are no more locks to release!', '', ...heldLocks(d), ...backtrace(d)];
    default:
      return [];
  }
}

/** The lockdep banner title for a finding kind. */
export const LOCKDEP_TITLES: Readonly<Record<string, string>> = {
  'lockdep-recursive': 'WARNING: possible recursive locking detected',
  'lockdep-circular': 'WARNING: possible circular locking dependency detected',
  'lockdep-sleep-in-atomic': 'BUG: sleeping function called from invalid context',
  'lockdep-held-on-return': 'WARNING: lock held when returning to user space!',
  'lockdep-bad-unlock': 'WARNING: bad unlock balance detected!',
  'put-under-lock': 'WARNING: possible deadlock: reference put under a lock its teardown takes',
};
