// Golden text of a full lockdep-shaped report (circular dependency), from a
// synthetic program: banner, the two locks, the dependency chain with the
// stack that created each edge, the CPU0/CPU1 scenario, held locks and the
// backtrace, then the confirmation, interleaving and replay command.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeadlockChecker } from '../../src/check/deadlock.js';
import { explore } from '../../src/explore/explore.js';
import { LockdepChecker } from '../../src/lockdep/validator.js';
import { formatFinding } from '../../src/report/text.js';
import { acquire, release, traced } from '../../src/rt/api.js';
import type { Execution } from '../../src/rt/execution.js';
import type { Lock } from '../../src/rt/lock.js';
import type { Gen } from '../../src/rt/ops.js';
import type { Thread } from '../../src/rt/thread.js';
import { FixedSchedules } from '../helpers/fixed.js';

const inner = traced('frob_inner', function* (_o: { thread: Thread }, l: Lock): Gen {
  yield* acquire(l);
  yield* release(l);
});
const outer = traced('frob_outer', function* (o: { thread: Thread }, first: Lock, second: Lock): Gen {
  yield* acquire(first);
  yield* inner(o, second);
  yield* release(first);
});

describe('lockdep report text', () => {
  it('matches the golden circular-dependency report', () => {
    const program = {
      start(exec: Execution): void {
        const a = exec.newLock('&dev->lock', 'mutex');
        const b = exec.newLock('&bus->lock', 'mutex');
        exec.spawn('probe', 'modprobe', (t) => outer({ thread: t }, a, b));
        exec.spawn('remove', 'udevd', (t) => outer({ thread: t }, b, a));
      },
    };
    const probe = Array<string>(4).fill('probe');
    const remove = Array<string>(4).fill('remove');
    const r = explore(program, {
      strategy: new FixedSchedules([[...probe, ...remove]]),
      checkers: [new DeadlockChecker(), new LockdepChecker()],
    });
    const f = r.findings.find((x) => x.kind === 'lockdep-circular');
    expect(f).toBeDefined();
    const text = formatFinding(f!, { file: 'synthetic.yaml', kernel: 'v6.2' });
    const golden = join(import.meta.dirname, 'golden', 'circular.txt');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, `${text}\n`);
    expect(`${text}\n`).toBe(readFileSync(golden, 'utf8'));
  });
});
