// The verdict of every shipped scenario on every version it names. Deadlock
// scenarios are asserted in test/regressions/; this file covers the others.
import { describe, expect, it } from 'vitest';
import { check } from '../helpers/scenarios.js';

describe('shipped scenario verdicts', () => {
  // exit closes fds in ascending order but the final fputs run as task work,
  // newest first (c82199061009): the device fd (highest) is released while
  // the VM fd still holds a kvm reference, so the final put comes from
  // kvm_vm_release with no VFIO lock held — no deadlock on either version.
  // On v6.2-rc5 put-under-lock still sees the bug (test/lockdep/...).
  it.each(['v6.2-rc5', 'v6.2'])('qemu-exit-without-del never deadlocks on %s', (k) => {
    const r = check('qemu-exit-without-del.yaml', k, { lockdep: false });
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it('qemu-exit-without-del is clean on v6.2 with lockdep on', () => {
    expect(check('qemu-exit-without-del.yaml', 'v6.2').findings).toEqual([]);
  });

  it.each(['v6.2-rc5', 'v6.2'])('qemu-exit-with-del is clean on %s', (k) => {
    const r = check('qemu-exit-with-del.yaml', k);
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
  });
});
