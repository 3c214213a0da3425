// Linux 51cdc8bc120e "kvm/vfio: Fix potential deadlock on vfio group_lock":
// before it, the last kvm reference dropped by a VFIO driver's close_device
// (under group_lock) destroyed the VM, whose kvm-vfio destroy took group_lock
// again. kvmsim must find that self-deadlock on v6.2-rc5 and none on v6.2.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/check.js';
import { check, shipped } from '../helpers/scenarios.js';

/** Whether `stack` contains `chain` in order (other frames may sit between). */
function containsInOrder(stack: readonly string[], chain: readonly string[]): boolean {
  let i = 0;
  for (const fn of stack) if (fn === chain[i]) i++;
  return i === chain.length;
}

/** From the final kvm_put_kvm to the second acquisition of group_lock. */
const TEARDOWN = ['kvm_put_kvm', 'kvm_destroy_vm', 'kvm_destroy_devices', 'kvm_vfio_destroy', 'kvm_vfio_file_set_kvm', 'vfio_file_set_kvm'];

const CHAIN = ['vfio_device_fops_release', 'vfio_device_group_close', ...TEARDOWN];

describe('51cdc8bc120e: vfio-device-closed-last', () => {
  it('v6.2-rc5: closing the VFIO device last self-deadlocks on group_lock, with the kernel chain on the stack', () => {
    const r = check('vfio-device-closed-last.yaml', 'v6.2-rc5');
    expect(r.complete).toBe(true);
    // The deadlock itself, and lockdep's and put-under-lock's view of it.
    expect(r.findings.map((f) => f.kind).sort()).toEqual(['deadlock', 'lockdep-recursive', 'put-under-lock']);
    const [t] = r.findings.find((f) => f.kind === 'deadlock')!.threads;
    expect(t!.op).toBe('close(dev)');
    expect(containsInOrder(t!.stack, CHAIN)).toBe(true);
    expect(t!.stack.at(-1)).toBe('mutex_lock');
    expect(t!.waitingFor).toEqual({ lock: '&group->group_lock', owner: t!.name, instance: 'struct vfio_group #1' });
    // group_lock is held since vfio_device_group_close: the same lock, twice.
    expect(t!.held.map((h) => h.lock)).toEqual(['&group->group_lock', '&dev_set->lock']);
    expect(t!.held[0]!.stack).toContain('vfio_device_group_close');
  });

  it('v6.2: the same steps finish, nothing leaks', () => {
    const r = check('vfio-device-closed-last.yaml', 'v6.2');
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
    expect(r.statuses.done).toBe(r.executions);
  });

  it('the replay token of the v6.2-rc5 finding reproduces it exactly', () => {
    const r = check('vfio-device-closed-last.yaml', 'v6.2-rc5');
    const dl = r.findings.find((f) => f.kind === 'deadlock')!;
    const again = runScenario(shipped('vfio-device-closed-last.yaml'), 'v6.2-rc5', dl.schedule);
    expect(again.status).toBe('deadlock');
    expect(again.findings.filter((f) => f.kind === 'deadlock').map((f) => f.signature)).toEqual([dl.signature]);
  });
});

describe('51cdc8bc120e: teardown-races-device-close (two threads)', () => {
  it('v6.2-rc5: some interleavings deadlock, others finish', () => {
    const r = check('teardown-races-device-close.yaml', 'v6.2-rc5');
    expect(r.complete).toBe(true);
    expect(r.findings.map((f) => f.kind).sort()).toEqual(['deadlock', 'lockdep-recursive', 'put-under-lock']);
    expect(r.statuses.deadlock).toBeGreaterThan(0);
    expect(r.statuses.done).toBeGreaterThan(0);
    const f = r.findings.find((x) => x.kind === 'deadlock')!;
    expect(f.threads.map((t) => t.name)).toEqual(['user']);
    expect(containsInOrder(f.threads[0]!.stack, CHAIN)).toBe(true);
  });

  it('v6.2: every interleaving finishes cleanly', () => {
    const r = check('teardown-races-device-close.yaml', 'v6.2');
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
    expect(r.statuses.deadlock).toBe(0);
  });

  it('each deadlocking schedule replays to the same deadlock', () => {
    const r = check('teardown-races-device-close.yaml', 'v6.2-rc5');
    for (const f of r.findings.filter((x) => x.kind === 'deadlock')) {
      const again = runScenario(shipped('teardown-races-device-close.yaml'), 'v6.2-rc5', f.schedule);
      expect(again.status).toBe('deadlock');
    }
  });
});

describe('51cdc8bc120e: qemu-exit-device-fd-lowest (the deadlock inside do_exit)', () => {
  it('v6.2-rc5: the exiting task deadlocks in task work, as in the 6.2.0-rc6 splat shape do_exit -> task_work_run -> __fput', () => {
    const r = check('qemu-exit-device-fd-lowest.yaml', 'v6.2-rc5');
    expect(r.findings.map((f) => f.kind).sort()).toEqual(['deadlock', 'lockdep-recursive', 'put-under-lock']);
    const stack = r.findings.find((f) => f.kind === 'deadlock')!.threads[0]!.stack;
    expect(containsInOrder(stack, ['do_exit', 'task_work_run', '__fput', ...CHAIN])).toBe(true);
  });

  it('v6.2: clean', () => {
    expect(check('qemu-exit-device-fd-lowest.yaml', 'v6.2').findings).toEqual([]);
  });
});

// v6.1 (kvm-vfio frees on destroy, like v6.2-rc5; the VFIO group code still in
// vfio_main.c, closing a device under dev_set->lock, then group_lock) and v6.3+
// (the fix plus 2b48f52f2bff: the VFIO core's own kvm reference outlives the
// driver's close_device, and kvm-vfio's release no longer takes group_lock).

/** The same chain in v6.1: vfio_device_fops_release calls close_device itself. */
const CHAIN_V6_1 = ['vfio_device_fops_release', 'intel_vgpu_close_device', ...TEARDOWN];

describe('51cdc8bc120e: v6.1 deadlocks like v6.2-rc5', () => {
  it('vfio-device-closed-last: self-deadlock on group_lock, holding dev_set->lock then group_lock', () => {
    const r = check('vfio-device-closed-last.yaml', 'v6.1');
    expect(r.complete).toBe(true);
    const deadlocks = r.findings.filter((f) => f.kind === 'deadlock');
    expect(deadlocks).toHaveLength(1);
    const [t] = deadlocks[0]!.threads;
    expect(t!.op).toBe('close(dev)');
    expect(containsInOrder(t!.stack, CHAIN_V6_1)).toBe(true);
    expect(t!.stack.at(-1)).toBe('mutex_lock');
    expect(t!.waitingFor).toEqual({ lock: '&group->group_lock', owner: t!.name, instance: 'struct vfio_group #1' });
    expect(t!.held.map((h) => h.lock)).toEqual(['&dev_set->lock', '&group->group_lock']);
    expect(t!.held.every((h) => h.stack.includes('vfio_device_fops_release'))).toBe(true);
  });

  it('teardown-races-device-close: some interleavings deadlock, others finish; each replays', () => {
    const r = check('teardown-races-device-close.yaml', 'v6.1');
    expect(r.complete).toBe(true);
    expect(r.statuses.deadlock).toBeGreaterThan(0);
    expect(r.statuses.done).toBeGreaterThan(0);
    const deadlocks = r.findings.filter((f) => f.kind === 'deadlock');
    expect(deadlocks).toHaveLength(1);
    expect(deadlocks[0]!.threads.map((t) => t.name)).toEqual(['user']);
    expect(containsInOrder(deadlocks[0]!.threads[0]!.stack, CHAIN_V6_1)).toBe(true);
    for (const f of deadlocks) {
      const again = runScenario(shipped('teardown-races-device-close.yaml'), 'v6.1', f.schedule);
      expect(again.status).toBe('deadlock');
    }
  });

  it('qemu-exit-device-fd-lowest: the exiting task deadlocks in task work', () => {
    const r = check('qemu-exit-device-fd-lowest.yaml', 'v6.1');
    const deadlocks = r.findings.filter((f) => f.kind === 'deadlock');
    expect(deadlocks).toHaveLength(1);
    expect(containsInOrder(deadlocks[0]!.threads[0]!.stack, ['do_exit', 'task_work_run', '__fput', ...CHAIN_V6_1])).toBe(true);
  });
});

describe('51cdc8bc120e: v6.3, v6.6 and v6.18 stay clean', () => {
  it.each(['v6.3', 'v6.6', 'v6.18'])('vfio-device-closed-last on %s: finishes, nothing leaks', (k) => {
    const r = check('vfio-device-closed-last.yaml', k);
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
    expect(r.statuses.done).toBe(r.executions);
  });

  it.each(['v6.3', 'v6.6', 'v6.18'])('teardown-races-device-close on %s: every interleaving finishes cleanly', (k) => {
    const r = check('teardown-races-device-close.yaml', k);
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
    expect(r.statuses.deadlock).toBe(0);
  });

  it.each(['v6.3', 'v6.6', 'v6.18'])('qemu-exit-device-fd-lowest on %s: clean', (k) => {
    expect(check('qemu-exit-device-fd-lowest.yaml', k).findings).toEqual([]);
  });
});
