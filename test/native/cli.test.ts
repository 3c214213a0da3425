// kvmsim conform through the built CLI (npm test builds first): the model-only
// run, the live run where /dev/kvm is usable, and the divergence report of a
// deliberately wrong recorded result.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/scenarios.js';
import { liveSkip } from './helpers.js';

function kvmsim(args: string[], env: Record<string, string> = {}): { code: number; out: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kvmsim.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

const WRONG = 'test/native/fixtures/wrong-expectation.yaml';
const catalogue = readdirSync(join(ROOT, 'scenarios', 'conformance')).filter((f) => f.endsWith('.yaml'));

describe('kvmsim conform', () => {
  it('ships a catalogue of at least 40 scenarios', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(40);
  });

  it('checks the model against the recorded results without --live: 0 divergences, exit 0', () => {
    const r = kvmsim(['conform'], { KVMSIM_LIVE: 'off' });
    expect(r.out).toContain('live: not run (no --live)');
    expect(r.out).toContain(`${catalogue.length} scenarios: ${catalogue.length} conform, 0 diverge`);
    expect(r.code).toBe(0);
  });

  it('reports a wrong recorded result as a divergence with the first diverging op, exit 1', () => {
    const r = kvmsim(['conform', WRONG], { KVMSIM_LIVE: 'off' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('DIVERGENCE fixture-wrong-expectation');
    expect(r.out).toMatch(/model vs recorded results: first diverging op setup op 5 at test\/native\/fixtures\/wrong-expectation\.yaml:12:5: ioctl\(kv, KVM_HAS_DEVICE_ATTR, \{group: 1, attr: 3\}\)/);
    expect(r.out).toMatch(/recorded: +0\n +model v6\.18: -1 ENXIO/);
  });

  it('says in one line why it runs the model only when the live kernel is not usable', () => {
    const r = kvmsim(['conform', '--live', 'scenarios/conformance/create-device.yaml'], { KVMSIM_LIVE: 'off' });
    expect(r.out).toContain('live: not usable — the live backend is turned off (KVMSIM_LIVE=off); checking the model against the recorded results only');
    expect(r.code).toBe(0);
  });

  it('--require-live fails (exit 2) where the live kernel cannot run, naming why (issue 17, item 2)', () => {
    const r = kvmsim(['conform', '--require-live', 'scenarios/conformance/create-device.yaml'], { KVMSIM_LIVE: 'off' });
    expect(r.code).toBe(2);
    expect(r.out).toContain('kvmsim: --require-live: the live kernel cannot be run here — the live backend is turned off (KVMSIM_LIVE=off)');
  });

  it.skipIf(liveSkip !== null)(`--require-live runs live where it can (${liveSkip ?? 'live'})`, () => {
    const r = kvmsim(['conform', '--require-live', 'scenarios/conformance/create-device.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^live: \/dev\/kvm usable/m);
  });

  it.skipIf(liveSkip !== null)(`--live: the wrong recorded result diverges on the live kernel too (${liveSkip ?? 'live'})`, () => {
    const r = kvmsim(['conform', '--live', WRONG]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/live vs recorded results: first diverging op setup op 5 .*\n +recorded: +0\n +live [^:]*: -1 ENXIO/);
    expect(r.out).not.toContain('live vs model');
  });

  it.skipIf(liveSkip !== null)(`--live: refuses a scenario that needs VFIO with a diagnostic, exit 2 (${liveSkip ?? 'live'})`, () => {
    const r = kvmsim(['conform', '--live', 'test/native/fixtures/needs-vfio.yaml']);
    expect(r.out).toContain('not run live: test/native/fixtures/needs-vfio.yaml:10:5: VFIO_GROUP_SET_CONTAINER needs VFIO');
    expect(r.code).toBe(2);
  });
});
