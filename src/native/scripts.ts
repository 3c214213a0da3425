/**
 * Where the live executor's helper entry points are: worker threads and
 * forked children run compiled JavaScript (Node 20 cannot start a worker from
 * TypeScript source), so from source (tests) they are taken from dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled file of the native helper `name` ("worker" or "child"). */
export function compiledScript(name: 'worker' | 'child'): string {
  const here = fileURLToPath(import.meta.url);
  const dir = here.endsWith('.js') ? dirname(here) : join(dirname(here), '..', '..', 'dist', 'src', 'native');
  const file = join(dir, `${name}.js`);
  if (!existsSync(file)) throw new Error(`live executor: ${file} is missing — run "npm run build" first`);
  return file;
}
