#!/usr/bin/env node
// `npm start`: build what is missing, check MySQL and Redis, migrate, seed the demo, then run the API
// (console and shop h5 included) and the worker until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;

function step(args) {
  const res = spawnSync(node, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

step(['scripts/build-missing.mjs', 'server']);
step(['platform/dist/cli.js', 'check']);
step(['scripts/build-missing.mjs', 'console', 'h5']);
step(['platform/dist/cli.js', 'seed-demo']);

const { DEMO } = createRequire(import.meta.url)('../platform/dist/demo.js');
const port = process.env.PORT ?? '3000';
const base = (process.env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
const children = [];

function launch(name, script, flags = []) {
  const child = spawn(node, [...flags, script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, RUN_MIGRATIONS: 'false' },
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${name} stopped (${signal ?? `exit ${code}`}); stopping everything\n`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

async function waitReady() {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  let alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  for (const c of alive) {
    c.once('exit', () => {
      alive = alive.filter((x) => x !== c);
      if (alive.length === 0) process.exit(code);
    });
    c.kill('SIGTERM');
  }
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// A young generation sized for a server's churn of short-lived objects (docs/operations.md, API processes).
launch('api', 'platform/dist/main.js', ['--max-semi-space-size=64']);
if (!(await waitReady())) {
  process.stderr.write('The API did not become ready; see the log above.\n');
  stop(1);
} else {
  // The API hosts the embedded S3 when no S3_ENDPOINT is set; the worker then uses the same one.
  launch('worker', 'workers/dist/main.js');
  process.stdout.write(`
  Shopfleet is running.

    Tenant console   ${base}/console/
      merchant       ${DEMO.owner.email} / ${DEMO.owner.password}   (staff: ${DEMO.staff.email} / ${DEMO.staff.password})
      applicant      ${DEMO.pending.owner.email} / ${DEMO.pending.owner.password}   (shop "${DEMO.pending.tenant.slug}", documents waiting for review)
    Platform console ${base}/console/platform/login
      staff          ${DEMO.admin.email} / ${DEMO.admin.password}   (reviewer: ${DEMO.reviewer.email} / ${DEMO.reviewer.password})
    Demo shop (h5)   ${base}/s/${DEMO.tenant.slug}/   (sign in with ${DEMO.shopperPhone}; the SMS code is printed in this log)
    API docs         ${base}/docs
    Health           ${base}/readyz   metrics ${base}/metrics

  Ctrl-C stops everything.
`);
}
