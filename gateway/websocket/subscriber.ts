/**
 * The subscriber: one socket's subscription, a bounded queue its feed fills and graphql-ws drains. Events
 * leave in the order the feed pushed them (log order), each once; a client that does not keep up
 * overflows and is closed alone, and resumes exactly once from the last `cursor` it got.
 *
 * With a `FrameSink` (every websocket subscription), the subscriber writes its `next` frames itself once
 * graphql-ws iterates it: the event's payload serialised once per feed (`SharedFrame`), only the envelope
 * with this subscription's id added. A feed belongs to one caller and document, so every socket a frame
 * is shared by sees the same masking. Measured at 10,000 subscribers of one feed (issue 21), graphql-ws's
 * own path cost per subscriber and event a `JSON.stringify` of the whole result, an object spread, a
 * promise per send and one per iterator step, and the string-to-bytes copy of `ws`.
 */
import type { ExecutionResult, GraphQLError } from 'graphql';

/** One event's result, serialised at most once for every subscriber of its feed. */
export class SharedFrame {
  private bytes: Buffer | undefined;

  constructor(readonly result: ExecutionResult) {}

  /**
   * The JSON of `result` as graphql-ws's `emit.next` writes it as a `next` payload: the result without
   * `errors`, then `errors` (a masked field's PROTECTED_IDENTITY) as each error's `toJSON()`.
   */
  get payload(): Buffer {
    if (this.bytes === undefined) {
      const { errors, ...rest } = this.result;
      this.bytes = Buffer.from(JSON.stringify(errors ? { ...rest, errors: errors.map((e) => e.toJSON()) } : rest));
    }
    return this.bytes;
  }
}

/** Where a subscriber writes its own `next` frames: its socket, under its graphql-ws subscription id. */
export interface FrameSink {
  /** `{"id":<id>,"type":"next","payload":` as bytes: the frame's start. */
  readonly prefix: Buffer;
  /** The socket is open (a closing socket is left to graphql-ws, which returns the subscriber). */
  readonly open: boolean;
  /** Writes one text message; `written` when it has left for the network (or failed). */
  send(message: Buffer, written: () => void): void;
  /** Holds writes until `uncork`: the frames of one batch leave in one write. */
  cork(): void;
  uncork(): void;
}

const FRAME_END = Buffer.from('}');

/**
 * What graphql-ws iterates for one client subscription: a bounded queue filled by its feed. When the
 * client's socket does not drain it (graphql-ws awaits each send; a sink counts frames not yet written
 * out), the queue fills and `onOverflow` closes that client alone; the feed and its other subscribers go on.
 */
export class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private queue: (SharedFrame | ExecutionResult)[] = [];
  private waiting: ((r: IteratorResult<ExecutionResult>) => void) | null = null;
  private done = false;
  /** graphql-ws iterates this subscriber: frames now go to the sink directly. */
  private attached = false;
  /** Frames handed to the sink and not yet written out. */
  private unsent = 0;
  /** One callback for every frame (no closure per event). */
  private readonly written = () => void this.unsent--;

  constructor(
    /** Results held for a client that has not taken them yet (the feed's `maxBufferedEvents`). */
    private readonly max: number,
    /** Called once when the queue overflows (closes the client's socket). */
    private readonly onOverflow: () => void,
    /** Called when the subscriber leaves its feed (completed, closed or overflowed). */
    private readonly onReturn: () => void,
    /** Where to write `next` frames once iterated; without one every result goes through graphql-ws. */
    private readonly sink: FrameSink | null = null,
  ) {}

  /** Hands `result` to a waiting client, or queues it; past `max` queued the subscriber overflows: it drops its queue, ends and leaves. */
  push(result: ExecutionResult | SharedFrame): void {
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

  /** The frames of one batch, in order; written out together when the sink writes directly. */
  pushAll(frames: readonly SharedFrame[]): void {
    if (!this.attached || frames.length === 1) {
      for (const frame of frames) this.push(frame);
      return;
    }
    this.sink!.cork();
    try {
      for (const frame of frames) this.push(frame);
    } finally {
      this.sink!.uncork();
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
   * graphql-ws asks for the first result: the subscription is registered under its id, so frames may
   * go straight to the socket. What was queued before (the first batch) leaves first, in order; a
   * result that is not a frame (the errors of `fail`) stays for graphql-ws to send, after them.
   */
  private attach(): void {
    this.attached = true;
    const queued = this.queue;
    let i = 0;
    this.sink!.cork();
    try {
      for (; i < queued.length && queued[i] instanceof SharedFrame && this.queue === queued; i++) this.write(queued[i] as SharedFrame);
    } finally {
      this.sink!.uncork();
    }
    if (this.queue === queued) this.queue = queued.slice(i);
  }

  private write(frame: SharedFrame): void {
    const sink = this.sink!;
    if (!sink.open) return;
    if (this.unsent >= this.max) return this.overflow();
    this.unsent++;
    sink.send(Buffer.concat([sink.prefix, frame.payload, FRAME_END]), this.written);
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
