import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DfsStrategy } from '../../src/explore/dfs.js';
import { DporStrategy } from '../../src/explore/dpor.js';
import { Symmetry } from '../../src/rt/symmetry.js';
import { deviceArb, symmetricArb, terminals, type Op } from '../helpers/programs.js';

/** Every ordering of 0…n-1. */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/**
 * A terminal state up to renaming the interchangeable threads t0…t(copies-1):
 * the least, as a string, of its renamings (each thread's log moved to its new
 * name's place, every name in the logs and in the blocked list renamed).
 */
function normalState(state: string, copies: number): string {
  return least(state, copies, (s, perm) => {
    const [status, cells, logs, blocked] = s.split('|') as [string, string, string, string];
    const perThread = logs.split('/');
    const moved = perThread.map((l, i) => (i < copies ? (perThread[perm.indexOf(i)] as string) : l));
    const stuck = blocked === '' ? [] : blocked.split(',').map((b) => renameIn(b, perm)).sort();
    return `${status}|${renameIn(cells, perm)}|${moved.map((l) => renameIn(l, perm)).join('/')}|${stuck.join(',')}`;
  });
}

/** A finding up to the same renaming (the least of its renamings). */
function normalFinding(s: string, copies: number): string {
  return least(s, copies, (x, perm) => renameIn(x, perm).split('|').sort().join('|'));
}

/** Renames t<i> to t<perm[i]> wherever it appears, and its device dev<i> along. */
function renameIn(s: string, perm: readonly number[]): string {
  return s.replace(/\b(t|dev)(\d+)\b/g, (m, head: string, i: string) => (Number(i) < perm.length ? `${head}${perm[Number(i)] as number}` : m));
}

function least(s: string, copies: number, rename: (s: string, perm: number[]) => string): string {
  return permutations(copies)
    .map((p) => rename(s, p))
    .sort()[0] as string;
}

function withSymmetry(copies: number): DporStrategy {
  const sym = new Symmetry([Array.from({ length: copies }, (_, i) => `t${i}`)]);
  return new DporStrategy({ cache: true, symmetry: sym });
}

const sorted = <T>(xs: Iterable<T>): T[] => [...new Set(xs)].sort();

/** Threads t0…t(copies-1) interchangeable, each with its device dev<i> (and the device's objects) renamed along. */
function withDevices(copies: number): DporStrategy {
  const roles = Array.from({ length: copies }, (_, i) => ({ thread: `t${i}`, aliases: [`dev${i}`, `(dev${i})`] }));
  return new DporStrategy({ cache: true, symmetry: new Symmetry([{ roles, kinds: ['devices', ''] }]) });
}

describe('dpor with state caching and symmetry', () => {
  it('reaches the terminal states dfs reaches, up to renaming interchangeable threads (random programs)', () => {
    fc.assert(
      fc.property(symmetricArb, ({ copies, threads }) => {
        const dfs = terminals(threads, new DfsStrategy());
        const sym = terminals(threads, withSymmetry(copies));
        const races = (r: Set<string>): string[] => sorted([...r].map((x) => normalFinding(x, copies)));
        expect(races(sym.races)).toEqual(races(dfs.races));
        const warnings = (r: Set<string>): string[] => sorted([...r].map((x) => normalFinding(x, copies)));
        expect(warnings(sym.warnings)).toEqual(warnings(dfs.warnings));
        if (dfs.races.size === 0) {
          const states = (r: Set<string>): string[] => sorted([...r].map((x) => normalState(x, copies)));
          expect(states(sym.states)).toEqual(states(dfs.states));
        }
      }),
      { numRuns: 5 * Number(process.env.DPOR_RUNS ?? 300) },
    );
  });

  it('with devices renamed along, reaches what dfs reaches, or reports that the list declaration it relied on broke (random programs)', { timeout: 180_000 }, () => {
    let relied = 0;
    const runs = 5 * Number(process.env.DPOR_RUNS ?? 300);
    fc.assert(
      fc.property(deviceArb, ({ copies, threads }) => {
        const dfs = terminals(threads, new DfsStrategy());
        const sym = terminals(threads, withDevices(copies));
        // A broken declaration is reported, and the verdict is no proof: nothing more to compare.
        if (sym.unsound.size > 0) return;
        if (threads.some((t) => JSON.stringify(t).includes('"ds"'))) relied++;
        const races = (r: Set<string>): string[] => sorted([...r].map((x) => normalFinding(x, copies)));
        expect(races(sym.races)).toEqual(races(dfs.races));
        expect(races(sym.warnings)).toEqual(races(dfs.warnings));
        if (dfs.races.size === 0) {
          const states = (r: Set<string>): string[] => sorted([...r].map((x) => normalState(x, copies)));
          expect(states(sym.states)).toEqual(states(dfs.states));
        }
      }),
      { numRuns: runs },
    );
    // The comparison ran where searches were made, not only where they were not.
    expect(relied).toBeGreaterThan(runs / 20);
  });

  it('explores fewer states with devices renamed along than with threads alone', () => {
    // Each thread marks its own device and searches the list for a marked one, under lock 0.
    const prog: Op[] = [{ k: 'dw', v: 1, locked: true }, { k: 'ds', v: 0 }];
    const plain = new DporStrategy({ cache: true });
    const dev = withDevices(3);
    const a = terminals([prog, prog, prog], plain);
    const b = terminals([prog, prog, prog], dev);
    expect(b.unsound.size).toBe(0);
    expect(sorted([...b.states].map((x) => normalState(x, 3)))).toEqual(sorted([...a.states].map((x) => normalState(x, 3))));
    expect(dev.states).toBeLessThan(plain.states);
  });

  it('reports a write the order-insensitive list does not allow, and not one under the search\'s lock', () => {
    const search: Op[] = [{ k: 'ds', v: 1 }];
    const unlocked = terminals([search, [{ k: 'dw', v: 1, locked: false }]], withDevices(2));
    expect([...unlocked.unsound]).toEqual([expect.stringMatching(/^unordered\|devs\|dev\.v\|/)]);
    const locked = terminals([search, [{ k: 'dw', v: 1, locked: true }]], withDevices(2));
    expect(locked.unsound.size).toBe(0);
  });

  it('explores fewer states than without it when threads are interchangeable', () => {
    // Three threads each bump one cell under a lock and read another: 3! orders of the lock, one up to renaming.
    const bump: Op[] = [{ k: 'lock', l: 0, body: [{ k: 'mv', x: 0 }] }, { k: 'r', x: 1 }];
    const plain = new DporStrategy({ cache: true });
    const sym = withSymmetry(3);
    const a = terminals([bump, bump, bump], plain);
    const b = terminals([bump, bump, bump], sym);
    expect(sorted([...b.states].map((x) => normalState(x, 3)))).toEqual(sorted([...a.states].map((x) => normalState(x, 3))));
    expect(sym.states).toBeLessThan(plain.states);
    expect(b.all).toBeLessThan(a.all);
  });

  it('does not merge threads that are not interchangeable', () => {
    // t0 and t1 run different programs: declaring them interchangeable would be a lie the test can see,
    // so only t1 and t2 (one program) are; every terminal state is still reached.
    const a: Op[] = [{ k: 'w', x: 0, v: 1 }, { k: 'r', x: 1 }];
    const b: Op[] = [{ k: 'w', x: 1, v: 2 }, { k: 'r', x: 0 }];
    const dfs = terminals([a, b, b], new DfsStrategy());
    const sym = new DporStrategy({ cache: true, symmetry: new Symmetry([['t1', 't2']]) });
    const got = terminals([a, b, b], sym);
    const norm = (x: string): string => {
      const [status, cells, logs, blocked] = x.split('|') as [string, string, string, string];
      const [l0, l1, l2] = logs.split('/');
      return `${status}|${cells}|${l0}|${[l1, l2].sort().join('/')}|${blocked}`;
    };
    expect(sorted([...got.states].map(norm))).toEqual(sorted([...dfs.states].map(norm)));
  });
});
