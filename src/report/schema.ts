/**
 * The published shape of `kvmsim check --json` (report/json.ts writes it):
 * a zod schema, the source of truth for schema/check-result.schema.json
 * (`npm run schema`). Objects are strict, so a field the writer adds without
 * adding it here fails the tests that validate real output against the file.
 */
import { z } from 'zod';
import { FINDING_KINDS } from '../trace/finding.js';
import { JSON_FORMAT_VERSION } from './json.js';

const Site = z.strictObject({ file: z.string(), line: z.number().int(), col: z.number().int() });
const Held = z.strictObject({ lock: z.string(), stack: z.array(z.string()), instance: z.string().optional() });

const Thread = z.strictObject({
  name: z.string(),
  group: z.string(),
  op: z.string().nullable().describe('The system call the thread was in, as the scenario wrote it.'),
  site: Site.nullable(),
  stack: z.array(z.string()).describe('Model call stack, outermost first (kernel function names).'),
  held: z.array(Held),
  waitingFor: z.strictObject({ lock: z.string(), owner: z.string().nullable(), instance: z.string().optional() }).nullable(),
});

const ObjectInfo = z.strictObject({
  label: z.string(),
  kind: z.string(),
  allocStack: z.array(z.string()),
  allocThread: z.string(),
  freeStack: z.array(z.string()).nullable(),
  freeThread: z.string().nullable(),
});

const LockRef = z.strictObject({ cls: z.string(), kind: z.enum(['mutex', 'spinlock']), stack: z.array(z.string()) });

const Lockdep = z.strictObject({
  task: z.string(),
  acquiring: LockRef.nullable(),
  holding: LockRef.nullable(),
  chain: z.array(LockRef),
  held: z.array(LockRef),
  stack: z.array(z.string()),
  put: z.strictObject({ counter: z.string(), site: z.array(z.string()), teardown: z.array(z.string()) }).optional(),
});

const TraceLine = z.strictObject({
  step: z.number().int(),
  thread: z.string(),
  kind: z.enum(['op-begin', 'op-end', 'acquire', 'release', 'counter', 'free', 'atomic', 'warn', 'exit']),
  text: z.string(),
  fn: z.string().nullable(),
});

const FindingKind = z.enum(FINDING_KINDS);

const Finding = z.strictObject({
  kind: FindingKind,
  title: z.string(),
  threads: z.array(Thread),
  objects: z.array(ObjectInfo),
  detail: z.array(z.string()),
  executions: z.number().int().describe('Executions that showed it.'),
  preemptions: z.number().int().optional().describe('The fewest preemptions found for a schedule that shows it.'),
  lockdep: Lockdep.optional(),
  confirmation: z
    .strictObject({ status: z.enum(['confirmed', 'unreachable', 'unknown']), schedule: z.array(z.string()).optional(), executions: z.number().int() })
    .optional(),
  access: z.strictObject({ kind: z.enum(['read', 'write']), field: z.string() }).optional(),
  variants: z.strictObject({ count: z.number().int(), titles: z.array(z.string()) }).optional().describe('Findings of the same root cause folded into this one.'),
  schedule: z.array(z.string()).describe('Thread chosen at each choice point.'),
  interleaving: z.array(TraceLine),
  token: z.string().describe('The replay token: FILE@KERNEL#thread:count,…, for `kvmsim replay`.'),
  replay: z.string().describe('The command that replays it.'),
});

const Statuses = z.strictObject({
  running: z.number().int(),
  done: z.number().int(),
  deadlock: z.number().int(),
  'step-limit': z.number().int(),
  crashed: z.number().int(),
  pruned: z.number().int(),
  cached: z.number().int(),
});

const Result = z.strictObject({
  scenario: z.string(),
  file: z.string(),
  kernel: z.string(),
  verdict: z.enum(['clean', 'findings', 'bounded']).describe('clean: every interleaving explored, nothing found; bounded: nothing found within a bound, not a proof.'),
  coverage: z.strictObject({
    strategy: z.string(),
    executions: z.number().int(),
    complete: z.boolean(),
    bound: z.string().nullable(),
    statuses: Statuses,
    states: z.number().int().optional(),
    symmetry: z.string().optional(),
    commuting: z.strictObject({ updates: z.number().int(), commuted: z.number().int() }).optional(),
  }),
  stats: z.strictObject({ steps: z.number().int(), executionsWithFindings: z.number().int() }),
  findings: z.array(Finding),
});

/** What `kvmsim check --json` prints. */
export const CheckJson = z
  .strictObject({
    format: z.literal('kvmsim-check'),
    version: z.literal(JSON_FORMAT_VERSION),
    results: z.array(Result),
  })
  .meta({
    // No web home to point at: a URN names it, versioned with the format.
    $id: `urn:kvmsim:schema:check-result:v${JSON_FORMAT_VERSION}`,
    title: 'kvmsim check --json',
  });

/** The text of schema/check-result.schema.json (draft 2020-12), pretty-printed, with a final newline. */
export function checkResultJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(CheckJson, { target: 'draft-2020-12' }), null, 2)}\n`;
}
