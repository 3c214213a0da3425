import { describe, expect, it } from 'vitest';
import { deviceUsersYaml } from '../../bench/family.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioProgram } from '../../src/scenario/program.js';
import { interchangeableThreads } from '../../src/scenario/symmetry.js';
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

  it('are the twins of kvm-vfio-add-del-twins, and no device users (each opens its own device)', () => {
    expect(interchangeableThreads(shipped('kvm-vfio-add-del-twins.yaml'))).toEqual([['twin0', 'twin1']]);
    expect(interchangeableThreads(load(deviceUsersYaml(3)))).toEqual([]);
  });
});
