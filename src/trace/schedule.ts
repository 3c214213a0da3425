/**
 * Schedules as text: the thread chosen at each choice point (a point where more
 * than one thread could run), run-length encoded by thread name, e.g.
 * "teardown:3,user:2,teardown:1". Strategy-independent and readable.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COUNT = /^[1-9][0-9]*$/;

/**
 * The most choices a schedule can hold: an execution runs at most 100,000
 * steps (explore.ts DEFAULT_MAX_STEPS), and each choice is a step. A longer
 * one fits no scenario, and expanding it would only exhaust memory.
 */
export const MAX_SCHEDULE_CHOICES = 100_000;

export function encodeSchedule(choices: readonly string[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < choices.length) {
    const name = choices[i] as string;
    let n = 1;
    while (choices[i + n] === name) n++;
    parts.push(n === 1 ? name : `${name}:${n}`);
    i += n;
  }
  return parts.join(',');
}

/** Decodes a schedule; throws an Error with a readable message when malformed. */
export function decodeSchedule(text: string): string[] {
  if (text.trim() === '') return [];
  const out: string[] = [];
  for (const part of text.split(',')) {
    const [name, count, extra] = part.trim().split(':');
    if (name === undefined || !NAME.test(name) || extra !== undefined || (count !== undefined && !COUNT.test(count))) {
      throw new Error(`bad schedule element "${part}": expected NAME or NAME:COUNT (COUNT a positive decimal number)`);
    }
    const n = count === undefined ? 1 : Number(count);
    if (out.length + n > MAX_SCHEDULE_CHOICES) {
      throw new Error(`schedule too long at "${part}": more than ${MAX_SCHEDULE_CHOICES} choices, and no execution runs more than ${MAX_SCHEDULE_CHOICES} steps`);
    }
    for (let k = 0; k < n; k++) out.push(name);
  }
  return out;
}

/** A replay token: the scenario file, the kernel version and the schedule. */
export interface ReplayToken {
  readonly file: string;
  readonly kernel: string;
  readonly schedule: readonly string[];
}

/** "FILE@KERNEL#SCHEDULE" — one shell word once quoted. */
export function encodeToken(t: ReplayToken): string {
  return `${t.file}@${t.kernel}#${encodeSchedule(t.schedule)}`;
}

export function decodeToken(token: string): ReplayToken {
  const hash = token.lastIndexOf('#');
  const at = token.lastIndexOf('@', hash < 0 ? undefined : hash);
  if (hash < 0 || at < 0) throw new Error(`bad replay token "${token}": expected FILE@KERNEL#SCHEDULE`);
  return {
    file: token.slice(0, at),
    kernel: token.slice(at + 1, hash),
    schedule: decodeSchedule(token.slice(hash + 1)),
  };
}
