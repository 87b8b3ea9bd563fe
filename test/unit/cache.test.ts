import { describe, expect, it, vi } from 'vitest';
import { CountedLru, SizedLru } from '../../kernel/cache.js';

describe('SizedLru', () => {
  const lru = () => new SizedLru<string>({ maxBytes: 100, sizeOf: (v) => v.length });

  it('keeps what fits in its byte budget, dropping the least recently used first', () => {
    const cache = lru();
    cache.set('a', 'x'.repeat(40));
    cache.set('b', 'x'.repeat(40));
    expect(cache.get('a')).toBeDefined(); // a is now more recent than b
    cache.set('c', 'x'.repeat(40));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.bytes).toBe(80);
  });

  it('bounds by bytes, not by count: one large value displaces many small ones', () => {
    const cache = lru();
    for (let i = 0; i < 50; i++) cache.set(`k${i}`, 'xx');
    expect(cache.size).toBe(50);
    cache.set('big', 'x'.repeat(99));
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(99);
  });

  it('does not keep a value larger than its whole budget, and replacing a key frees its old size', () => {
    const cache = lru();
    cache.set('huge', 'x'.repeat(101));
    expect(cache.get('huge')).toBeUndefined();
    cache.set('a', 'x'.repeat(60));
    cache.set('a', 'x'.repeat(10));
    expect(cache.bytes).toBe(10);
    expect(cache.delete('a')).toBe(true);
    expect(cache.bytes).toBe(0);
  });
});

describe('CountedLru', () => {
  it('returns a value until its own time, then no longer', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    try {
      const cache = new CountedLru<string, string>(10);
      cache.set('token', 'identity', Date.now() + 60_000);
      cache.set('past', 'identity', Date.now() - 1);
      expect(cache.get('token')).toBe('identity');
      expect(cache.get('past')).toBeUndefined();
      vi.setSystemTime(1_000_000 + 60_001);
      expect(cache.get('token')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('holds at most its count, dropping the least recently used', () => {
    const cache = new CountedLru<string, number>(2);
    const until = Date.now() + 60_000;
    cache.set('a', 1, until);
    cache.set('b', 2, until);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3, until);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
  });
});
