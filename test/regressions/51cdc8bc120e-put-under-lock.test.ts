// put-under-lock must flag 51cdc8bc120e on v6.2-rc5 from runs in which the
// deadlock does not happen (the put under group_lock is not the last one),
// and stay quiet on v6.2.
import { describe, expect, it } from 'vitest';
import { formatCheck } from '../../src/report/text.js';
import { check } from '../helpers/scenarios.js';

describe('51cdc8bc120e found by put-under-lock without a deadlocking run', () => {
  it.each(['device-closed-before-vm.yaml', 'qemu-exit-without-del.yaml'])('%s on v6.2-rc5: no deadlock, one put-under-lock finding', (file) => {
    const r = check(file, 'v6.2-rc5');
    expect(r.complete).toBe(true);
    expect(r.statuses.deadlock).toBe(0);
    expect(r.findings.map((f) => f.kind)).toEqual(['put-under-lock']);
    const f = r.findings[0]!;
    expect(f.lockdep?.put?.counter).toBe('kvm->users_count');
    expect(f.lockdep?.holding?.cls).toBe('&group->group_lock');
    expect(f.lockdep?.acquiring?.cls).toBe('&group->group_lock');
    // The put site is the driver's close under vfio_device_group_close; the teardown path reaches vfio_file_set_kvm.
    expect(f.lockdep?.put?.site).toContain('vfio_device_group_close');
    expect(f.lockdep?.put?.teardown).toEqual(expect.arrayContaining(['kvm_destroy_vm', 'kvm_vfio_destroy', 'vfio_file_set_kvm']));
    expect(f.detail[0]).toContain('not the final one');
    expect(f.confirmation?.status).toBe('unreachable');
    expect(formatCheck(r)).toContain('WARNING: possible deadlock: reference put under a lock its teardown takes');
  });

  it.each(['device-closed-before-vm.yaml', 'qemu-exit-without-del.yaml'])('%s on v6.2: clean', (file) => {
    expect(check(file, 'v6.2').findings).toEqual([]);
  });

  it('on the deadlocking run it is confirmed, with the deadlock as replay', () => {
    const r = check('vfio-device-closed-last.yaml', 'v6.2-rc5');
    const f = r.findings.find((x) => x.kind === 'put-under-lock')!;
    expect(f.confirmation?.status).toBe('confirmed');
    expect(f.confirmation?.schedule).toEqual(r.findings.find((x) => x.kind === 'deadlock')!.schedule);
  });

  it('--no-lockdep turns both analyses off', () => {
    expect(check('device-closed-before-vm.yaml', 'v6.2-rc5', { lockdep: false }).findings).toEqual([]);
  });
});
