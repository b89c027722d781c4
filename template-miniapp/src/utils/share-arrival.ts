/** What sending a kept share code needs: each a port, so the rule below is tested without a runtime. */
export interface ShareArrivalPorts {
  signedIn(): boolean;
  /** The code the shopper arrived with, if one is kept. */
  kept(): string | null;
  /** POST /distribution/arrivals. */
  send(code: string): Promise<unknown>;
  forget(): void;
  /** The HTTP status of a failed send; 0 when no answer came. */
  statusOf(error: unknown): number;
}

/**
 * Sends the share code a signed-in shopper arrived with to distribution, once: the sharer may gain them as a customer
 * (the shop's rule decides, and logs it). Answered — bound or not, or refused (an unknown code, distribution off) — the
 * code is forgotten; no answer, a server error or a lapsed sign-in keep it for the next try (the next showing of the
 * app or the next sign-in). Nothing is ever said to the shopper. Calls while one is on its way share it.
 */
export function createShareArrival(ports: ShareArrivalPorts): () => Promise<void> {
  let inFlight: Promise<void> | null = null;

  async function run(code: string): Promise<void> {
    try {
      await ports.send(code);
      ports.forget();
    } catch (error) {
      const status = ports.statusOf(error);
      if (status >= 400 && status < 500 && status !== 401) ports.forget();
    }
  }

  return function sendShareArrival(): Promise<void> {
    if (inFlight) return inFlight;
    if (!ports.signedIn()) return Promise.resolve();
    const code = ports.kept();
    if (!code) return Promise.resolve();
    inFlight = run(code).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
