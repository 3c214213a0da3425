/**
 * Object lifetimes: use after free, double free, counter misuse (underflow,
 * increment from zero) and leaks — objects the program allocated that are
 * still alive once every thread has exited.
 */
import type { RtEvent } from '../rt/events.js';
import type { Execution } from '../rt/execution.js';
import type { RawFinding } from '../trace/finding.js';
import type { Checker } from './checker.js';
import { objectInfo, threadInfo, top } from './info.js';

export class LifecycleChecker implements Checker {
  readonly name = 'lifecycle';
  private found: RawFinding[] = [];
  private readonly seen = new Set<string>();

  begin(): void {
    this.found = [];
    this.seen.clear();
  }

  private add(f: RawFinding): void {
    if (this.seen.has(f.signature)) return;
    this.seen.add(f.signature);
    this.found.push(f);
  }

  event(ev: RtEvent): void {
    switch (ev.kind) {
      case 'access-freed':
        this.add({
          kind: 'use-after-free',
          title: `use-after-free: ${ev.access} of ${ev.meta.kind}.${ev.field} after it was freed`,
          signature: `uaf|${ev.meta.kind}|${ev.field}|${top(ev.stack)}`,
          threads: [threadInfo(ev.thread, ev.stack)],
          objects: [objectInfo(ev.meta)],
          detail: [`${ev.access} of field "${ev.field}" of ${ev.meta.label}`],
          access: { kind: ev.access, field: ev.field },
        });
        return;
      case 'free':
        if (!ev.double) return;
        this.add({
          kind: 'double-free',
          title: `double free of ${ev.meta.kind}`,
          signature: `double-free|${ev.meta.kind}|${top(ev.stack)}`,
          threads: [threadInfo(ev.thread, ev.stack)],
          objects: [objectInfo(ev.meta)],
          detail: [`${ev.meta.label} freed a second time`],
        });
        return;
      case 'counter':
        if (ev.fault === null) return;
        this.add({
          kind: ev.fault === 'underflow' ? 'refcount-underflow' : 'refcount-increment-from-zero',
          title:
            ev.fault === 'underflow'
              ? `refcount underflow on ${ev.counter.name} (${ev.op} at ${ev.before}); use-after-free`
              : `refcount increment from zero on ${ev.counter.name} (${ev.op}); use-after-free`,
          signature: `${ev.fault}|${ev.counter.name}|${top(ev.stack)}`,
          threads: [threadInfo(ev.thread, ev.stack)],
          objects: [],
          detail: [`${ev.counter.name}: ${ev.op} took it from ${ev.before} to ${ev.after}`],
        });
        return;
      default:
        return;
    }
  }

  end(exec: Execution): RawFinding[] {
    // Leaks are judged only when every thread ran to its end.
    if (exec.status === 'done') {
      const leaked = exec.objects.filter((m) => m.owned && !m.freed);
      if (leaked.length > 0) {
        const kinds = [...new Set(leaked.map((m) => m.kind))].sort();
        this.add({
          kind: 'leak',
          title: `memory leak: ${leaked.length} object${leaked.length > 1 ? 's' : ''} still allocated after every process exited (${kinds.join(', ')})`,
          signature: `leak|${leaked.map((m) => `${m.kind}<${top(m.allocStack)}`).sort().join('|')}`,
          threads: [],
          objects: leaked.map(objectInfo),
          detail: leaked.map((m) => `${m.label} allocated by ${m.allocThread} in ${m.allocStack.at(-1) ?? '(setup)'}`),
        });
      }
    }
    return this.found;
  }
}
