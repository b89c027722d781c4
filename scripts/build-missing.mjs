#!/usr/bin/env node
// Builds what is missing or older than its sources: `server` (TypeScript), `console`, `h5`, or `all`.
// Used by `npm start` and `npm test`, so a fresh clone needs no separate build step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newest(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    latest = Math.max(latest, newest(path.join(target, entry.name)));
  }
  return latest;
}

function stale(output, sources) {
  if (!fs.existsSync(output)) return true;
  const built = fs.statSync(output).mtimeMs;
  return sources.some((s) => newest(path.join(root, s)) > built);
}

function run(label, command, args) {
  process.stdout.write(`» building ${label}…\n`);
  const res = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: false });
  if (res.status !== 0) {
    process.stderr.write(`building ${label} failed (exit ${res.status})\n`);
    process.exit(res.status ?? 1);
  }
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const targets = {
  server: () => {
    // tsc -b is incremental: quick when nothing changed.
    run('server (tsc -b)', npx, ['tsc', '-b', 'tsconfig.build.json']);
  },
  console: () => {
    const out = path.join(root, 'tenant-console/dist/index.html');
    if (
      stale(out, ['tenant-console/src', 'tenant-console/index.html', 'tenant-console/vite.config.ts', 'contracts/src'])
    ) {
      run('tenant console (vite)', npm, ['run', 'build', '-w', '@shopfleet/tenant-console']);
    }
  },
  h5: () => {
    const out = path.join(root, 'template-miniapp/dist/build/h5/index.html');
    if (stale(out, ['template-miniapp/src', 'template-miniapp/index.html', 'template-miniapp/vite.config.ts'])) {
      run('shop template h5 (uni)', npm, ['run', 'build:h5', '-w', '@shopfleet/template-miniapp']);
    }
  },
};

const wanted = process.argv.slice(2);
const list = wanted.length === 0 || wanted.includes('all') ? Object.keys(targets) : wanted;
for (const name of list) {
  if (!targets[name]) {
    process.stderr.write(`unknown target ${name}; use ${Object.keys(targets).join(', ')} or all\n`);
    process.exit(2);
  }
  targets[name]();
}
