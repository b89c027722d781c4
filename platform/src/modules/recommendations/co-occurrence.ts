/**
 * Counting what goes together, from a stream of events read in pages (pure: no database, no clock).
 *
 * - viewed: two products viewed (or added to the cart) in the same visit, counted once per visit;
 * - bought: two products bought by the same shopper (in one order or in two), counted once per shopper;
 * - each product's visits and buyers (the similarity's denominators) and its popularity (events weighed by kind, halved
 *   every `halfLifeDays` of age).
 *
 * Memory stays bounded whatever the number of events: a visit is forgotten once the stream is `sessionIdleMs` past its
 * last event, a shopper's purchases beyond the `maxBuyers` most recent buyers, a group keeps at most `maxGroupItems`
 * products (a crawler's visit adds no more pairs), and the pairs themselves are kept compacted (sorted keys and counts).
 */

/** A product in the stream, by a dense index (0, 1, 2… in the order first seen): pairs are keyed by two of them. */
export class ProductIndex {
  readonly ids: number[] = [];
  private readonly byId = new Map<number, number>();

  /** The product's index, given one when first seen. */
  of(productId: number): number {
    let i = this.byId.get(productId);
    if (i === undefined) {
      i = this.ids.length;
      this.byId.set(productId, i);
      this.ids.push(productId);
    }
    return i;
  }

  get(productId: number): number | undefined {
    return this.byId.get(productId);
  }

  get size(): number {
    return this.ids.length;
  }
}

/** 2^26 products per shop at most: a pair's key (lower index × 2^26 + higher) stays an exact double. */
const SHIFT = 2 ** 26;

/**
 * How often each unordered pair of products was seen, for millions of pairs: additions go into a flat buffer of keys,
 * which is sorted and folded into the (sorted, unique) keys and counts whenever it fills.
 */
export class PairCounts {
  private buffer: Float64Array;
  private buffered = 0;
  private keys = new Float64Array(0);
  private counts = new Float64Array(0);

  constructor(
    bufferSize = 1 << 20,
    private readonly maxBufferSize = 1 << 23,
  ) {
    this.buffer = new Float64Array(bufferSize);
  }

  /** One more time `a` and `b` went together. */
  add(a: number, b: number): void {
    if (a === b) return;
    if (a >= SHIFT || b >= SHIFT) throw new Error('too many products to pair');
    if (this.buffered === this.buffer.length) this.compact();
    this.buffer[this.buffered++] = a < b ? a * SHIFT + b : b * SHIFT + a;
  }

  /** Pairs kept (after folding in the buffer). */
  get size(): number {
    this.compact();
    return this.keys.length;
  }

  /** Each pair once, lower index first, with its count. */
  forEach(fn: (a: number, b: number, count: number) => void): void {
    this.compact();
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      const a = Math.floor(key / SHIFT);
      fn(a, key - a * SHIFT, this.counts[i]!);
    }
  }

  private compact(): void {
    if (this.buffered === 0) return;
    const fresh = this.buffer.subarray(0, this.buffered).sort();
    // Fold the sorted buffer into runs, then merge the runs with what was kept.
    const runKeys = new Float64Array(this.buffered);
    const runCounts = new Float64Array(this.buffered);
    let runs = 0;
    for (let i = 0; i < fresh.length; i++) {
      if (runs > 0 && runKeys[runs - 1] === fresh[i]) runCounts[runs - 1]!++;
      else {
        runKeys[runs] = fresh[i]!;
        runCounts[runs++] = 1;
      }
    }
    const keys = new Float64Array(this.keys.length + runs);
    const counts = new Float64Array(this.keys.length + runs);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < this.keys.length || j < runs) {
      const a = i < this.keys.length ? this.keys[i]! : Infinity;
      const b = j < runs ? runKeys[j]! : Infinity;
      if (a === b) {
        keys[n] = a;
        counts[n++] = this.counts[i++]! + runCounts[j++]!;
      } else if (a < b) {
        keys[n] = a;
        counts[n++] = this.counts[i++]!;
      } else {
        keys[n] = b;
        counts[n++] = runCounts[j++]!;
      }
    }
    this.keys = keys.slice(0, n);
    this.counts = counts.slice(0, n);
    this.buffered = 0;
    // A buffer as large as what is kept (up to a cap): each fold then costs about what was added since the last one.
    if (n > this.buffer.length && this.buffer.length < this.maxBufferSize)
      this.buffer = new Float64Array(Math.min(n, this.maxBufferSize));
  }
}

export type CountedKind = 'product_view' | 'add_to_cart' | 'item_paid';

export interface StreamEvent {
  kind: CountedKind;
  visitor: string;
  sessionId: string | null;
  productId: number;
  occurredAt: Date;
}

export interface CoOccurrenceOptions {
  /** A visit with no event for this long (in the stream's time) is closed. */
  sessionIdleMs: number;
  /** Products a visit or a shopper's purchases pair at most. */
  maxGroupItems: number;
  /** Shoppers whose purchases are kept at once (the least recent forgotten first). */
  maxBuyers: number;
  /** Popularity halves every this many days of an event's age. */
  halfLifeDays: number;
  /** How much a view, a cart add and a purchase weigh in popularity. */
  popularityWeights: Record<CountedKind, number>;
  /** The time popularity is weighed relative to. */
  popularityAt: Date;
}

interface Group {
  items: number[];
  lastAt: number;
}

/** A growable array of numbers by dense product index. */
function grow(a: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  if (size <= a.length) return a;
  const next = new Float64Array(Math.max(size, a.length * 2, 1024));
  next.set(a);
  return next;
}

/**
 * Counts a stream of events into pairs, per-product counts and popularity. Events given as `context` (an update's look
 * back at events already counted) only open their visits and purchases again: a new event pairs with them, and nothing
 * is counted twice.
 */
export class CoOccurrence {
  readonly products = new ProductIndex();
  readonly viewed = new PairCounts();
  readonly bought = new PairCounts();
  private viewersOf = new Float64Array(1024);
  private buyersOf = new Float64Array(1024);
  private popularityOf = new Float64Array(1024);
  private readonly sessions = new Map<string, Group>();
  private readonly buyers = new Map<string, Group>();
  private clock = -Infinity;
  private seen = 0;

  constructor(private readonly opts: CoOccurrenceOptions) {}

  /** Adds one event (`context`: already counted, only remembered for pairing). */
  add(e: StreamEvent, context = false): void {
    const i = this.products.of(e.productId);
    const at = e.occurredAt.getTime();
    if (at > this.clock) this.clock = at;
    const size = this.products.size;
    this.viewersOf = grow(this.viewersOf, size);
    this.buyersOf = grow(this.buyersOf, size);
    this.popularityOf = grow(this.popularityOf, size);
    if (!context) {
      const ageDays = (this.opts.popularityAt.getTime() - at) / 86_400_000;
      this.popularityOf[i]! += this.opts.popularityWeights[e.kind] * 2 ** (-ageDays / this.opts.halfLifeDays);
    }
    if (e.kind === 'item_paid') this.join(this.buyers, e.visitor, i, at, context, this.bought, this.buyersOf);
    else this.join(this.sessions, e.sessionId ?? `visitor:${e.visitor}`, i, at, context, this.viewed, this.viewersOf);
    if (++this.seen % 4096 === 0) this.forget();
  }

  private join(
    groups: Map<string, Group>,
    key: string,
    i: number,
    at: number,
    context: boolean,
    pairs: PairCounts,
    counts: Float64Array,
  ): void {
    let g = groups.get(key);
    if (g) groups.delete(key);
    else g = { items: [], lastAt: at };
    // Re-inserted: a Map iterates in insertion order, so the least recently touched groups come first.
    groups.set(key, g);
    g.lastAt = Math.max(g.lastAt, at);
    if (g.items.includes(i) || g.items.length >= this.opts.maxGroupItems) return;
    if (!context) {
      for (const j of g.items) pairs.add(i, j);
      counts[i]!++;
    }
    g.items.push(i);
  }

  /** Forgets visits idle past the gap and the least recent buyers beyond the cap. */
  private forget(): void {
    const before = this.clock - this.opts.sessionIdleMs;
    for (const [key, g] of this.sessions) {
      if (g.lastAt >= before) break;
      this.sessions.delete(key);
    }
    for (const key of this.buyers.keys()) {
      if (this.buyers.size <= this.opts.maxBuyers) break;
      this.buyers.delete(key);
    }
  }

  /** Visits that viewed the product of index `i`. */
  viewers(i: number): number {
    return this.viewersOf[i] ?? 0;
  }

  /** Shoppers who bought the product of index `i`. */
  buyersCount(i: number): number {
    return this.buyersOf[i] ?? 0;
  }

  popularity(i: number): number {
    return this.popularityOf[i] ?? 0;
  }

  /** Groups open now (for tests of the bound on memory). */
  get openGroups(): { sessions: number; buyers: number } {
    return { sessions: this.sessions.size, buyers: this.buyers.size };
  }
}
