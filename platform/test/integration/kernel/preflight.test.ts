import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ServiceUnavailableError, preflight } from '@shopfleet/platform';

const root = path.resolve(__dirname, '../../../..');

describe('preflight', () => {
  it('passes when MySQL and Redis answer', async () => {
    await expect(
      preflight({
        DATABASE_URL: 'mysql://root@127.0.0.1:3306/x',
        DATABASE_POOL_MAX: 1,
        REDIS_URL: 'redis://127.0.0.1:6379',
      }),
    ).resolves.toBeUndefined();
  });

  it('names the service that is down, where it looked, and how to start it', async () => {
    const err = await preflight({
      DATABASE_URL: 'mysql://root@127.0.0.1:1/x',
      DATABASE_POOL_MAX: 1,
      REDIS_URL: 'redis://127.0.0.1:2',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    const message = (err as Error).message;
    expect(message).toContain('MySQL is not reachable at 127.0.0.1:1 (DATABASE_URL)');
    expect(message).toContain('start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd');
    expect(message).toContain('Redis is not reachable at 127.0.0.1:2 (REDIS_URL)');
    expect(message).toContain('redis-server --daemonize yes');
  });
});

describe('the CLI on a machine without its services', () => {
  const cli = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['platform/dist/cli.js', 'check'], {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });

  it('says which service is missing, with no stack trace, and exits 2', () => {
    const res = cli({ DATABASE_URL: 'mysql://root@127.0.0.1:1/x' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('MySQL is not reachable at 127.0.0.1:1');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a bad environment variable', () => {
    const res = cli({ PORT: 'eighty' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('PORT');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});
