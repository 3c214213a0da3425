/**
 * Writes the published JSON Schemas from their zod sources (`npm run
 * schema`): schema/scenario.schema.json (src/scenario/schema.ts) and
 * schema/check-result.schema.json (src/report/schema.ts). With `--check`,
 * only compares and exits 1 when a file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkResultJsonSchemaText } from '../src/report/schema.js';
import { scenarioJsonSchemaText } from '../src/scenario/schema.js';

const files: [string, string][] = [
  ['scenario.schema.json', scenarioJsonSchemaText()],
  ['check-result.schema.json', checkResultJsonSchemaText()],
];

let stale = false;
for (const [name, text] of files) {
  const target = fileURLToPath(new URL(`../schema/${name}`, import.meta.url));
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // Missing counts as out of date.
    }
    if (current !== text) {
      process.stderr.write(`${target} is out of date: run npm run schema\n`);
      stale = true;
    }
  } else {
    writeFileSync(target, text);
    process.stdout.write(`wrote ${target}\n`);
  }
}
if (stale) process.exit(1);
