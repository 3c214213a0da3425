// Linux 2b48f52f2bff "vfio: fix deadlock between group lock and kvm lock"
// (v6.3-rc1): after 51cdc8bc120e (v6.2-rc6) kvm-vfio's release runs under
// kvm->lock and calls vfio_file_set_kvm, which took group->group_lock, while a
// VFIO device open holds group_lock across the driver's open_device, and
// vfio-ap's open_device takes kvm->lock: the ABBA of the 6.2.0-rc6 lockdep
// report. kvmsim must find that two-thread deadlock on v6.2 only — v6.1 and
// v6.2-rc5 (kvm-vfio frees on destroy: closing its fd takes no lock) and
// v6.3+ (group->kvm under the spinlock kvm_ref_lock) are deadlock-free.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/check.js';
import { check, shipped } from '../helpers/scenarios.js';

const FILE = 'vfio-ap-open-races-kvm-vfio-release.yaml';

/** Whether `stack` contains `chain` in order (other frames may sit between). */
function containsInOrder(stack: readonly string[], chain: readonly string[]): boolean {
  let i = 0;
  for (const fn of stack) if (fn === chain[i]) i++;
  return i === chain.length;
}

describe('2b48f52f2bff: vfio-ap device open races the kvm-vfio fd close', () => {
  it('v6.2: some interleavings deadlock in a two-thread cycle, kvm->lock against group_lock', () => {
    const r = check(FILE, 'v6.2');
    expect(r.complete).toBe(true);
    expect(r.statuses.deadlock).toBeGreaterThan(0);
    expect(r.statuses.done).toBeGreaterThan(0);
    const deadlocks = r.findings.filter((f) => f.kind === 'deadlock');
    expect(deadlocks).toHaveLength(1);
    const f = deadlocks[0]!;
    expect(f.threads.map((t) => t.name).sort()).toEqual(['closer', 'opener']);
    const opener = f.threads.find((t) => t.name === 'opener')!;
    const closer = f.threads.find((t) => t.name === 'closer')!;
    // Each waits for the lock the other holds.
    expect(opener.waitingFor).toEqual({ lock: '&kvm->lock', owner: 'closer', instance: 'struct kvm #1' });
    expect(closer.waitingFor).toEqual({ lock: '&group->group_lock', owner: 'opener', instance: 'struct vfio_group #1' });
    // The opener: group_lock -> dev_set->lock -> guests_lock, then kvm->lock in vfio-ap's open_device.
    expect(opener.op).toBe('dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, "ap0")');
    expect(opener.held.map((h) => h.lock)).toEqual(['&group->group_lock', '&dev_set->lock', '&matrix_dev->guests_lock']);
    expect(
      containsInOrder(opener.stack, ['vfio_device_group_open', 'vfio_device_open', 'vfio_device_first_open', 'vfio_ap_mdev_open_device', 'vfio_ap_mdev_set_kvm', 'mutex_lock']),
    ).toBe(true);
    // The closer: kvm->lock in kvm_device_release, then group_lock in vfio_file_set_kvm.
    expect(closer.op).toBe('close(kv)');
    expect(closer.held.map((h) => h.lock)).toEqual(['&kvm->lock']);
    expect(
      containsInOrder(closer.stack, ['kvm_device_release', 'kvm_vfio_release', 'kvm_vfio_file_set_kvm', 'vfio_file_set_kvm', 'mutex_lock']),
    ).toBe(true);
  });

  it('the replay schedule of the v6.2 deadlock reproduces it exactly', () => {
    const r = check(FILE, 'v6.2');
    const f = r.findings.find((x) => x.kind === 'deadlock')!;
    const again = runScenario(shipped(FILE), 'v6.2', f.schedule);
    expect(again.status).toBe('deadlock');
    const d = again.findings.filter((x) => x.kind === 'deadlock');
    expect(d.map((x) => x.signature)).toEqual([f.signature]);
  });

  it.each(['v6.1', 'v6.2-rc5'])('%s: no interleaving deadlocks (closing the kvm-vfio fd takes no lock before 51cdc8bc120e)', (k) => {
    const r = check(FILE, k);
    expect(r.complete).toBe(true);
    expect(r.statuses.deadlock).toBe(0);
    expect(r.findings.filter((f) => f.kind === 'deadlock' || f.kind === 'use-after-free' || f.kind === 'expectation')).toEqual([]);
    // Only the put-under-lock analysis may speak: vfio-ap's close_device puts kvm
    // under group_lock, whose final put would run kvm_vfio_destroy (51cdc8bc120e).
    expect(r.findings.every((f) => f.kind === 'put-under-lock')).toBe(true);
  });

  it.each(['v6.3', 'v6.6', 'v6.18'])('%s: clean on every interleaving', (k) => {
    const r = check(FILE, k);
    expect(r.complete).toBe(true);
    expect(r.statuses.deadlock).toBe(0);
    expect(r.findings).toEqual([]);
  });
});
