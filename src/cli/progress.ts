/**
 * A one-line progress display on stderr for checks longer than a second, only
 * on a TTY (never on stdout: it would break --json). Also where Ctrl-C is
 * honoured: the next execution boundary stops exploration and partial results
 * are printed.
 */
import type { Progress as Counts } from '../explore/explore.js';

let interrupted = false;
let handlerInstalled = false;

export class Progress {
  private readonly start = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly label: string) {
    if (!handlerInstalled) {
      handlerInstalled = true;
      process.on('SIGINT', () => {
        if (interrupted) process.exit(130);
        interrupted = true;
      });
    }
  }

  /** Returns false once the user asked to stop. */
  update(p: Counts): boolean {
    const now = Date.now();
    if (process.stderr.isTTY === true && now - this.start > 1000 && now - this.lastDraw > 100) {
      this.lastDraw = now;
      const secs = (now - this.start) / 1000;
      const rate = Math.round(p.executions / secs);
      process.stderr.write(
        `\r${this.label}: ${p.executions} executions, ${rate}/s, ${p.findings} findings, ${secs.toFixed(1)}s `,
      );
      this.drawn = true;
    }
    return !interrupted;
  }

  done(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
  }
}
