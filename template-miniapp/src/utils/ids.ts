const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomIndexes(count: number): number[] {
  const cryptoApi = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto;
  if (cryptoApi?.getRandomValues) {
    return Array.from(cryptoApi.getRandomValues(new Uint8Array(count)), (byte) => byte % ALPHABET.length);
  }
  // The mini-program has no synchronous crypto; the timestamp prefix keeps keys apart anyway.
  return Array.from({ length: count }, () => Math.floor(Math.random() * ALPHABET.length));
}

/**
 * A new Idempotency-Key for placing an order (the contract: 8–64 of `[A-Za-z0-9_-]`): the time in
 * base 36 and 20 random characters.
 */
export function newIdempotencyKey(): string {
  const random = randomIndexes(20)
    .map((i) => ALPHABET[i])
    .join('');
  return `o${Date.now().toString(36)}_${random}`;
}

/**
 * A new clientMsgId for a chat message (the contract: 8–64 of `[A-Za-z0-9_-]`): a retry sends the same id, and the
 * server answers it with the message it stored the first time.
 */
export function newClientMsgId(): string {
  const random = randomIndexes(16)
    .map((i) => ALPHABET[i])
    .join('');
  return `m${Date.now().toString(36)}_${random}`;
}
