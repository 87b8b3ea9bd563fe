import { describe, expect, it } from 'vitest';
import { SizedLru } from '../../kernel/sized-lru.js';

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
