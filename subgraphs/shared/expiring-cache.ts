/**
 * Values kept until a time of their own, at most `max` of them (when full, all are dropped: bounded and
 * simple; the next uses fill it again). For verified tokens and signed tokens, which are cheap to redo
 * and costly to redo per request.
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
