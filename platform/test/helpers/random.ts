/**
 * A seeded generator of whole numbers below `n` (xorshift32): random operations a test can replay by setting the seed
 * it prints on failure.
 */
export function seeded(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}
