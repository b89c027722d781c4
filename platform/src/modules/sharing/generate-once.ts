import type { Redis } from '../../kernel/redis';

/** Another process held the key's lock longer than a caller waits. */
export class StillGenerating extends Error {
  constructor(readonly lockKey: string) {
    super(`timed out waiting for ${lockKey}`);
    this.name = 'StillGenerating';
  }
}

/**
 * Runs `make` in one process at a time for a key, across every API process: the first caller takes a Redis lock and
 * makes the thing; the others wait until `find` sees it (or the lock is given up, then one of them tries). So an image
 * that costs a WeChat call is made once however many ask for it at the same moment.
 */
export async function generateOnce<T>(
  redis: Redis,
  lockKey: string,
  find: () => Promise<T | null>,
  make: () => Promise<T>,
  opts: { lockMs?: number; waitMs?: number; pollMs?: number } = {},
): Promise<T> {
  const lockMs = opts.lockMs ?? 15_000;
  const deadline = Date.now() + (opts.waitMs ?? 20_000);
  const pollMs = opts.pollMs ?? 50;
  const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  for (;;) {
    if ((await redis.set(lockKey, token, 'PX', lockMs, 'NX')) === 'OK') {
      try {
        return (await find()) ?? (await make());
      } finally {
        // Only our own lock: one that expired and was taken by another process stays theirs.
        await redis.eval(
          "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
          1,
          lockKey,
          token,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const made = await find();
    if (made !== null) return made;
    if (Date.now() > deadline) throw new StillGenerating(lockKey);
  }
}
