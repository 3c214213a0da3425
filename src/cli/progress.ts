/**
 * A one-line progress display on stderr for checks longer than a second, only
 * on a TTY (never on stdout: it would break --json). Also where Ctrl-C is
 * honoured: the next execution boundary stops exploration and partial results
 * are printed.
 */
import type { Progress as Counts } from '../explore/explore.js';

let interrupted = false;
let handlerInstalled = false;

/** ", ~40% (~12s left)" from the strategy's estimate of the tree explored, once it says something. */
function estimate(p: Counts, secs: number): string {
  const f = p.explored?.();
  if (f === undefined || f <= 0.001 || f >= 1) return '';
  const left = (secs * (1 - f)) / f;
  return `, ~${Math.round(f * 100)}% (~${left < 90 ? `${Math.round(left)}s` : `${Math.round(left / 60)}min`} left)`;
}

export class Progress {
  private readonly start = Date.now();
  private lastDraw = 0;
  private drawn = false;

  /** @param budgetMs - stop exploring after this long (Infinity: no budget). */
  constructor(
    private readonly label: string,
    private readonly budgetMs = Number.POSITIVE_INFINITY,
  ) {
    if (!handlerInstalled) {
      handlerInstalled = true;
      process.on('SIGINT', () => {
        if (interrupted) process.exit(130);
        interrupted = true;
      });
    }
  }

  /** Returns true to go on, or why to stop (Ctrl-C, the time budget). */
  update(p: Counts): true | string {
    const now = Date.now();
    if (interrupted) return 'interrupted (Ctrl-C)';
    if (now - this.start > this.budgetMs) return `time budget (${this.budgetMs / 1000}s)`;
    if (process.stderr.isTTY === true && now - this.start > 1000 && now - this.lastDraw > 100) {
      this.lastDraw = now;
      const secs = (now - this.start) / 1000;
      const rate = Math.round(p.executions / secs);
      const states = p.states === undefined ? '' : `, ${p.states} states`;
      process.stderr.write(`\r\x1b[K${this.label}: ${p.executions} executions, ${rate}/s${states}, ${p.findings} findings, ${secs.toFixed(1)}s${estimate(p, secs)} `);
      this.drawn = true;
    }
    return true;
  }

  done(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
  }
}
