#!/usr/bin/env node
// `npm run migrate`: build the server if needed, then create the database if missing and run migrations.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const [cmd, args] of [
  [process.execPath, ['scripts/build-missing.mjs', 'server']],
  [process.execPath, ['platform/dist/cli.js', 'migrate']],
]) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
