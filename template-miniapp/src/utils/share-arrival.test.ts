import { describe, expect, it } from '@jest/globals';
import { createShareArrival, type ShareArrivalPorts } from './share-arrival';

/** A shopper's runtime: who is signed in, the kept code, and what the API answers (a status, or 200). */
function runtime(opts: { signedIn?: boolean; kept?: string | null; answer?: number }) {
  const state = { kept: opts.kept === undefined ? 'Ab3dE9xZ' : opts.kept, sent: [] as string[] };
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const ports: ShareArrivalPorts = {
    signedIn: () => opts.signedIn ?? true,
    kept: () => state.kept,
    send: async (code) => {
      state.sent.push(code);
      await gate;
      const status = opts.answer ?? 200;
      if (status !== 200) throw Object.assign(new Error('refused'), { status });
      return { bound: true };
    },
    forget: () => {
      state.kept = null;
    },
    statusOf: (error) => (error as { status?: number }).status ?? 0,
  };
  return { state, release, send: createShareArrival(ports) };
}

describe('sending the share code a shopper arrived with', () => {
  it('sends it once when signed in, and forgets it once answered', async () => {
    const r = runtime({});
    const first = r.send();
    const second = r.send();
    r.release();
    await Promise.all([first, second]);
    expect(r.state.sent).toEqual(['Ab3dE9xZ']);
    expect(r.state.kept).toBeNull();
    await r.send();
    expect(r.state.sent).toHaveLength(1);
  });

  it('waits for a sign-in, and sends nothing without a code', async () => {
    const out = runtime({ signedIn: false });
    await out.send();
    expect(out.state.sent).toEqual([]);
    expect(out.state.kept).toBe('Ab3dE9xZ');
    const none = runtime({ kept: null });
    await none.send();
    expect(none.state.sent).toEqual([]);
  });

  it('forgets a code the shop refuses (unknown code, distribution off), silently', async () => {
    for (const status of [404, 409, 400]) {
      const r = runtime({ answer: status });
      r.release();
      await expect(r.send()).resolves.toBeUndefined();
      expect(r.state.kept).toBeNull();
    }
  });

  it('keeps it for the next try when no answer came, the server failed or the sign-in lapsed', async () => {
    for (const status of [0, 500, 503, 401]) {
      const r = runtime({ answer: status });
      r.release();
      await expect(r.send()).resolves.toBeUndefined();
      expect(r.state.kept).toBe('Ab3dE9xZ');
    }
  });
});
