// Symmetry reduction's naming (rt/symmetry.ts): renamings of roles, relative
// hashes, and the fingerprint of a state's canonical image — mirror states
// (the same state with two interchangeable threads swapped) must share it,
// and states that are no renaming of each other must not.
import { describe, expect, it } from 'vitest';
import { invert, isIdentity, Relative, Symmetry } from '../../src/rt/symmetry.js';
import { Execution, type Program } from '../../src/rt/execution.js';
import { atomic } from '../../src/rt/api.js';
import type { Gen } from '../../src/rt/ops.js';
import type { Tracked } from '../../src/rt/object.js';

describe('Symmetry', () => {
  const sym = new Symmetry([
    ['a', 'b', 'c'],
    ['x', 'y'],
  ]);

  it('names roles by thread name and by the head of a stable id', () => {
    expect(sym.roleOf('b')).toEqual({ role: 1, kind: 0, rest: '' });
    expect(sym.roleOf('c/12')).toEqual({ role: 2, kind: 0, rest: '/12' });
    expect(sym.roleOf('y/3')).toEqual({ role: 4, kind: 0, rest: '/3' });
    expect(sym.roleOf('(host)/3')).toBeUndefined();
    expect(sym.roleOf('ab')).toBeUndefined();
    expect(sym.describe()).toBe('a, b and c interchangeable; x and y interchangeable');
  });

  it('sorts each class by signature, ties in their order, never across classes', () => {
    const sigs: Record<number, string> = { 0: 'q', 1: 'p', 2: 'q', 3: 'z', 4: 'a' };
    const perm = sym.canonical((r) => sigs[r] as string);
    // b (p) first, then a and c (q, q) in their order; y (a) before x (z).
    expect(perm).toEqual([1, 0, 2, 4, 3]);
    const rename = sym.renamer(perm);
    expect(['a', 'b/4', 'c', 'x/1', 'y', 'setup/2'].map(rename)).toEqual(['b', 'a/4', 'c', 'y/1', 'x', 'setup/2']);
    expect(invert(perm)).toEqual([1, 0, 2, 4, 3]);
    expect(invert([1, 2, 0])).toEqual([2, 0, 1]);
    expect(isIdentity(sym.canonical(() => ''))).toBe(true);
  });

  it('rejects classes of one, repeated names, and names with a slash', () => {
    expect(() => new Symmetry([['a']])).toThrow(/two or more/);
    expect(() => new Symmetry([['a', 'a']])).toThrow(/repeated/);
    expect(() => new Symmetry([['a/1', 'b']])).toThrow(/bad/);
  });

  it('renames a role\'s aliases to the matching aliases of the role it goes to', () => {
    const dev = new Symmetry([
      {
        roles: [
          { thread: 'u0', aliases: ['gvt0', '(gvt0)', 'd0'] },
          { thread: 'u1', aliases: ['gvt1', '(gvt1)', 'd1'] },
        ],
        kinds: ['devices', 'device objects', 'variables'],
      },
    ]);
    expect(dev.hasAliases).toBe(true);
    expect(sym.hasAliases).toBe(false);
    expect(dev.roleOf('(gvt1)/3')).toEqual({ role: 1, kind: 2, rest: '/3' });
    expect(dev.roleOfThread('gvt0')).toBeUndefined();
    expect(dev.roleOfThread('u1')).toBe(1);
    const rename = dev.renamer([1, 0]);
    expect(['u0', 'gvt0', '(gvt0)/2', 'd1', 'u1/4', 'gvt2', 'kvm'].map(rename)).toEqual(['u1', 'gvt1', '(gvt1)/2', 'd0', 'u0/4', 'gvt2', 'kvm']);
    // One role's names keep apart in relative hashes: the thread's, each alias's.
    const rel = new Relative(dev);
    expect(['gvt1', 'u1', '(gvt1)/3', 'd0'].map(rel.name)).toEqual(['@0:1', '@0', '@0:2/3', '@1:3']);
    expect(rel.roles).toEqual([1, 0]);
    const eight = new Symmetry([{ roles: Array.from({ length: 8 }, (_, i) => ({ thread: `user${i}`, aliases: [`gvt${i}`] })), kinds: ['devices'] }]);
    expect(eight.describe()).toBe('user0…user7 interchangeable, with devices gvt0…gvt7');
    expect(new Symmetry([['t1', 't2', 't4']]).describe()).toBe('t1, t2 and t4 interchangeable');
    expect(dev.describe()).toBe('u0 and u1 interchangeable, with devices gvt0 and gvt1, device objects (gvt0) and (gvt1), variables d0 and d1');
    expect(() => new Symmetry([[{ thread: 'a', aliases: ['x'] }, { thread: 'b', aliases: [] }]])).toThrow(/as many aliases/);
    expect(() => new Symmetry([[{ thread: 'a', aliases: ['b'] }, { thread: 'b', aliases: ['c'] }]])).toThrow(/repeated/);
  });

  it('relative naming numbers roles by first appearance', () => {
    const rel = new Relative(sym);
    expect(['c/1', 'setup/1', 'a', 'c/2', 'x'].map(rel.name)).toEqual(['@0/1', 'setup/1', '@1', '@0/2', '@2']);
    expect(rel.roles).toEqual([2, 0, 3]);
  });
});

/**
 * Two threads each publish an object of their own into one of two slots (in
 * the order of `order`), and a third reads both: the fingerprint after every
 * step, per thread order.
 */
function fingerprints(order: readonly string[], slotOf: Record<string, number>, sym: Symmetry | null): string[] {
  const program: Program = {
    start(exec: Execution): void {
      const slots = exec.alloc('slots', { s0: null as Tracked | null, s1: null as Tracked | null }, false);
      for (const name of ['p', 'q']) {
        exec.spawn(name, 'proc', function* (): Gen {
          const mine = exec.alloc('mine', { by: name }, false);
          yield* atomic(slots, 'write', 'publish', () => {
            if (slotOf[name] === 0) slots.s0 = mine;
            else slots.s1 = mine;
          });
        });
      }
    },
  };
  const exec = new Execution({ maxSteps: 100, listeners: [], fingerprints: true, symmetry: sym });
  exec.start(program);
  const out = [exec.fingerprint()];
  for (const name of order) {
    const t = exec.enabled().find((x) => x.name === name);
    if (t === undefined) throw new Error(`${name} not enabled`);
    exec.step(t);
    out.push(exec.fingerprint());
  }
  return out;
}

describe('fingerprints with symmetry', () => {
  const sym = new Symmetry([['p', 'q']]);

  it('mirror states share one: p then q into slots 0, 1 is q then p into slots 1, 0 renamed', () => {
    const one = fingerprints(['p', 'q'], { p: 0, q: 1 }, sym);
    const mirror = fingerprints(['q', 'p'], { p: 1, q: 0 }, sym);
    expect(mirror).toEqual(one);
  });

  it('without symmetry they differ', () => {
    const one = fingerprints(['p', 'q'], { p: 0, q: 1 }, null);
    const mirror = fingerprints(['q', 'p'], { p: 1, q: 0 }, null);
    expect(mirror[1]).not.toBe(one[1]);
  });

  it('states that are no renaming of each other differ', () => {
    // p alone in slot 0 vs p alone in slot 1: no renaming of p and q maps one to the other.
    const a = fingerprints(['p'], { p: 0, q: 1 }, sym);
    const b = fingerprints(['p'], { p: 1, q: 0 }, sym);
    expect(a[0]).toBe(b[0]);
    expect(a[1]).not.toBe(b[1]);
    // Both published, into the same slots by different threads: (p→0, q→1) vs (p→1, q→0) mirror each other…
    const c = fingerprints(['p', 'q'], { p: 0, q: 1 }, sym);
    const d = fingerprints(['p', 'q'], { p: 1, q: 0 }, sym);
    expect(c[2]).toBe(d[2]);
    // …but after one step they are p in slot 0 (q to come into 1) vs p in slot 1: not mirrors.
    expect(c[1]).not.toBe(d[1]);
  });
});
