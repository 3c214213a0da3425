import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenario/builder.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioProgram } from '../../src/scenario/program.js';
import { DESIGN_EXAMPLE, DESIGN_SETUP } from './fixtures.js';

/** The program with every site and the file name blanked, to compare YAML and builder output. */
function withoutSites(p: ScenarioProgram): unknown {
  return JSON.parse(JSON.stringify({ ...p, file: '' }, (k, v: unknown) => (k === 'site' ? null : v)));
}

function design() {
  return scenario('vfio-device-closed-last', { file: 'design.ts' })
    .about("Every KVM reference is gone except a kvmgt driver's; the VFIO device is closed last.")
    .kernel('all')
    .host({ vfio: { groups: [{ id: 7, devices: [{ name: 'gvt0', driver: 'kvmgt' }] }] } })
    .setup(...DESIGN_SETUP)
    .thread('teardown', ['close(vm)', 'close(kv)'])
    .thread('user', ['close(dev)']);
}

describe('scenario builder', () => {
  it('builds the same program as the YAML of design.md §4 (sites aside)', () => {
    const y = loadScenario(DESIGN_EXAMPLE, 'design.yaml');
    const b = design().build();
    expect(y.ok && b.ok).toBe(true);
    if (!y.ok || !b.ok) return;
    expect(withoutSites(b.program)).toEqual(withoutSites(y.program));
    expect(b.program.file).toBe('design.ts');
  });

  it('gives sites in its virtual file: line = index + 1', () => {
    const b = design().build();
    if (!b.ok) throw new Error('build failed');
    expect(b.program.setup[2]?.site).toEqual({ file: 'design.ts', line: 3, col: 1 });
    expect(b.program.threads[0]?.ops[1]?.site).toEqual({ file: 'design.ts', line: 2, col: 1 });
  });

  it('supports fork, child-process threads and the main process name', () => {
    const b = scenario('fork')
      .process('vmm')
      .kernel(['v6.2'])
      .setup('kvm = open("/dev/kvm")', 'child = fork()')
      .thread('kid', { process: 'child', ops: ['close(kvm)', 'exit()'] })
      .build();
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    expect(b.program.process).toBe('vmm');
    expect(b.program.file).toBe('<builder:fork>');
    expect(b.program.threads).toMatchObject([{ name: 'kid', process: 'child', ops: [{ sys: 'close' }, { sys: 'exit' }] }]);
  });

  it('reports the same diagnostics as YAML, positioned in the virtual file', () => {
    const b = scenario('bad', { file: 'bad.ts' })
      .kernel('v9')
      .setup('kvm = open("/dev/kvm")', 'vm = ioctl(kvm, KVM_CREATE_VMM)')
      .thread('a', ['close(vm)', 'close(vmm)'])
      .thread('a', ['exit()'])
      .build();
    expect(b.ok).toBe(false);
    if (b.ok) return;
    expect(b.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual([
      'bad.ts:1:1 KVS401',
      'bad.ts:1:1 KVS403',
      'bad.ts:2:17 KVS303',
      'bad.ts:2:7 KVS309',
    ]);
    expect(b.diagnostics[2]?.message).toBe('unknown ioctl request "KVM_CREATE_VMM" (did you mean KVM_CREATE_VM?)');
  });

  it('validates its input with the same schema', () => {
    const b = scenario('x')
      .host({ vfio: { groups: [{ id: 1, devices: [{ name: 'd', driver: 'vfio-ccw' as 'kvmgt' }] }] } })
      .build();
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.diagnostics.map((d) => d.code)).toEqual(['KVS104']);
  });
});
