import { randomBytes } from 'node:crypto';

/** One id per test run: databases and Redis prefixes of this run are named with it. */
export default async function globalSetup(): Promise<void> {
  process.env.SF_TEST_RUN ??= `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}
