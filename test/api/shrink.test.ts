// Scenario minimisation (issue 17): threads, ops and host devices that the finding does not need are
// dropped, one at a time, from the text; what it needs stays, and the result still shows the finding.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/api/check.js';
import { findingKey, shrinkScenario } from '../../src/api/shrink.js';
import { loadScenario } from '../../src/scenario/load.js';
import { ROOT } from '../helpers/scenarios.js';

function findings(text: string, kernel: string): string[] {
  const r = loadScenario(text, 'x.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return checkScenario(r.program, kernel, { minimise: false, confirmBudget: 0 }).findings.map(findingKey);
}

describe('shrinking a scenario to what its finding needs', () => {
  // The 51cdc8bc120e self-deadlock, with a device, a set-up op and two threads it does not need.
  const seed = readFileSync(join(ROOT, 'scenarios', 'vfio-device-closed-last.yaml'), 'utf8');
  const padded = seed
    .replace('devices: [ { name: gvt0, driver: kvmgt } ]', 'devices: [ { name: gvt0, driver: kvmgt }, { name: gvt1, driver: kvmgt } ]')
    .replace('  - container = open("/dev/vfio/vfio")\n', '  - container = open("/dev/vfio/vfio")\n  - spare = open("/dev/kvm")\n')
    .concat('threads:\n  idle: [ \'x = open("/dev/null")\', close(x) ]\n  asker:\n    - ioctl(kvm, KVM_GET_API_VERSION) = 12\n');

  it('drops the threads, the set-up op and the device the deadlock does not need, and keeps every op it does', () => {
    const target = findings(padded, 'v6.2-rc5').find((k) => k.startsWith('deadlock|'));
    expect(target).toBeDefined();
    const r = loadScenario(padded, 'x.yaml');
    if (!r.ok) throw new Error('padded scenario does not load');
    const full = checkScenario(r.program, 'v6.2-rc5', { minimise: false, confirmBudget: 0 }).findings.find((f) => f.kind === 'deadlock');
    const s = shrinkScenario(padded, 'x.yaml', 'v6.2-rc5', full!);
    expect(s.dropped).toEqual(expect.arrayContaining(['thread idle', 'thread asker', 'setup op 5', 'host device gvt1']));
    // The last thread went with its threads: line: what is left is the seed.
    expect(s.text).toBe(seed);
    expect(s.text).not.toContain('spare');
    expect(s.text).not.toContain('gvt1');
    expect(s.text).toContain('close(dev) = 0');
    expect(findings(s.text, 'v6.2-rc5')).toContain(target);
  });

  it('keeps a scenario whose every piece the finding needs as it is', () => {
    const r = loadScenario(seed, 'x.yaml');
    if (!r.ok) throw new Error('seed does not load');
    const deadlock = checkScenario(r.program, 'v6.2-rc5', { minimise: false, confirmBudget: 0 }).findings.find((f) => f.kind === 'deadlock');
    const s = shrinkScenario(seed, 'x.yaml', 'v6.2-rc5', deadlock!);
    expect(s.dropped).toEqual([]);
    expect(s.text).toBe(seed);
  });
});
