/**
 * The kvmsim command line: argv → library → exit code.
 * Exit codes: 0 clean, 1 findings, 2 bad input or usage, 3 internal error,
 * 4 no findings within a bound (not a proof).
 */
import { Command, CommanderError } from 'commander';
import type { CheckFlags } from './commands/check.js';
import type { ConformFlags } from './commands/conform.js';
import type { MergeFlags } from './commands/merge.js';
import type { RunFlags } from './commands/run.js';
import { EXIT, UsageError } from './io.js';

/** The command tree; each action reports its exit code through `done`. */
function program(done: (code: number) => void): Command {
  const cmd = new Command('kvmsim')
    .description(
      'Model-check the Linux KVM device framework, VFIO and the kvm-vfio bridge: every interleaving of a scenario,\n' +
        'reported as the kernel reports deadlocks, use after free, refcount errors and leaks.\n' +
        'With no command: check every shipped scenario on every kernel version and print the verdict matrix.',
    )
    .version('0.1.0')
    .exitOverride()
    .helpCommand('help [command]', 'show help for a command')
    .addHelpText(
      'after',
      '\nExit codes: 0 clean, 1 findings, 2 bad input or usage, 3 internal error,\n' +
        '4 no findings within a bound (sampling, --time-budget, --max-executions, Ctrl-C: not a proof).\n' +
        '(With no command the matrix is a report on known bugs: it exits 0 once printed.)',
    )
    .action(async () => done((await import('./commands/matrix.js')).matrixCommand()));
  cmd
    .command('check')
    .description('explore every interleaving of each scenario')
    .argument('<files...>', 'scenario YAML files')
    .option('-k, --kernel <version>', 'kernel version, comma-separated versions, or "all" (default: the scenario\'s)')
    .option(
      '-s, --strategy <name>',
      'dpor (every interleaving, up to equivalence), dfs (every interleaving, no reduction), random or pct (sampling: a seeded number of executions, never a proof)',
      'dpor',
    )
    .option('--seed <n>', 'random, pct and the --sample executions: the seed (default 1); a finding replays from its token either way')
    .option('--depth <d>', 'pct: the bug depth d it aims at (default 3)')
    .option('--max-executions <n>', 'stop after n executions (the result then says "bounded"; random and pct default to 1000)')
    .option('--time-budget <seconds>', 'stop exploring each scenario × version after this long (the result then says "bounded")')
    .option('--fail-fast', 'stop exploring each scenario × version at its first finding (the result then says "bounded")')
    .option(
      '--sample <n>',
      'dpor and dfs: run n seeded pct executions first, to report shallow bugs at once (default 100 with --fail-fast or --time-budget, else 0); they add findings, never coverage',
    )
    .option('--json', 'print versioned JSON instead of text (schema/check-result.schema.json)')
    .option('--junit <file>', 'also write JUnit XML to <file>: one test case per scenario × version (findings fail, bounded is skipped)')
    .option('--no-lockdep', 'turn off lockdep and put-under-lock (potential deadlocks from lock order)')
    .option('--no-races', 'turn off the data-race checker (unordered plain accesses, KCSAN-style)')
    .option('--no-cache', 'dpor: turn off state caching (executions then run on past states already explored from)')
    .option('--no-symmetry', 'dpor: explore every renaming of interchangeable threads (same process, same ops), not one of each')
    .option('--commute', 'dpor: leave reference gets and puts that cannot reach zero unordered (commuting atomics; sound, rarely smaller)')
    .option('--workers <n>', 'dpor: explore on n worker threads (the tree split n ways, results merged)')
    .option('--shard <i/N>', 'dpor: explore only shard i of N (1-based) and print it as JSON for `kvmsim merge`; exits 0 once run')
    .action(async (files: string[], flags: CheckFlags) => done(await (await import('./commands/check.js')).checkCommand(files, flags)));
  cmd
    .command('merge')
    .description('merge the shard results of `kvmsim check --shard i/N` (all N of them) into one check\'s report and verdict')
    .argument('<files...>', 'JSON files printed by each shard')
    .option('--json', 'print versioned JSON instead of text')
    .action(async (files: string[], flags: MergeFlags) => done((await import('./commands/merge.js')).mergeCommand(files, flags)));
  cmd
    .command('run')
    .description('run a scenario once (threads take turns) and print the full trace')
    .argument('<file>', 'scenario YAML file')
    .option('-k, --kernel <version>', 'kernel version or "all"')
    .option('--json', 'print JSON')
    .action(async (file: string, flags: RunFlags) => done((await import('./commands/run.js')).runCommand(file, flags)));
  cmd
    .command('minimise')
    .alias('minimize')
    .description('print the smallest scenario (threads, ops and host devices dropped one at a time) whose check still shows a finding')
    .argument('<file>', 'scenario YAML file')
    .option('-k, --kernel <version>', 'the kernel version to keep the finding on (required unless the scenario names one)')
    .option('--finding <n>', 'which finding of the check to keep, 1 for the first (default 1)')
    .option('--max-executions <n>', 'executions each candidate\'s check may take (default 20000; a candidate that needs more is not kept)')
    .action(async (file: string, flags: Record<string, string | undefined>) => done((await import('./commands/minimise.js')).minimiseCommand(file, flags)));
  cmd
    .command('replay')
    .description('reproduce a finding exactly from its replay token (FILE@KERNEL#SCHEDULE)')
    .argument('<token>', 'the token a finding printed')
    .option('--json', 'print JSON')
    .action(async (token: string, flags: RunFlags) => done((await import('./commands/run.js')).replayCommand(token, flags)));
  cmd
    .command('conform')
    .description('the conformance catalogue on the model and (--live) on the running kernel through /dev/kvm; exit 1 on any divergence')
    .argument('[files...]', 'scenario YAML files (default: scenarios/conformance/*.yaml)')
    .option('--live', 'also run every scenario on the live kernel (when /dev/kvm is usable)')
    .option('--require-live', 'as --live, but fail (exit 2) where the live kernel cannot be run (for CI machines that must check live)')
    .option('--record', 'as --require-live, and write what the live kernel answered beside each scenario (live/NAME.json), for the tests to hold the model to on machines without /dev/kvm')
    .option('--runs <n>', 'live runs of each scenario with concurrent threads (outcomes are counted)', '100')
    .action(async (files: string[], flags: ConformFlags) => done(await (await import('./commands/conform.js')).conformCommand(files, flags)));
  cmd
    .command('list')
    .description('kernel versions and their behaviour switches, drivers, ioctls, shipped scenarios')
    .action(async () => done((await import('./commands/list.js')).listCommand()));
  return cmd;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short words. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The root command runs the matrix, so commander takes a mistyped command
 * for an argument and says "too many arguments": a first word that is no
 * command (and no option) is named as such, with the nearest command.
 */
function unknownCommand(cmd: Command, argv: readonly string[]): UsageError | null {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return null;
  const names = [...cmd.commands.map((c) => c.name()), 'help'];
  if (names.includes(first)) return null;
  const near = names.map((n) => ({ n, d: distance(first, n) })).sort((x, y) => x.d - y.d)[0];
  const hint = near !== undefined && near.d <= 2 ? ` (did you mean '${near.n}'?)` : '';
  return new UsageError(`kvmsim: unknown command '${first}'${hint}; commands: ${names.join(', ')} (kvmsim --help)`);
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.CLEAN;
  try {
    const cmd = program((c) => {
      code = c;
    });
    const unknown = unknownCommand(cmd, argv);
    if (unknown !== null) throw unknown;
    await cmd.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.CLEAN : EXIT.BAD_INPUT;
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.BAD_INPUT;
    }
    process.stderr.write(`kvmsim: internal error (a bug in kvmsim, please report it):\n${(e as Error).stack ?? String(e)}\n`);
    return EXIT.INTERNAL;
  }
  return code;
}
