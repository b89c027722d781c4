#!/usr/bin/env node
// Prints the configuration table for the README, generated from the config schema.
import { createRequire } from 'node:module';
const { envTable } = createRequire(import.meta.url)('../platform/dist/kernel/config.js');
process.stdout.write(`${envTable()}\n`);
