// Linux 9e0f4f2918c2 "kvm/vfio: ensure kvg instance stays around in
// kvm_vfio_group_add()" (v6.6-rc1), seen from two threads running the same
// code (scenarios/kvm-vfio-add-del-twins.yaml): each adds the group and
// deletes it. Before the fix ADD reads kvg->file after dropping kv->lock,
// unordered with the twin's DEL freeing kvg — a data race on a freed object.
// The twins are interchangeable, so kvmsim explores one of each renaming of
// them (symmetry reduction); --no-symmetry must find the same and explore more.
import { describe, expect, it } from 'vitest';
import { check } from '../helpers/scenarios.js';

const FILE = 'kvm-vfio-add-del-twins.yaml';
const opts = { minimise: false, confirmBudget: 0 } as const;

describe('9e0f4f2918c2: FILE_ADD races the twin FILE_DEL', () => {
  it.each(['v6.1', 'v6.2-rc5', 'v6.2', 'v6.3'])('%s: ADD reads kvg->file unordered with its free by DEL', (k) => {
    const r = check(FILE, k, opts);
    expect(r.complete).toBe(true);
    expect(r.symmetry).toBe('twin0 and twin1 interchangeable');
    const race = r.findings.find((f) => f.kind === 'data-race');
    expect(race?.title).toBe('KCSAN-style data-race in kvm_vfio_group_add / kvm_vfio_group_del on struct kvm_vfio_group.file (freed)');
    expect(new Set(race?.threads.map((t) => t.name))).toEqual(new Set(['twin0', 'twin1']));
  });

  it.each(['v6.6', 'v6.18'])('%s: clean (ADD tells VFIO under kv->lock)', (k) => {
    const r = check(FILE, k, opts);
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it.each(['v6.2', 'v6.6'])('%s: without symmetry, the same findings from more states', (k) => {
    const sym = check(FILE, k, opts);
    const all = check(FILE, k, { ...opts, symmetry: false });
    expect(all.symmetry).toBeUndefined();
    expect(all.findings.map((f) => f.signature).sort()).toEqual(sym.findings.map((f) => f.signature).sort());
    expect(sym.states).toBeLessThan(all.states ?? 0);
    expect(sym.executions).toBeLessThan(all.executions);
  });
});
