/**
 * Runs a transaction again when MySQL chose it as a deadlock victim (ER_LOCK_DEADLOCK): InnoDB rolls the
 * victim back whole, so a retry is safe, and under concurrency some deadlocks on index gaps cannot be
 * designed away.
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ER_LOCK_DEADLOCK' || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10 * attempt));
    }
  }
}
