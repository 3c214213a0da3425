/**
 * The checker contract: a listener on runtime events that, at the end of each
 * execution, says what it found. Checkers are generic — they know threads,
 * locks, counters and objects, nothing of the model behind them.
 */
import type { Listener } from '../rt/events.js';
import type { Execution } from '../rt/execution.js';
import type { RawFinding } from '../trace/finding.js';

export interface Checker extends Listener {
  readonly name: string;
  /** A new execution starts: forget per-execution state. */
  begin(exec: Execution): void;
  /** The execution ended (any status): what it showed. */
  end(exec: Execution): RawFinding[];
}
