/**
 * A reduction's soundness condition that failed in an explored execution:
 * here, a list the model declared order-insensitive (rt/unordered.ts) that
 * another thread could change under an iteration, which device symmetry
 * relied on. Not a kernel bug by itself — the report says the check's
 * verdict is no proof, and how to check without the reduction.
 */
import type { RtEvent } from '../rt/events.js';
import type { Lock } from '../rt/lock.js';
import type { RawFinding } from '../trace/finding.js';
import type { Checker } from './checker.js';
import { threadInfo, top } from './info.js';

const locks = (ls: readonly Lock[]): string => (ls.length === 0 ? 'no lock' : ls.map((l) => (l.container === null ? l.cls : `${l.cls} of ${l.container.label}`)).join(', '));

export class UnorderedChecker implements Checker {
  readonly name = 'unordered';
  private found: RawFinding[] = [];

  begin(): void {
    this.found = [];
  }

  event(ev: RtEvent): void {
    if (ev.kind !== 'unordered') return;
    const v = ev.violation;
    const it = v.iterator;
    const what = v.meta === null ? (v.field === '(a second match)' ? 'a second element matches' : `the list ${v.decl} itself`) : `${v.meta.label}.${v.field}`;
    const by =
      v.meta === null
        ? v.field === '(a second match)'
          ? `in ${it.thread.name}'s search, which returns the first`
          : 'changed while it was iterated'
        : v.writer === it.thread
          ? `written by ${it.thread.name}'s own search`
          : `written by ${v.writer?.name ?? '?'} holding ${locks(v.writeLocks)}`;
    this.found.push({
      kind: 'unsound-reduction',
      title: `order-insensitive list ${v.decl}: ${what}${v.meta === null ? '' : `, read by ${it.thread.name}'s iteration,`} ${by}`,
      signature: `unordered|${v.decl}|${v.meta?.kind ?? ''}.${v.field}|${top(it.stack)}`,
      threads: [threadInfo(it.thread, it.stack), ...(v.writer === null || v.writer === it.thread ? [] : [threadInfo(v.writer)])],
      objects: [],
      detail: [
        `the model declares that iterating ${v.decl} does not depend on its order (rt/unordered.ts), and device symmetry relied on it;`,
        `${it.thread.name}'s iteration held ${locks(it.locks)}: another order of the list could give another result.`,
        'The verdict is no proof: check again with --no-symmetry.',
      ],
    });
  }

  end(): RawFinding[] {
    return this.found;
  }
}
