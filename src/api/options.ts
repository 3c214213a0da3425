/**
 * The library's boundary: CheckOptions as a JavaScript caller may really pass
 * them (untyped, from JSON, from a config file). A wrong option is the
 * caller's mistake and is said so, naming the option, what it got and what
 * it takes — never an internal TypeError from deep in the explorer, and
 * never a silent clean verdict (`maxExecutions: -1` explored nothing and
 * said "clean"; issue 17, items 2 and 3).
 */

/** A CheckOptions value the library cannot run with. */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

/** The strategies checkScenario runs. */
export const STRATEGY_NAMES = ['dpor', 'dfs', 'random', 'pct', 'replay', 'round-robin'] as const;

const BOOLEANS = ['lockdep', 'races', 'minimise', 'cache', 'failFast', 'symmetry', 'commute'] as const;

/** Integer options, with the least value each takes. */
const INTEGERS: readonly (readonly [string, number])[] = [
  ['maxExecutions', 1],
  ['maxSteps', 1],
  ['depth', 1],
  ['sample', 0],
  ['confirmBudget', 0],
  ['seed', Number.MIN_SAFE_INTEGER],
];

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'function' ? 'a function' : String(v));

/** Throws OptionsError for the first option that is not one checkScenario takes (undefined is "the default"). */
export function validateCheckOptions(opts: unknown): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object') throw new OptionsError(`kvmsim: options must be an object; got ${show(opts)}`);
  const o = opts as Record<string, unknown>;
  const bad = (name: string, takes: string): never => {
    throw new OptionsError(`kvmsim: option ${name} must be ${takes}; got ${show(o[name])}`);
  };
  if (o.strategy !== undefined && !(STRATEGY_NAMES as readonly unknown[]).includes(o.strategy)) bad('strategy', `one of ${STRATEGY_NAMES.join(', ')}`);
  for (const name of BOOLEANS) if (o[name] !== undefined && typeof o[name] !== 'boolean') bad(name, 'true or false');
  for (const [name, least] of INTEGERS) {
    const v = o[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < least) bad(name, least === 1 ? 'a positive integer' : least === 0 ? 'an integer ≥ 0' : 'an integer');
  }
  if (o.schedule !== undefined && (!Array.isArray(o.schedule) || !o.schedule.every((s) => typeof s === 'string'))) bad('schedule', 'an array of thread names');
  if (o.schedule !== undefined && o.strategy !== 'replay') bad('schedule', "given only with strategy 'replay'");
  if (o.onExecution !== undefined && typeof o.onExecution !== 'function') bad('onExecution', 'a function');
}
