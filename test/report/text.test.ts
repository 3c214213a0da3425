// Report text that is never wrong (issue 16, item 2): each case failed on the text before its fix.
import { describe, expect, it } from 'vitest';
import { formatCheck } from '../../src/report/text.js';
import { check } from '../helpers/scenarios.js';

const opts = { minimise: false, confirmBudget: 0 } as const;

describe('text reports', () => {
  const addDel = formatCheck(check('kvm-vfio-add-races-del.yaml', 'v6.3', opts));
  const uaf = addDel.split('\n\n').find((b) => b.includes('BUG: KASAN')) ?? '';

  it('does not call the task that makes a bad access blocked on the lock it holds', () => {
    expect(uaf).toMatch(/^Read of struct kvm #1, field users_count, by task qemu\/adder$/m);
    expect(addDel).not.toContain('held by itself');
  });

  it("reports a use after free in KASAN's shape: banner, access, stack, then who allocated and who freed", () => {
    const lines = addDel.split('\n');
    const at = lines.indexOf('BUG: KASAN: slab-use-after-free in _vfio_device_get_kvm_safe');
    expect(at).toBeGreaterThan(0);
    const next = (text: string): number => lines.indexOf(text, at);
    expect(next('Read of struct kvm #1, field users_count, by task qemu/adder')).toBe(at + 2);
    expect(next('  Call Trace:')).toBeGreaterThan(at);
    expect(next('Allocated by task setup:')).toBeGreaterThan(next('  Call Trace:'));
    expect(lines[next('Allocated by task setup:') + 1]).toBe(' kvm_create_vm');
    expect(next('Freed by task adder:')).toBeGreaterThan(next('Allocated by task setup:'));
    expect(lines[next('Freed by task adder:') + 1]).toBe(' kvm_destroy_vm');
  });

  it('calls a self-deadlock one (the twin: that task is blocked, on the lock it holds)', () => {
    const deadlock = formatCheck(check('vfio-device-closed-last.yaml', 'v6.2-rc5', opts));
    expect(deadlock).toContain("task qemu/setup is blocked on lock &group->group_lock, held by itself");
  });

  it('describes a free that races with an access as a kfree, not as a write to a field', () => {
    expect(addDel).toContain('kfree of struct kvm_vfio_group #1 by deleter in kvm_vfio_group_del');
    expect(addDel).not.toContain('write to struct kvm_vfio_group #1.file');
    // KCSAN's own words stay for the access itself.
    expect(addDel).toContain('read to struct kvm_vfio_group #1.file (freed) by adder in kvm_vfio_group_add');
  });

  it('gives every system call a report names its file:line:col (a race names the call each access was made in)', () => {
    const r = check('kvm-vfio-add-races-del.yaml', 'v6.2', opts);
    const races = r.findings.filter((f) => f.kind === 'data-race');
    expect(races.length).toBeGreaterThan(0);
    // The implicit exit after a thread's last op is the one call no line of the scenario states.
    for (const f of r.findings) for (const t of f.threads) if (t.op !== null && t.op !== 'exit') expect(t.site, `${f.title}: ${t.name}`).not.toBeNull();
    expect(formatCheck(r)).toMatch(/in system call: ioctl\(kv, KVM_SET_DEVICE_ATTR, \{group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_DEL, fd: group\}\) at scenarios\/kvm-vfio-add-races-del\.yaml:44:7/);
  });

  it('says which lock of a class a task holds or waits for (the object it is a field of)', () => {
    const deadlock = formatCheck(check('vfio-device-closed-last.yaml', 'v6.2-rc5', opts));
    expect(deadlock).toContain('task qemu/setup is blocked on lock &group->group_lock, held by itself\n  (the lock of struct vfio_group #1)');
    expect(deadlock).toContain('   #0: (&group->group_lock), at: vfio_device_group_close\n       of struct vfio_group #1');
  });
});
