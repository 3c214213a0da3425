import { describe, expect, it } from 'vitest';
import { deviceUsersYaml } from '../../bench/family.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioProgram } from '../../src/scenario/program.js';
import { interchangeableRoles, interchangeableThreads } from '../../src/scenario/symmetry.js';
import { shipped } from '../helpers/scenarios.js';

function load(text: string): ScenarioProgram {
  const r = loadScenario(text, 'test.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.program;
}

const HEAD = `name: t
kernel: v6.2
setup:
  - kvm = open("/dev/kvm")
  - vm = ioctl(kvm, KVM_CREATE_VM)
threads:
`;

describe('interchangeable scenario threads', () => {
  it('are threads of one process with the same ops, however they are spelt', () => {
    const prog = load(`${HEAD}  a: [ close(vm) ]
  b: [ close( vm ) ]
  c: [ close(kvm) ]
  d: [ 'close(vm)' ]
`);
    expect(interchangeableThreads(prog)).toEqual([['a', 'b', 'd']]);
  });

  it('are not threads whose ops differ in an operand or a stated result', () => {
    const prog = load(`${HEAD}  a: [ x = dup(vm) = 5 ]
  b: [ x = dup(vm) = 6 ]
  c: [ x = dup(kvm) ]
`);
    expect(interchangeableThreads(prog)).toEqual([]);
  });

  it('are not threads of different processes', () => {
    const prog = load(`${HEAD.replace('threads:', '  - child = fork()\nthreads:')}  a: [ close(vm) ]
  b:
    process: child
    ops: [ close(vm) ]
  c:
    process: child
    ops: [ close(vm) ]
`);
    expect(interchangeableThreads(prog)).toEqual([['b', 'c']]);
  });

  it('are the twins of kvm-vfio-add-del-twins', () => {
    expect(interchangeableThreads(shipped('kvm-vfio-add-del-twins.yaml'))).toEqual([['twin0', 'twin1']]);
    expect(interchangeableRoles(shipped('kvm-vfio-add-del-twins.yaml'))).toEqual([{ roles: ['twin0', 'twin1'] }]);
  });
});

describe('device symmetry', () => {
  it('makes device users interchangeable, each with its device, its device\'s objects and its own variables', () => {
    expect(interchangeableRoles(load(deviceUsersYaml(3)))).toEqual([
      {
        roles: [
          { thread: 'user0', aliases: ['gvt0', '(gvt0)', 'd0'] },
          { thread: 'user1', aliases: ['gvt1', '(gvt1)', 'd1'] },
          { thread: 'user2', aliases: ['gvt2', '(gvt2)', 'd2'] },
        ],
        kinds: ['devices', '', 'variables'],
      },
    ]);
  });

  const host = (groups: string): string => deviceUsersYaml(2).replace(/ {2}vfio:\n {4}groups: .*\n/, `  vfio:\n    groups: ${groups}\n`);

  it('needs identical devices: the same group and driver', () => {
    expect(interchangeableRoles(load(host('[ { id: 7, devices: [ { name: gvt0, driver: kvmgt }, { name: gvt1, driver: kvmgt } ] } ]')))).toHaveLength(1);
    const twoGroups = host('[ { id: 7, devices: [ { name: gvt0, driver: kvmgt } ] }, { id: 8, devices: [ { name: gvt1, driver: kvmgt } ] } ]');
    expect(interchangeableRoles(load(twoGroups))).toEqual([]);
    const twoDrivers = host('[ { id: 7, devices: [ { name: gvt0, driver: kvmgt }, { name: gvt1, driver: vfio-pci } ] } ]');
    expect(interchangeableRoles(load(twoDrivers))).toEqual([]);
  });

  it('renames no device or variable another thread or setup names', () => {
    // user1 also opens gvt0: gvt0 is nobody's own, and the two threads no longer match.
    const shared = deviceUsersYaml(2).replace('close(d1)', 'close(d1)\', \'x = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, "gvt0")');
    expect(interchangeableRoles(load(shared))).toEqual([]);
    // Both bind d: each its own copy, one name — interchangeable with no variable alias.
    const same = deviceUsersYaml(2).replace(/d[01]\b/g, 'd');
    expect(interchangeableRoles(load(same))).toEqual([
      {
        roles: [
          { thread: 'user0', aliases: ['gvt0', '(gvt0)'] },
          { thread: 'user1', aliases: ['gvt1', '(gvt1)'] },
        ],
        kinds: ['devices', ''],
      },
    ]);
  });
});
