import { GraphQLError, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Feed, type FetchBatch } from '../../gateway/websocket/feed.js';
import { Watch, type LogTap } from '../../gateway/websocket/log-tap.js';
import type { DeliveryPlan } from '../../gateway/websocket/operation-plan.js';
import { SharedFrame, Subscriber, type FrameSink } from '../../gateway/websocket/subscriber.js';

const result = (n: number) => ({ data: { changeEvents: { cursor: `c${n}` } } as Record<string, unknown> });
const cursors = (results: IteratorResult<ExecutionResult>[]) =>
  results.map((r) => (r.done ? 'done' : (r.value.data as { changeEvents: { cursor: string } }).changeEvents.cursor));

/** A subscriber holding at most `max` results, recording when it overflowed and when it left its feed. */
function subscriber(max: number) {
  const seen = { overflowed: 0, left: 0 };
  const s = new Subscriber(
    max,
    () => seen.overflowed++,
    () => seen.left++,
  );
  return { s, seen };
}

describe('Subscriber: one socket’s subscription', () => {
  it('hands results over in the order they were pushed, each once', async () => {
    const { s } = subscriber(10);
    for (let i = 1; i <= 3; i++) s.push(result(i));
    const pending = s.next(); // taken from the queue
    s.push(result(4));
    expect(cursors([await pending, await s.next(), await s.next(), await s.next()])).toEqual(['c1', 'c2', 'c3', 'c4']);
  });

  it('wakes a client already waiting with the next result', async () => {
    const { s } = subscriber(10);
    const waiting = s.next();
    s.push(result(1));
    expect(cursors([await waiting])).toEqual(['c1']);
  });

  it('a slow client overflows at its bound: closed once, its queue dropped, its feed left', async () => {
    const { s, seen } = subscriber(3);
    for (let i = 1; i <= 3; i++) s.push(result(i));
    expect(seen).toEqual({ overflowed: 0, left: 0 });
    s.push(result(4));
    expect(seen).toEqual({ overflowed: 1, left: 1 });
    // Later events of the feed are not queued for it, and it does not overflow again.
    s.push(result(5));
    expect(seen).toEqual({ overflowed: 1, left: 1 });
    expect(cursors([await s.next()])).toEqual(['done']);
  });

  it('a client that keeps up never overflows, however many results pass', async () => {
    const { s, seen } = subscriber(2);
    for (let i = 1; i <= 100; i++) {
      s.push(result(i));
      await s.next();
    }
    expect(seen.overflowed).toBe(0);
  });

  it('fail delivers the errors after what was queued, then completes', async () => {
    const { s } = subscriber(10);
    s.push(result(1));
    s.fail([new GraphQLError('The cursor is not valid.', { extensions: { code: 'BAD_USER_INPUT' } })]);
    const [first, last, end] = [await s.next(), await s.next(), await s.next()];
    expect(cursors([first])).toEqual(['c1']);
    expect(last.done ? null : last.value.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(end.done).toBe(true);
  });

  it('return (the client completed or its socket closed) leaves the feed and ends the iteration', async () => {
    const { s, seen } = subscriber(10);
    s.push(result(1));
    await s.return();
    expect(seen).toEqual({ overflowed: 0, left: 1 });
    expect((await s.next()).done).toBe(true);
  });
});

/** A socket as a subscriber sees it: the frames written to it, its writes held by cork, and flushes on demand. */
function socketSink() {
  const frames: string[] = [];
  const writes: string[][] = [];
  let corked = 0;
  let held: string[] = [];
  let pending: (() => void)[] = [];
  const seen = { open: true };
  const sink: FrameSink = {
    write(frame, written) {
      if (!seen.open) return false;
      const text = frame.payload.toString();
      frames.push(text);
      pending.push(written);
      if (corked > 0) held.push(text);
      else writes.push([text]);
      return true;
    },
    cork: () => void corked++,
    uncork: () => {
      if (--corked > 0 || held.length === 0) return;
      writes.push(held);
      held = [];
    },
  };
  /** The network took everything written so far. */
  const flush = () => {
    const done = pending;
    pending = [];
    done.forEach((w) => w());
  };
  return { sink, frames, writes, flush, seen };
}

const frame = (n: number) => new SharedFrame(result(n));
const payloadCursor = (text: string) => (JSON.parse(text) as { data: { changeEvents: { cursor: string } } }).data.changeEvents.cursor;

describe('Subscriber over a socket: frames written by the subscriber itself', () => {
  it('serialises a frame once for all subscribers, as graphql-ws would: data, then errors as their JSON', () => {
    const masked = new SharedFrame({
      data: { changeEvents: { cursor: 'c1' } },
      errors: [new GraphQLError('hidden', { path: ['changeEvents', 'x'], extensions: { code: 'PROTECTED_IDENTITY' } })],
    });
    expect(masked.payload).toBe(masked.payload);
    expect(JSON.parse(masked.payload.toString())).toEqual({
      data: { changeEvents: { cursor: 'c1' } },
      errors: [{ message: 'hidden', path: ['changeEvents', 'x'], extensions: { code: 'PROTECTED_IDENTITY' } }],
    });
    expect(masked.payload.toString().indexOf('"data"')).toBeLessThan(masked.payload.toString().indexOf('"errors"'));
  });

  it('queues until graphql-ws iterates, then writes what was queued and every later batch itself, in order, one write per batch', async () => {
    const { sink, frames, writes } = socketSink();
    const s = new Subscriber(
      10,
      () => expect.fail('never overflows'),
      () => undefined,
      sink,
    );
    s.pushAll([frame(1), frame(2)]);
    expect(frames).toEqual([]);
    const waiting = s.next(); // graphql-ws registered the subscription and asks
    expect(frames.map(payloadCursor)).toEqual(['c1', 'c2']);
    s.pushAll([frame(3), frame(4), frame(5)]);
    s.pushAll([frame(6)]);
    expect(frames.map(payloadCursor)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(writes.map((w) => w.map(payloadCursor))).toEqual([['c1', 'c2'], ['c3', 'c4', 'c5'], ['c6']]);
    // graphql-ws's own iteration gets nothing of them; it completes when the subscriber ends.
    s.end();
    expect((await waiting).done).toBe(true);
  });

  it('bounds the frames the network has not taken: a socket that does not drain overflows once, at its bound', () => {
    const { sink, frames, flush } = socketSink();
    const seen = { overflowed: 0, left: 0 };
    const s = new Subscriber(
      3,
      () => seen.overflowed++,
      () => seen.left++,
      sink,
    );
    void s.next();
    s.pushAll([frame(1), frame(2)]);
    flush(); // a client that keeps up
    s.pushAll([frame(3), frame(4), frame(5)]);
    expect(seen).toEqual({ overflowed: 0, left: 0 });
    s.pushAll([frame(6)]);
    expect(seen).toEqual({ overflowed: 1, left: 1 });
    s.pushAll([frame(7)]);
    expect(seen).toEqual({ overflowed: 1, left: 1 });
    expect(frames.map(payloadCursor)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
  });

  it('sends the errors of a failed batch through graphql-ws, after the frames written before them', async () => {
    const { sink, frames } = socketSink();
    const s = new Subscriber(
      10,
      () => undefined,
      () => undefined,
      sink,
    );
    s.pushAll([frame(1)]);
    const first = s.next();
    s.fail([new GraphQLError('The cursor is not valid.', { extensions: { code: 'BAD_USER_INPUT' } })]);
    expect(frames.map(payloadCursor)).toEqual(['c1']);
    const last = await first;
    expect(last.done ? null : last.value.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await s.next()).done).toBe(true);
  });

  it('writes nothing to a socket that is closing, and counts nothing against it', () => {
    const { sink, frames, seen: socket } = socketSink();
    const seen = { overflowed: 0 };
    const s = new Subscriber(
      2,
      () => seen.overflowed++,
      () => undefined,
      sink,
    );
    void s.next();
    socket.open = false;
    for (let i = 1; i <= 5; i++) s.pushAll([frame(i)]);
    expect(frames).toEqual([]);
    expect(seen.overflowed).toBe(0);
  });
});

describe('Feed: a slow subscriber is closed alone', () => {
  /** A feed over a scripted log: each batch is `batchSize` events; `wake()` says the tap saw a new stretch. */
  function feedOver(options: { batchSize: number; maxBufferedEvents: number }) {
    const watch = new Watch(null);
    let stretch = 0;
    const tap = {
      watch: () => watch,
      unwatch: () => undefined,
      get stretch() {
        return stretch;
      },
    } as unknown as LogTap;
    let next = 0;
    const batches: number[] = [];
    const fetch: FetchBatch = async (_plan, _after, first) => {
      batches.push(first);
      const events = Array.from({ length: first }, () => result(++next));
      return { events, endCursor: `c${next}`, hasMore: false };
    };
    const feed = new Feed({} as DeliveryPlan, null, fetch, tap, null, false, { ...options, retryMs: 1_000, maxGroup: 1 }, () => undefined);
    return { feed, batches, wake: () => watch.mark(++stretch) };
  }

  it('buffers at least two batches per subscriber, closes the one that falls behind, and the others go on', async () => {
    // A bound below two batches (3 < 2 × 5) would close a client that keeps up: it is raised to 10.
    const { feed, batches, wake } = feedOver({ batchSize: 5, maxBufferedEvents: 3 });
    const slow = { overflowed: 0 };
    const slowOne = feed.subscribe(() => slow.overflowed++);
    const fast = feed.subscribe(() => expect.fail('a client that keeps up is never closed'));
    const received: string[] = [];
    const reading = (async () => {
      for await (const r of fast) received.push((r.data as { changeEvents: { cursor: string } }).changeEvents.cursor);
    })();
    expect(await feed.start()).toBeNull();
    await new Promise((ok) => setImmediate(ok));
    expect(slow.overflowed).toBe(0); // 5 queued
    wake();
    await new Promise((ok) => setImmediate(ok));
    expect(slow.overflowed).toBe(0); // 10 queued: two batches fit
    wake();
    await new Promise((ok) => setImmediate(ok));
    expect(slow.overflowed).toBe(1);
    expect(feed.size).toBe(1);
    expect((await slowOne.next()).done).toBe(true);
    expect(received).toEqual(Array.from({ length: 15 }, (_, i) => `c${i + 1}`));
    expect(batches).toEqual([5, 5, 5]);
    feed.stop();
    await reading;
  });

  it('hands a batch to thousands of subscribers over several turns: each gets every event once, in order, also one that joins between turns', async () => {
    const { feed, wake } = feedOver({ batchSize: 2, maxBufferedEvents: 100 });
    const cursorOf = (frame: SharedFrame) => (frame.result.data as { changeEvents: { cursor: string } }).changeEvents.cursor;
    /** A subscriber writing to a sink of its own, recording what it was written; `onWrite` runs after each write. */
    const writing = (onWrite: (got: string[]) => void) => {
      const got: string[] = [];
      const sink: FrameSink = {
        write(frame, written) {
          got.push(cursorOf(frame));
          written();
          onWrite(got);
          return true;
        },
        cork: () => undefined,
        uncork: () => undefined,
      };
      const s = feed.subscribe(() => expect.fail('a client that keeps up is never closed'), sink);
      void s.next(); // graphql-ws iterates it: frames go to the sink from now on
      return got;
    };
    let late: string[] | null = null;
    let lateHas: (n: number) => Promise<void> = async () => undefined;
    // The first subscriber, in the batch's first turn, has a latecomer join before the next turn runs.
    writing(() => {
      if (late) return;
      late = [];
      setImmediate(() => {
        const waits: { n: number; ok: () => void }[] = [];
        const got = writing((g) => waits.filter((w) => w.n <= g.length).forEach((w) => w.ok()));
        late = got;
        lateHas = (n) => (got.length >= n ? Promise.resolve() : new Promise((ok) => waits.push({ n, ok })));
      });
    });
    const queued = Array.from({ length: 2_500 }, () => feed.subscribe(() => expect.fail('a client that keeps up is never closed')));
    expect(await feed.start()).toBeNull();
    wake();
    await lateHas(4);
    wake();
    await lateHas(6);
    const expected = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    expect(late).toEqual(expected);
    for (const s of queued) {
      const got: IteratorResult<ExecutionResult>[] = [];
      for (let i = 0; i < 6; i++) got.push(await s.next());
      expect(cursors(got)).toEqual(expected);
    }
    feed.stop();
  });
});
