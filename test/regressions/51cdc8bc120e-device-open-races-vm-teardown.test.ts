// Found by kvmsim: before 51cdc8bc120e, kvm-vfio cleared group->kvm only in
// kvm_vfio_destroy, after users_count had reached zero. A VFIO device opened
// in that window (group_lock held, so destroy cannot clear the pointer yet)
// hands the dying VM to kvmgt, whose kvm_get_kvm increments a zero count, and
// the device later touches the freed VM. From v6.2 the release method clears
// group->kvm before its final put.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/check.js';
import { check, shipped } from '../helpers/scenarios.js';

describe('device open racing VM teardown', () => {
  it('v6.2-rc5: refcount_t addition on 0 in kvmgt open, then use after free of struct kvm', () => {
    const r = check('device-open-races-vm-teardown.yaml', 'v6.2-rc5');
    expect(r.complete).toBe(true);
    const inc = r.findings.find((f) => f.kind === 'refcount-increment-from-zero');
    expect(inc).toBeDefined();
    expect(inc!.title).toContain('kvm->users_count');
    expect(inc!.threads[0]!.stack).toEqual(expect.arrayContaining(['vfio_device_group_open', 'intel_vgpu_open_device']));
    const uaf = r.findings.filter((f) => f.kind === 'use-after-free');
    expect(uaf.length).toBeGreaterThan(0);
    expect(uaf.every((f) => f.objects[0]!.kind === 'struct kvm')).toBe(true);
    // Not every interleaving goes wrong: the bug needs the open inside the window.
    expect(r.executionsWithFindings).toBeLessThan(r.executions);
    const again = runScenario(shipped('device-open-races-vm-teardown.yaml'), 'v6.2-rc5', inc!.schedule);
    expect(again.findings.some((f) => f.kind === 'refcount-increment-from-zero')).toBe(true);
  });

  it('v6.2: every interleaving is clean', () => {
    const r = check('device-open-races-vm-teardown.yaml', 'v6.2');
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
  });
});
