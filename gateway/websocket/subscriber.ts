/**
 * The subscriber: one socket's subscription, a bounded queue its feed fills. Events leave in the order
 * the feed pushed them (log order), each once; a client that does not keep up overflows and is closed
 * alone, and resumes exactly once from the last `cursor` it got.
 *
 * Over a socket (a `FrameSink`), the subscriber writes its `next` frames itself once graphql-ws iterates
 * it: each event's payload serialised once per feed (`SharedFrame`; a feed is one caller and document, so
 * every socket it writes to gets the same masking), only the envelope with this subscription's id added,
 * the frames of one batch in one write. graphql-ws's own path cost, per subscriber and event, a
 * `JSON.stringify` of the whole message, two object spreads, the string-to-bytes copy of `ws` and four
 * promises (the iterator step, `onNext`, the send and its wait): 240–292 ms of gateway CPU per event at
 * 10,000 subscribers (issue 21).
 */
import type { ExecutionResult, GraphQLError } from 'graphql';

/** Bytes of frames held for one write (a few TCP segments): fewer syscalls for small frames, no long wait for wide ones. */
const CORK_BYTES = 64 * 1024;

/** One event's result, serialised at most once for every subscriber of its feed. */
export class SharedFrame {
  private bytes: Buffer | undefined;
  private tailBytes: Buffer | undefined;

  constructor(readonly result: ExecutionResult) {}

  /**
   * The JSON of `result` exactly as graphql-ws writes it as a `next` payload: the result without
   * `errors`, then `errors` (a masked field's PROTECTED_IDENTITY) as each error's `toJSON()`.
   */
  get payload(): Buffer {
    if (this.bytes === undefined) {
      const { errors, ...rest } = this.result;
      this.bytes = Buffer.from(JSON.stringify(errors ? { ...rest, errors: errors.map((e) => e.toJSON()) } : rest));
    }
    return this.bytes;
  }

  /**
   * The part of a `next` message after its subscription id, `"type":"next","payload":<payload>}`: the
   * same bytes for every socket of the feed, built once per event (each socket adds `{"id":…,`).
   */
  get tail(): Buffer {
    if (this.tailBytes === undefined) {
      const payload = this.payload;
      this.tailBytes = Buffer.concat([TAIL_START, payload, TAIL_END], TAIL_START.length + payload.length + TAIL_END.length);
    }
    return this.tailBytes;
  }
}

const TAIL_START = Buffer.from('"type":"next","payload":');
const TAIL_END = Buffer.from('}');

/** Where a subscriber writes its own `next` frames: its socket, under its graphql-ws subscription id. */
export interface FrameSink {
  /**
   * Writes `frame` as a `next` message of this subscription (and tells the metrics it was sent); `written`
   * is called once it has left for the network or failed. False, and nothing written, when the socket is
   * no longer open (graphql-ws returns the subscriber as it closes).
   */
  write(frame: SharedFrame, written: () => void): boolean;
  /** Holds the socket's writes until `uncork`: the frames of one batch leave in one write. */
  cork(): void;
  uncork(): void;
}

/**
 * What graphql-ws iterates for one client subscription: a bounded queue filled by its feed. With a sink,
 * the frames go to the socket as soon as graphql-ws iterates (the subscription is registered under its
 * id), and what is bounded is the frames written and not yet left for the network; without one (or
 * before), graphql-ws takes each result and awaits its send. Either way, a client whose socket does not
 * drain reaches `max` and `onOverflow` closes it alone; the feed and its other subscribers go on.
 */
export class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private queue: (SharedFrame | ExecutionResult)[] = [];
  private waiting: ((r: IteratorResult<ExecutionResult>) => void) | null = null;
  private done = false;
  /** graphql-ws iterates this subscriber: frames go to the sink directly. */
  private attached = false;
  /** Frames handed to the sink that have not left for the network yet. */
  private unsent = 0;
  /** One callback for every frame: no closure per event. */
  private readonly written = () => void this.unsent--;

  constructor(
    /** Results held for a client that has not taken them yet (the feed's `maxBufferedEvents`). */
    private readonly max: number,
    /** Called once when the queue overflows (closes the client's socket). */
    private readonly onOverflow: () => void,
    /** Called when the subscriber leaves its feed (completed, closed or overflowed). */
    private readonly onReturn: () => void,
    /** Where to write frames once iterated; without one every result goes through graphql-ws. */
    private readonly sink: FrameSink | null = null,
  ) {}

  /** Hands `result` to the socket or a waiting client, or queues it; past `max` the subscriber overflows: it drops its queue, ends and leaves. */
  push(result: SharedFrame | ExecutionResult): void {
    if (this.done) return;
    if (this.attached && result instanceof SharedFrame) return this.write(result);
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      return wake({ value: unwrap(result), done: false });
    }
    if (this.queue.length >= this.max) return this.overflow();
    this.queue.push(result);
  }

  /**
   * The frames of one batch, in order: on the socket, one write per `CORK_BYTES` of them. A frame counts
   * as sent only once its whole write has left, so one write of a batch of wide events (100 × 25 kB)
   * held all of them against the bound until its last byte was taken.
   */
  pushAll(frames: readonly SharedFrame[]): void {
    if (!this.attached || frames.length === 1) {
      for (const frame of frames) this.push(frame);
      return;
    }
    const sink = this.sink!;
    let corked = 0;
    sink.cork();
    try {
      for (const frame of frames) {
        if (corked >= CORK_BYTES) {
          sink.uncork();
          sink.cork();
          corked = 0;
        }
        corked += frame.payload.length;
        this.push(frame);
      }
    } finally {
      sink.uncork();
    }
  }

  /** Delivers `errors` as the last result, then completes. */
  fail(errors: GraphQLError[]): void {
    this.push({ errors });
    this.end();
  }

  /** Completes once what is queued has been taken. */
  end(): void {
    this.done = true;
    if (this.waiting && this.queue.length === 0) {
      const wake = this.waiting;
      this.waiting = null;
      wake({ value: undefined, done: true });
    }
  }

  /** The next result in order; waits for one while the subscription is open. */
  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.sink && !this.attached) this.attach();
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value: unwrap(value), done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((wake) => (this.waiting = wake));
  }

  /** The client completed, or its socket closed. */
  return(): Promise<IteratorResult<ExecutionResult>> {
    this.queue = [];
    this.end();
    this.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * graphql-ws asks for the first result: the subscription is registered under its id, so frames may go
   * to the socket. What was queued before (the first batch) leaves first, in order; a result that is not
   * a frame (the errors of `fail`) stays for graphql-ws to send after them.
   */
  private attach(): void {
    this.attached = true;
    const queued = this.queue;
    let frames = 0;
    while (frames < queued.length && queued[frames] instanceof SharedFrame) frames++;
    this.queue = queued.slice(frames);
    this.pushAll(queued.slice(0, frames) as SharedFrame[]);
  }

  private write(frame: SharedFrame): void {
    if (this.unsent >= this.max) return this.overflow();
    this.unsent++;
    if (!this.sink!.write(frame, this.written)) this.unsent--;
  }

  private overflow(): void {
    this.queue = [];
    this.end();
    this.onReturn();
    this.onOverflow();
  }
}

function unwrap(result: SharedFrame | ExecutionResult): ExecutionResult {
  return result instanceof SharedFrame ? result.result : result;
}
