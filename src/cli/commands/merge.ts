/**
 * kvmsim merge SHARDS… — one check's verdict from the shard results that
 * `kvmsim check --shard i/N` printed on other machines (a CI matrix, a
 * Kubernetes indexed Job). The scenario files must be readable here too:
 * findings are explained (minimised, traced) once, after merging.
 */
import { readFileSync } from 'node:fs';
import { finishCheck, type CheckResult } from '../../api/check.js';
import { mergeShards, ShardMismatch, SHARD_FORMAT_VERSION, type ShardResult } from '../../api/shard.js';
import { readScenario, UsageError } from '../io.js';
import { report } from './check.js';

export interface MergeFlags {
  readonly json?: boolean;
}

function readShards(file: string): ShardResult[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? `not JSON (${e.message})` : ((e as NodeJS.ErrnoException).code ?? String(e));
    throw new UsageError(`kvmsim: cannot read shard results ${file}: ${why}`);
  }
  const d = data as { format?: unknown; version?: unknown; shards?: unknown };
  if (d.format !== 'kvmsim-shards' || d.version !== SHARD_FORMAT_VERSION || !Array.isArray(d.shards)) {
    throw new UsageError(`kvmsim: ${file} is not the output of \`kvmsim check --shard i/N\` (expected format kvmsim-shards version ${SHARD_FORMAT_VERSION})`);
  }
  return d.shards as ShardResult[];
}

export function mergeCommand(files: readonly string[], flags: MergeFlags): number {
  // Group by scenario × version, in the order first met.
  const groups = new Map<string, ShardResult[]>();
  for (const file of files) {
    for (const s of readShards(file)) {
      const key = `${s.file}\0${s.kernel}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
  }
  const results: CheckResult[] = [];
  for (const shards of groups.values()) {
    const first = shards[0] as ShardResult;
    let merged;
    try {
      merged = mergeShards(shards);
    } catch (e) {
      if (e instanceof ShardMismatch) throw new UsageError(`kvmsim merge: ${e.message}`);
      throw e;
    }
    results.push(finishCheck(readScenario(first.file), first.kernel, merged, { lockdep: first.options.lockdep, races: first.options.races }));
  }
  return report(results, flags.json === true);
}
