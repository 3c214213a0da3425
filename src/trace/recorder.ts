/** A listener that keeps a readable trace of one execution. */
import type { Listener, RtEvent } from '../rt/events.js';
import type { TraceLine } from './finding.js';

export class TraceRecorder implements Listener {
  readonly lines: TraceLine[] = [];
  /** With `opsOnly`, only user-level operations are kept (the interleaving). */
  constructor(private readonly opsOnly = false) {}

  event(ev: RtEvent): void {
    const push = (kind: TraceLine['kind'], text: string, stack: readonly string[] = []): void => {
      if (this.opsOnly && kind !== 'op-begin' && kind !== 'op-end') return;
      this.lines.push({ step: ev.step, thread: 'thread' in ev && ev.thread !== null ? ev.thread.name : '(host)', kind, text, fn: stack.at(-1) ?? null });
    };
    switch (ev.kind) {
      case 'op-begin':
        return push('op-begin', ev.text);
      case 'op-end':
        return push('op-end', `${ev.text} = ${ev.result}${ev.output === null ? '' : ` {${ev.output}}`}`);
      case 'acquire':
        return push('acquire', `lock ${ev.lock.cls}`, ev.stack);
      case 'release':
        return push('release', `unlock ${ev.lock.cls}${ev.held ? '' : ' (not held!)'}`, ev.stack);
      case 'counter':
        return push('counter', `${ev.counter.name} ${ev.op}: ${ev.before} -> ${ev.after}`, ev.stack);
      case 'free':
        return push('free', `free ${ev.meta.label}${ev.double ? ' (again!)' : ''}`, ev.stack);
      case 'atomic':
        return push('atomic', ev.label, ev.stack);
      case 'warn':
        return push('warn', ev.message, ev.stack);
      case 'thread-exit':
        return push('exit', 'thread exits');
      default:
        return;
    }
  }
}
