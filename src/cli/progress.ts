/**
 * A one-line progress display on stderr for checks longer than a second on a
 * TTY, and off one a plain line every 10 s (never on stdout: it would break
 * --json). Also where Ctrl-C is
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

/** Off a terminal (CI logs, a pipe): a plain line after this long, and then as often, so a long check is not silent. */
export const LOG_EVERY_MS = 10_000;

export class Progress {
  private readonly start = Date.now();
  private lastDraw = 0;
  private drawn = false;
  private lastLog = 0;

  /**
   * @param budgetMs - stop exploring after this long (Infinity: no budget).
   * @param out - where progress goes (stderr; never stdout, which --json owns).
   * @param logEveryMs - off a terminal, the interval of the plain progress lines.
   */
  constructor(
    private readonly label: string,
    private readonly budgetMs = Number.POSITIVE_INFINITY,
    private readonly out: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
    private readonly logEveryMs = LOG_EVERY_MS,
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
    const line = (): string => {
      const secs = (now - this.start) / 1000;
      const rate = Math.round(p.executions / Math.max(secs, 0.001));
      const states = p.states === undefined ? '' : `, ${p.states} states`;
      return `${this.label}: ${p.executions} executions, ${rate}/s${states}, ${p.findings} findings, ${secs.toFixed(1)}s${estimate(p, secs)}`;
    };
    if (this.out.isTTY === true) {
      if (now - this.start > 1000 && now - this.lastDraw > 100) {
        this.lastDraw = now;
        this.out.write(`\r\x1b[K${line()} `);
        this.drawn = true;
      }
    } else if (now - this.start >= this.logEveryMs && now - this.lastLog >= this.logEveryMs) {
      this.lastLog = now;
      this.out.write(`kvmsim: ${line()}\n`);
    }
    return true;
  }

  done(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
  }
}
