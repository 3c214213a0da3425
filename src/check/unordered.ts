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
    const head = `order-insensitive list ${v.decl}:`;
    const read = `read by ${it.thread.name}'s iteration`;
    const [title, what, writer] =
      v.reason === 'second'
        ? [`${head} a second element matches in ${it.thread.name}'s search, which returns the first`, '(a second match)', null]
        : v.reason === 'changed'
          ? [`${head} the list ${v.decl} itself changed while it was iterated`, '(its elements)', null]
          : [
              `${head} ${v.meta.label}.${v.field}, ${read}, ${v.writer === it.thread ? `written by ${it.thread.name}'s own search` : `written by ${v.writer.name} holding ${locks(v.writeLocks)}`}`,
              `${v.meta.kind}.${v.field}`,
              v.writer === it.thread ? null : v.writer,
            ];
    this.found.push({
      kind: 'unsound-reduction',
      title,
      signature: `unordered|${v.decl}|${what}|${top(it.stack)}`,
      threads: [threadInfo(it.thread, it.stack), ...(writer === null ? [] : [threadInfo(writer)])],
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
