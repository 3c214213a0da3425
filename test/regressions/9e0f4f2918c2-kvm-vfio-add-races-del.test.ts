// Linux 9e0f4f2918c2 "kvm/vfio: ensure kvg instance stays around in
// kvm_vfio_group_add()" (v6.6-rc1): FILE_ADD called vfio_file_set_kvm after
// dropping kv->lock, so a racing FILE_DEL could unlink and free the entry and
// clear group->kvm before ADD set it. The kernel's symptom — reading kvg->file
// after the free — is no use after free in the model (that plain read runs
// atomically with the mutex_unlock before it; the data-race checker reports
// it, below), but its consequence is one: ADD's
// late vfio_file_set_kvm leaves group->kvm pointing at a VM kvm-vfio no longer
// tracks, and once the VM is gone the next first open of a device hands the
// freed VM to the driver. kvmsim must find that use after free on v6.1 to
// v6.3, and none on v6.6+, where ADD tells VFIO under kv->lock.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/check.js';
import type { CheckResult } from '../../src/api/check.js';
import { check, shipped } from '../helpers/scenarios.js';

const FILE = 'kvm-vfio-add-races-del.yaml';

/** Each version is explored once (a few thousand executions each). */
const results = new Map<string, CheckResult>();
function checked(k: string): CheckResult {
  let r = results.get(k);
  if (r === undefined) {
    r = check(FILE, k);
    results.set(k, r);
  }
  return r;
}
const GET_DEVICE_FD = 'dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, "gvt0")';

describe('9e0f4f2918c2: FILE_ADD races FILE_DEL', () => {
  it.each(['v6.1', 'v6.2-rc5', 'v6.2', 'v6.3'])('%s: a device open later uses the freed VM left in group->kvm', (k) => {
    const r = checked(k);
    expect(r.complete).toBe(true);
    const uaf = r.findings.filter((f) => f.kind === 'use-after-free');
    // Every use after free is of the VM, freed by VM destruction (later ones in
    // the same executions happen when the device opened on it is closed at exit).
    for (const f of uaf) {
      expect(f.objects[0]!.label).toBe('struct kvm #1');
      expect(f.objects[0]!.freeStack).toContain('kvm_destroy_vm');
    }
    const atOpen = uaf.find((f) => f.threads[0]?.name === 'adder' && f.threads[0].op === GET_DEVICE_FD);
    expect(atOpen).toBeDefined();
    // In that execution DEL removed the entry (returned 0) before ADD returned.
    const ends = (atOpen!.interleaving ?? []).filter((l) => l.kind === 'op-end').map((l) => `${l.thread} ${l.text}`);
    const del = ends.findIndex((l) => l.startsWith('deleter') && l.includes('FILE_DEL') && l.endsWith('= 0'));
    const add = ends.findIndex((l) => l.startsWith('adder') && l.includes('FILE_ADD') && l.endsWith('= 0'));
    expect(del).toBeGreaterThanOrEqual(0);
    expect(add).toBeGreaterThan(del);
  });

  it.each(['v6.2', 'v6.3'])('%s: the stale pointer is the only bug here (no deadlock)', (k) => {
    expect(checked(k).statuses.deadlock).toBe(0);
  });

  it('the replay schedule of the v6.2 use after free reproduces it', () => {
    const f = checked('v6.2').findings.find((x) => x.kind === 'use-after-free')!;
    const again = runScenario(shipped(FILE), 'v6.2', f.schedule);
    expect(again.findings.map((x) => x.signature)).toContain(f.signature);
  });

  it.each(['v6.6', 'v6.18'])('%s: clean on every interleaving', (k) => {
    const r = checked(k);
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
  });
});

describe('9e0f4f2918c2: the kernel\'s own symptom, seen by the data-race checker', () => {
  it('v6.2: kvm_vfio_group_add reads kvg->file after dropping kv->lock, racing with the free in kvm_vfio_group_del', () => {
    const r = check('kvm-vfio-add-races-del.yaml', 'v6.2');
    const race = r.findings.find((f) => f.kind === 'data-race' && f.objects[0]?.kind === 'struct kvm_vfio_group');
    expect(race).toBeDefined();
    expect(race!.title).toContain('kvm_vfio_group_add / kvm_vfio_group_del');
    expect(race!.title).toContain('file (freed)');
  });

  it('v6.6 (set_kvm under kv->lock): no race on the entry', () => {
    const r = check('kvm-vfio-add-races-del.yaml', 'v6.6');
    expect(r.findings.filter((f) => f.kind === 'data-race')).toEqual([]);
  });
});
