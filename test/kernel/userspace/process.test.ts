import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkScenario } from '../../../src/api/check.js';
import { Execution } from '../../../src/rt/execution.js';
import { loadScenario } from '../../../src/scenario/load.js';

// Two threads close the two fds of one file: whichever closes last drops the
// final reference and runs __fput. Both system calls return 0 either way, so
// once they have, the threads' pasts differ only in kernel frames that are gone.
const yaml = `name: two-closes
kernel: v6.2
setup:
  - a = open("/dev/null")
  - b = dup(a)
threads:
  one: [ close(a), 'x = open("/dev/null")' ]
  two: [ close(b), 'y = open("/dev/null")' ]
`;

function run() {
  const r = loadScenario(yaml, 'two-closes.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  // Without the data-race checker: its state key keeps which thread made each plain access of the
  // final __fput, and that rightly tells the two orders apart.
  return checkScenario(r.program, 'v6.2', { minimise: false, confirmBudget: 0, races: false });
}

describe('user space forgets a system call once it returns', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('hands the runtime the next op and the fd variables, nothing of the kernel frames', () => {
    const calls: unknown[] = [];
    const spy = vi.spyOn(Execution.prototype, 'forget');
    run();
    for (const [t, live] of spy.mock.calls) if (t.name === 'one') calls.push(live);
    expect(calls).toContainEqual([1, [['a', 3], ['b', 4]], 0, false]);
    expect(calls.some((c) => JSON.stringify(c).includes('"x"'))).toBe(true);
  });

  it('so orders that differ only inside finished system calls meet in one state', () => {
    const remembering = (() => {
      vi.spyOn(Execution.prototype, 'forget').mockImplementation(() => undefined);
      const r = run();
      vi.restoreAllMocks();
      return r;
    })();
    const forgetting = run();
    expect(forgetting.complete).toBe(true);
    expect(forgetting.findings.map((f) => f.signature)).toEqual(remembering.findings.map((f) => f.signature));
    expect(forgetting.states).toBeLessThan(remembering.states as number);
  });
});
