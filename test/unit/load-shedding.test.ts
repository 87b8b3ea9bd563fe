import { describe, expect, it } from 'vitest';
import { LoadShedder } from '../../gateway/load-shedding.js';

/** Blocks the event loop for `ms`, as a gateway's synchronous start-up (composing, planning) does. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('load shedding by event-loop delay', () => {
  it('sheds after a loop that lagged past the bound', () => {
    const shedder = new LoadShedder({ maxEventLoopDelayMs: 100 });
    block(300);
    expect(shedder.shedding).toBe(true);
    shedder.close();
  });

  it('a gateway that starts listening after a long start-up does not shed its first requests (restart)', () => {
    const shedder = new LoadShedder({ maxEventLoopDelayMs: 100 });
    block(300);
    shedder.restart();
    expect(shedder.shedding).toBe(false);
    shedder.close();
  });
});
