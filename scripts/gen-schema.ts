/**
 * Writes schema/scenario.schema.json from the zod schema in
 * src/scenario/schema.ts (`npm run schema`). With `--check`, only compares
 * and exits 1 when the file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../src/scenario/schema.js';

const target = fileURLToPath(new URL('../schema/scenario.schema.json', import.meta.url));
const text = scenarioJsonSchemaText();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // Missing counts as out of date.
  }
  if (current !== text) {
    process.stderr.write(`${target} is out of date: run npm run schema\n`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
