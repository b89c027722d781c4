import { ConfigError, loadConfig } from './kernel/config';
import { createLogger } from './kernel/logger';
import { ServiceUnavailableError, preflight } from './kernel/preflight';
import { createPlatform } from './platform';
import { DEMO, seedDemo } from './seed';

const USAGE = 'usage: node platform/dist/cli.js <check|migrate|seed-demo>';

/** Operator commands: check services, migrate, seed the demo. */
async function main(command: string | undefined): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'shopfleet-cli');
  switch (command) {
    case 'check':
      await preflight(config);
      process.stdout.write('MySQL and Redis are reachable.\n');
      return;
    case 'migrate': {
      await preflight(config);
      const platform = await createPlatform(config, { log, migrate: true });
      await platform.close();
      process.stdout.write('Migrations are up to date.\n');
      return;
    }
    case 'seed-demo': {
      await preflight(config);
      const platform = await createPlatform(config, { log, migrate: true });
      try {
        await seedDemo(platform);
      } finally {
        await platform.close();
      }
      process.stdout.write(`Demo seeded: shop "${DEMO.tenant.slug}".\n`);
      return;
    }
    default:
      throw new ConfigError([USAGE]);
  }
}

main(process.argv[2]).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof ServiceUnavailableError) {
    process.stderr.write(`\n${err.message}\n\n`);
    process.exit(2);
  }
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
