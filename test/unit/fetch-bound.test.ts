import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { fetchBound } from '../../gateway/time-bounds.js';

describe('fetchBound (one subgraph fetch within its request)', () => {
  it('a fetch the request deadline bounds rides on the request signal: no timer, nothing to release', () => {
    const request = new AbortController();
    const bound = fetchBound({ signal: request.signal, deadlineAt: Date.now() + 1_000 }, 8_000);
    expect(bound.byDeadline).toBe(true);
    expect(bound.signal).toBe(request.signal);
    expect(bound.timeoutMs).toBeLessThanOrEqual(1_000);
  });

  it('follows the request signal while it runs and lets go of it once released', () => {
    const request = new AbortController();
    const bound = fetchBound({ signal: request.signal, deadlineAt: Date.now() + 60_000 }, 8_000);
    expect(bound.byDeadline).toBe(false);
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(1);
    bound.release();
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
    request.abort();
    expect(bound.signal.aborted).toBe(false);
  });

  it('aborts when the request is aborted (its client went away)', () => {
    const request = new AbortController();
    const bound = fetchBound({ signal: request.signal, deadlineAt: Date.now() + 60_000 }, 8_000);
    request.abort(new Error('client gone'));
    expect(bound.signal.aborted).toBe(true);
    expect((bound.signal.reason as Error).message).toBe('client gone');
    bound.release();
  });

  it('aborts by itself at its own bound, with a TimeoutError', async () => {
    const bound = fetchBound({ fetchTimeoutMs: 5 }, 8_000);
    await new Promise((resolve) => bound.signal.addEventListener('abort', resolve, { once: true }));
    expect((bound.signal.reason as DOMException).name).toBe('TimeoutError');
    bound.release();
  });

  it('a released bound never aborts', async () => {
    const bound = fetchBound({ fetchTimeoutMs: 5 }, 8_000);
    bound.release();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(bound.signal.aborted).toBe(false);
  });
});
