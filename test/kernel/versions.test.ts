import { describe, expect, it } from 'vitest';
import { KERNEL_VERSIONS, SWITCH_COMMITS, VERSION_NAMES, kernelVersion, type KernelSwitches } from '../../src/kernel/versions.js';

const sw = (name: string): KernelSwitches => {
  const v = kernelVersion(name);
  if (v === undefined) throw new Error(name);
  return v.switches;
};

describe('kernel versions as data', () => {
  it('lists the versions oldest first', () => {
    expect(VERSION_NAMES).toEqual(['v6.1', 'v6.2-rc5', 'v6.2', 'v6.3', 'v6.6', 'v6.18']);
  });

  it('every switch cites a 12-digit commit, and every version sets every switch', () => {
    const keys = Object.keys(SWITCH_COMMITS).sort();
    for (const c of Object.values(SWITCH_COMMITS)) expect(c).toMatch(/^[0-9a-f]{12} /);
    for (const v of KERNEL_VERSIONS) expect(Object.keys(v.switches).sort()).toEqual(keys);
  });

  it('each switch flips once, at the version of its commit, and never back', () => {
    const flips: Record<string, string> = {};
    for (const key of Object.keys(SWITCH_COMMITS) as (keyof KernelSwitches)[]) {
      const values = KERNEL_VERSIONS.map((v) => v.switches[key]);
      const changes = values.flatMap((x, i) => (i > 0 && x !== values[i - 1] ? [VERSION_NAMES[i]!] : []));
      expect(changes).toHaveLength(1);
      flips[key] = changes[0]!;
    }
    expect(flips).toEqual({
      kvmVfioFreesOn: 'v6.2',
      vfioDeviceLockOrder: 'v6.2-rc5',
      vfioSetContainerBadFd: 'v6.2-rc5',
      vfioGroupKvmLock: 'v6.3',
      vfioDeviceKvmRef: 'v6.3',
      kvmVfioNames: 'v6.6',
      kvmVfioAddSetKvmLocked: 'v6.6',
      kvmVfioCoherencyUnderCallerLock: 'v6.6',
      kvmDevicesRculist: 'v6.18',
      kvmVfioArchAssignment: 'v6.18',
    });
  });

  it('v6.2-rc5 and v6.2 differ only by 51cdc8bc120e', () => {
    expect({ ...sw('v6.2-rc5'), kvmVfioFreesOn: 'release' }).toEqual(sw('v6.2'));
    expect(sw('v6.1').kvmVfioFreesOn).toBe('destroy');
    expect(sw('v6.1').vfioDeviceLockOrder).toBe('dev_set->lock, group_lock');
  });
});
