import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Every cache of folkreg, over one library (lru-cache): `SizedLru` for what is keyed by what clients send
 * (bounded by bytes), `CountedLru` for small values bounded by count, which may also expire at a time of
 * their own, and `keyValueCache` to hand a `SizedLru` to Apollo.
 */

/** What a `SizedLru` is told when it is made. */
export interface SizedLruOptions<V> {
  /** Largest total size of the values kept; the least recently used go first beyond it. */
  maxBytes: number;
  /** Estimated heap bytes of one value (with its key). */
  sizeOf(value: V, key: string): number;
}

/**
 * The bounded cache for everything keyed by what clients send (parsed documents, guarded operations,
 * query plans, subscription texts, limit measurements): least recently used first out, bounded by the
 * estimated bytes of what it holds rather than by a count, since one hostile 31 KB document parses to
 * about 2 MB while a typical one is a few KB. A value larger than the whole budget is not kept.
 */
export class SizedLru<V extends NonNullable<unknown>> {
  private readonly lru: LRUCache<string, V>;

  constructor(options: SizedLruOptions<V>) {
    // lru-cache wants a positive whole size; a value over maxSize (= maxEntrySize) is not stored.
    this.lru = new LRUCache<string, V>({ maxSize: options.maxBytes, sizeCalculation: (value, key) => Math.max(1, Math.ceil(options.sizeOf(value, key))) });
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  /** Entries held. */
  get size(): number {
    return this.lru.size;
  }

  /** The value of `key`, which becomes the most recently used; undefined if not held. */
  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  /** Keeps `value` (replacing what `key` held), dropping the least recently used beyond the budget. */
  set(key: string, value: V): void {
    this.lru.set(key, value);
  }

  /** Drops `key`; true if it was held. */
  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  /** Drops everything. */
  clear(): void {
    this.lru.clear();
  }
}

/**
 * At most `max` values (the least recently used go first), each kept until a time of its own when `set`
 * is given one. For verified client tokens at the gateway, costly to redo per request: a cache of verified
 * tokens must keep each no longer than the token's own expiry, and `until` is the caller's to bound
 * (subgraphs keep no such cache: every gateway token serves one fetch). Also for small derived values
 * (folded name parts, scope checks per document).
 */
export class CountedLru<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  private readonly lru: LRUCache<K, { value: V; until: number }>;

  /** `now` is the clock `until` is read on: the wall clock, or a test's. @default Date.now */
  constructor(
    max: number,
    private readonly now: () => number = Date.now,
  ) {
    // Each entry keeps its own end (set's `until`, on the wall clock like a token's `exp`); it is checked
    // at `get`, so an entry is never returned at or after its end (lru-cache's own ttl counts on a
    // monotonic clock and keeps an entry through the very millisecond it ends).
    this.lru = new LRUCache<K, { value: V; until: number }>({ max });
  }

  /** The value of `key`, if it is held and its time has not come. */
  get(key: K): V | undefined {
    const entry = this.lru.get(key);
    if (!entry) return undefined;
    if (this.now() < entry.until) return entry.value;
    this.lru.delete(key);
    return undefined;
  }

  /** Keeps `value`, until `until` (ms since the epoch) if given; a time already past keeps nothing. */
  set(key: K, value: V, until = Infinity): void {
    if (until <= this.now()) this.lru.delete(key);
    else this.lru.set(key, { value, until });
  }
}

/**
 * Heap bytes per byte of document text once graphql-js has parsed it with locations (the token chain
 * stays reachable from every node's `loc`): measured 66 for 300 documents of 21 KB (429 MB of heap for
 * 6.5 MB of text; 27 without locations). Guarded and rewritten documents are of the same order.
 */
export const PARSED_BYTES_PER_SOURCE_BYTE = 66;

/** A parsed document's estimated heap bytes, from the length of its source text. */
export function parsedDocumentBytes(document: DocumentNode, key = ''): number {
  const text = document.loc?.source.body.length ?? 1_000;
  return text * PARSED_BYTES_PER_SOURCE_BYTE + key.length * 2;
}

/** Apollo's `KeyValueCache` over a `SizedLru` (Apollo Servers' document stores and APQ, the gateway's plan store). */
export function keyValueCache<V extends NonNullable<unknown>>(lru: SizedLru<V>) {
  return {
    async get(key: string): Promise<V | undefined> {
      return lru.get(key);
    },
    async set(key: string, value: V): Promise<void> {
      lru.set(key, value);
    },
    async delete(key: string): Promise<boolean> {
      return lru.delete(key);
    },
    clear(): void {
      lru.clear();
    },
  };
}
