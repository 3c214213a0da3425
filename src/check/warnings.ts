/**
 * Model invariants (the kernel's WARN_ON and lockdep_assert_held), results that
 * differ from what the program said they must be, and executions the runtime
 * had to stop (runaway, model crash).
 */
import type { RtEvent } from '../rt/events.js';
import type { Execution } from '../rt/execution.js';
import type { RawFinding } from '../trace/finding.js';
import type { Checker } from './checker.js';
import { threadInfo, top } from './info.js';

export class WarningChecker implements Checker {
  readonly name = 'warnings';
  private found: RawFinding[] = [];

  begin(): void {
    this.found = [];
  }

  event(ev: RtEvent): void {
    if (ev.kind === 'warn') {
      this.found.push({
        kind: 'warning',
        title: ev.message,
        signature: `warn|${ev.message}|${top(ev.stack)}`,
        threads: [threadInfo(ev.thread, ev.stack)],
        objects: [],
        detail: [],
      });
    } else if (ev.kind === 'op-end' && ev.expected !== null && ev.expected !== ev.result) {
      const where = ev.site === null ? '' : `${ev.site.file}:${ev.site.line}:${ev.site.col}: `;
      this.found.push({
        kind: 'expectation',
        title: `${where}${ev.text} returned ${ev.result}, expected ${ev.expected}`,
        signature: `expect|${ev.site?.file}:${ev.site?.line}:${ev.site?.col}|${ev.result}`,
        threads: [threadInfo(ev.thread, [])],
        objects: [],
        detail: [`expected: ${ev.expected}`, `actual:   ${ev.result}`],
      });
    }
  }

  end(exec: Execution): RawFinding[] {
    if (exec.status === 'step-limit') {
      this.found.push({
        kind: 'step-limit',
        title: `execution stopped after ${exec.steps} visible operations (runaway or livelock?)`,
        signature: 'step-limit',
        threads: exec.threads.filter((t) => t.state !== 'done').map((t) => threadInfo(t)),
        objects: [],
        detail: [],
      });
    }
    if (exec.status === 'crashed' && exec.crash !== null) {
      this.found.push({
        kind: 'model-crash',
        title: `the model threw in ${exec.crash.thread}: ${exec.crash.message}`,
        signature: `crash|${exec.crash.message}`,
        threads: [],
        objects: [],
        detail: [`stack: ${exec.crash.stack.join(' -> ')}`],
      });
    }
    return this.found;
  }
}
