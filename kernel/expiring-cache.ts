/**
 * Values kept until a time of their own, at most `max` of them (when full, all are dropped: bounded and
 * simple; the next uses fill it again). For verified client tokens at the gateway, costly to redo per
 * request. A cache of verified tokens must keep each no longer than the token's own expiry: `until`
 * is the caller's to bound (subgraphs keep no such cache: every gateway token serves one fetch).
 */
export class ExpiringCache<K, V> {
  private entries = new Map<K, { value: V; until: number }>();
  constructor(private readonly max: number) {}

  get(key: K, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > now) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Keeps `value` until `until` (ms since the epoch). */
  set(key: K, value: V, until: number): void {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { value, until });
  }
}
