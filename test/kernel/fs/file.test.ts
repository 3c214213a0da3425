// The file table's three kinds of state (fdtable.ts): a lookup reads the share
// count and its slot, so it commutes with allocating and closing other
// numbers, and not with a thread's exit, which changes the share count.
import { describe, expect, it } from 'vitest';
import { runOne } from '../../../src/explore/explore.js';
import { dependentAll, opSigs, type OpSig } from '../../../src/explore/independence.js';
import type { Strategy } from '../../../src/explore/strategy.js';
import { modelProgram } from '../../../src/kernel/userspace/program.js';
import { kernelVersion } from '../../../src/kernel/versions.js';
import type { Visible } from '../../../src/rt/ops.js';
import { loadScenario } from '../../../src/scenario/load.js';

const yaml = `name: lookup-and-allocate
kernel: v6.2
setup:
  - kvm = open("/dev/kvm")
threads:
  looker: [ 'ioctl(kvm, KVM_GET_API_VERSION)' ]
  opener: [ 'x = open("/dev/null")', close(x) ]
`;

/** Every operation of one execution (threads in turn), by thread and label. */
function operations(): { thread: string; label: string; sigs: OpSig[] }[] {
  const r = loadScenario(yaml, 'lookup-and-allocate.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const seen: { thread: string; label: string; sigs: OpSig[] }[] = [];
  const label = (op: Visible): string => (op.kind === 'atomic' ? op.label : op.kind === 'counter' ? `${op.counter.name} ${op.op}` : op.kind);
  const strategy: Strategy = {
    name: 'in-turn',
    exhaustive: false,
    exhausted: false,
    everyStep: true,
    nextExecution: () => true,
    pick: (enabled) => enabled[0] ?? null,
    stepped: (_exec, t, op) => {
      seen.push({ thread: t.name, label: label(op), sigs: opSigs(op) });
    },
  };
  runOne(modelProgram(r.program, kernelVersion('v6.2')!), strategy, [], 10_000);
  return seen;
}

describe('the file table', () => {
  const ops = operations();
  const one = (thread: string, label: string): OpSig[] => {
    const o = ops.find((x) => x.thread === thread && x.label === label);
    if (o === undefined) throw new Error(`no ${label} by ${thread}: ${ops.map((x) => `${x.thread}:${x.label}`).join(' ')}`);
    return o.sigs;
  };

  it('a lookup commutes with allocating, installing and closing another number', () => {
    const lookup = one('looker', 'fdget');
    for (const label of ['alloc_fd', 'fd_install', 'pick_file']) expect(dependentAll(lookup, one('opener', label))).toBe(false);
  });

  it('but not with an exit, which changes the share count the lookup reads', () => {
    expect(dependentAll(one('looker', 'fdget'), one('opener', 'files->count dec_and_test'))).toBe(true);
  });

  it('and allocating a number conflicts with closing one (the lowest free number changes)', () => {
    expect(dependentAll(one('opener', 'alloc_fd'), one('opener', 'pick_file'))).toBe(true);
  });
});
