// Off a terminal a long check is not silent (issue 17, item 5): plain progress lines on stderr.
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

function sink(isTTY: boolean): { written: string[]; write: (s: string) => boolean; isTTY: boolean } {
  const written: string[] = [];
  return { written, isTTY, write: (s: string) => (written.push(s), true) };
}

const counts = { executions: 120, findings: 1, steps: 4000, states: 77 };

describe('progress', () => {
  it('off a terminal, writes a plain line once the interval has passed, then once per interval', async () => {
    const out = sink(false);
    const p = new Progress('t @ v6.2', Number.POSITIVE_INFINITY, out, 20);
    expect(p.update(counts)).toBe(true);
    expect(out.written).toEqual([]);
    await new Promise((r) => setTimeout(r, 30));
    p.update(counts);
    p.update(counts);
    expect(out.written).toHaveLength(1);
    expect(out.written[0]).toMatch(/^kvmsim: t @ v6\.2: 120 executions, \d+\/s, 77 states, 1 findings, \d+\.\ds\n$/);
    p.done();
    expect(out.written).toHaveLength(1);
  });

  it('on a terminal, draws over one line instead (and clears it when done)', async () => {
    const out = sink(true);
    const p = new Progress('t @ v6.2', Number.POSITIVE_INFINITY, out, 20);
    await new Promise((r) => setTimeout(r, 30));
    p.update(counts);
    // The terminal display waits a second before drawing: nothing yet, and no plain line either.
    expect(out.written).toEqual([]);
  });
});
