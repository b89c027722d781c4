#!/usr/bin/env node
// `npm run bench -- <name>`: builds the server if needed, then runs bench/<name>.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(here)
  // Files starting with `_` are parts of benchmarks, not benchmarks.
  .filter((f) => f.endsWith('.mjs') && !f.startsWith('_') && !['run.mjs', 'lib.mjs'].includes(f))
  .map((f) => f.replace(/\.mjs$/, ''));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name>\navailable: ${available.join(', ')}\n`);
  process.exit(2);
}
const build = spawnSync(process.execPath, [path.join(here, '../scripts/build-missing.mjs'), 'server'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const res = spawnSync(process.execPath, [path.join(here, `${name}.mjs`), ...process.argv.slice(3)], {
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
