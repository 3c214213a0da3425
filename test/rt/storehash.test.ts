// The store's incremental hash (storehash.ts) must agree with hashing every
// object afresh after every step of every shipped scenario: a model that
// changed an object the runtime does not see change would break state caching.
import { describe, expect, it } from 'vitest';
import { modelProgram } from '../../src/kernel/userspace/program.js';
import { kernelVersion } from '../../src/kernel/versions.js';
import { DporStrategy } from '../../src/explore/dpor.js';
import { explore } from '../../src/explore/explore.js';
import type { Strategy } from '../../src/explore/strategy.js';
import type { Execution, Program } from '../../src/rt/execution.js';
import { atomic } from '../../src/rt/api.js';
import type { Gen } from '../../src/rt/ops.js';
import type { Hash } from '../../src/rt/fingerprint.js';
import { StoreHash } from '../../src/rt/storehash.js';
import { Symmetry as SymmetryClass } from '../../src/rt/symmetry.js';
import { Execution as ExecutionClass } from '../../src/rt/execution.js';
import { unordered } from '../../src/rt/unordered.js';
import { Counter } from '../../src/rt/counter.js';
import { META, type ObjMeta } from '../../src/rt/object.js';
import { deviceUsers } from '../../bench/family.js';
import { symmetryOf } from '../../src/api/check.js';
import type { Symmetry } from '../../src/rt/symmetry.js';
import { allShipped } from '../helpers/scenarios.js';

/** dpor with state caching, checking the store's hash after every step. */
function checking(disagreements: string[], symmetry: Symmetry | null = null): Strategy {
  const inner = new DporStrategy({ cache: true, symmetry });
  const stepped = inner.stepped.bind(inner);
  inner.stepped = (exec, t, op): void => {
    if (!exec.storeHashAgrees()) disagreements.push(`step ${exec.steps}`);
    stepped(exec, t, op);
  };
  return inner;
}

describe('the store hash', () => {
  for (const { file, program } of [...allShipped(), { file: 'device-users-2 (bench)', program: deviceUsers(2) }]) {
    it(`agrees with a full rehash after every step: ${file}`, () => {
      for (const k of program.kernels) {
        const bad: string[] = [];
        // With symmetry where the scenario has interchangeable threads: relative hashes, renamed.
        const strategy = checking(bad, symmetryOf(program, {}));
        const r = explore(modelProgram(program, kernelVersion(k)!), { strategy, checkers: [], maxExecutions: 300 });
        expect(r.executions).toBeGreaterThanOrEqual(1);
        expect(bad.slice(0, 3), `${file}@${k}`).toEqual([]);
      }
    });
  }

  it('catches a model that changes a container it fetched in an earlier step', () => {
    const sneaky: Program = {
      start(exec: Execution): void {
        const box = exec.alloc('box', { list: [] as number[], other: 0 }, false);
        exec.spawn('t', 'p', function* (): Gen {
          const list = box.list;
          yield* atomic(box, 'read', 'step', () => box.other);
          yield* atomic(box, 'read', 'step', () => box.other);
          // Two steps after the read: nobody told the store.
          list.push(1);
          yield* atomic(box, 'read', 'step', () => box.other);
        });
      },
    };
    const bad: string[] = [];
    explore(sneaky, { strategy: checking(bad), checkers: [] });
    expect(bad.length).toBeGreaterThan(0);
  });

  it('does not depend on the order objects were allocated in, and sees a counter change', () => {
    const meta = (id: number, sid: string): ObjMeta => ({ id, kind: 'c', label: sid, sid, freed: false, owned: false, allocStack: [], freeStack: null, allocThread: 't', freeThread: null });
    const [x, y] = [new Counter(meta(0, 'a/1'), 'x', 1), new Counter(meta(1, 'b/1'), 'y', 2)];
    const one = new StoreHash();
    one.add(x);
    one.add(y);
    const other = new StoreHash();
    other.add(y);
    other.add(x);
    const key = (h: Hash): string => h.key();
    expect(key(one.digest())).toBe(key(other.digest()));
    const before = key(one.digest());
    x.value = 5;
    // Not told: the digest is stale until the counter's change is marked.
    expect(key(one.digest())).toBe(before);
    one.touch(x);
    expect(key(one.digest())).not.toBe(before);
    expect(key(one.digest())).toBe(key(one.full()));
    expect(x[META].sid).toBe('a/1');
  });

  it('tells apart two objects swapping their values', () => {
    const meta = (id: number, sid: string): ObjMeta => ({ id, kind: 'c', label: sid, sid, freed: false, owned: false, allocStack: [], freeStack: null, allocThread: 't', freeThread: null });
    const digests = new Set<string>();
    for (const [u, v] of [
      [3, 2],
      [2, 3],
      [1, 0],
      [0, 1],
    ]) {
      const store = new StoreHash();
      store.add(new Counter(meta(0, 'setup/1'), 'x', u as number));
      store.add(new Counter(meta(1, 'setup/2'), 'y', v as number));
      digests.add(store.digest().key());
    }
    expect(digests.size).toBe(4);
  });

  it('changes when only an object\'s freed flag changes', () => {
    // State caching must not merge "freed" with "still allocated with the same contents": the second
    // would never be judged (its leak, its later use after free).
    const meta: ObjMeta = { id: 0, kind: 'c', label: 'x', sid: 'setup/1', freed: false, owned: true, allocStack: [], freeStack: null, allocThread: 't', freeThread: null };
    const x = new Counter(meta, 'x', 1);
    const store = new StoreHash();
    store.add(x);
    const live = store.digest().key();
    x[META].freed = true;
    store.touch(x);
    expect(store.digest().key()).not.toBe(live);
    expect(store.digest().key()).toBe(store.full().key());
  });

  it('with device symmetry, hashes a declared list as a multiset of renamed devices, and an undeclared one in order', () => {
    // Two devices named after their roles' aliases; an object holding them in one order or the other.
    const sym = new SymmetryClass([{ roles: [{ thread: 'u0', aliases: ['(d0)'] }, { thread: 'u1', aliases: ['(d1)'] }] }]);
    const digest = (order: 'ab' | 'ba', declared: boolean, perm: number[]): string => {
      const exec = new ExecutionClass({ maxSteps: 10, listeners: [], fingerprints: true, symmetry: sym });
      const a = exec.hostScope('(d0)', () => exec.alloc('dev', { v: 1 }, false));
      const b = exec.hostScope('(d1)', () => exec.alloc('dev', { v: 2 }, false));
      const list = order === 'ab' ? [a, b] : [b, a];
      const store = new StoreHash(sym);
      store.add(exec.alloc('head', { list: declared ? unordered(list, 'l') : list }, false));
      // The devices themselves differ by value: hashed with their roles, so a renaming moves them.
      store.add(a);
      store.add(b);
      return store.digest(perm).key();
    };
    // The same store under the swap of the two roles, against the mirror store (devices swapped in the list).
    expect(digest('ab', true, [1, 0])).not.toBe(digest('ab', true, [0, 1]));
    expect(digest('ab', true, [0, 1])).toBe(digest('ba', true, [0, 1]));
    expect(digest('ab', false, [0, 1])).not.toBe(digest('ba', false, [0, 1]));
  });
});
