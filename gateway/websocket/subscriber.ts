/**
 * The subscriber: one socket's subscription, a bounded queue its feed fills and graphql-ws drains. Events
 * leave in the order the feed pushed them (log order), each once; a client that does not keep up
 * overflows and is closed alone, and resumes exactly once from the last `cursor` it got.
 */
import type { ExecutionResult, GraphQLError } from 'graphql';

/**
 * What graphql-ws iterates for one client subscription: a bounded queue filled by its feed. When the
 * client's socket does not drain it (graphql-ws awaits each send), the queue fills and `onOverflow`
 * closes that client alone; the feed and its other subscribers go on.
 */
export class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private queue: ExecutionResult[] = [];
  private waiting: ((r: IteratorResult<ExecutionResult>) => void) | null = null;
  private done = false;

  constructor(
    /** Results held for a client that has not taken them yet (the feed's `maxBufferedEvents`). */
    private readonly max: number,
    /** Called once when the queue overflows (closes the client's socket). */
    private readonly onOverflow: () => void,
    /** Called when the subscriber leaves its feed (completed, closed or overflowed). */
    private readonly onReturn: () => void,
  ) {}

  /** Hands `result` to a waiting client, or queues it; past `max` queued the subscriber overflows: it drops its queue, ends and leaves. */
  push(result: ExecutionResult): void {
    if (this.done) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      return wake({ value: result, done: false });
    }
    if (this.queue.length >= this.max) {
      this.queue = [];
      this.end();
      this.onReturn();
      return this.onOverflow();
    }
    this.queue.push(result);
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
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
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
}
