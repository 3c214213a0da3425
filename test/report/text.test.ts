// Report text that is never wrong (issue 16, item 2): each case failed on the text before its fix.
import { describe, expect, it } from 'vitest';
import { formatCheck } from '../../src/report/text.js';
import { check } from '../helpers/scenarios.js';

const opts = { minimise: false, confirmBudget: 0 } as const;

describe('text reports', () => {
  const addDel = formatCheck(check('kvm-vfio-add-races-del.yaml', 'v6.3', opts));
  const uaf = addDel.split('\n\n').find((b) => b.includes('BUG: use-after-free')) ?? '';

  it('does not call the task that makes a bad access blocked on the lock it holds', () => {
    expect(uaf).toContain('BUG: use-after-free');
    expect(uaf).toMatch(/^task qemu\/adder:$/m);
    expect(addDel).not.toContain('held by itself');
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
});
