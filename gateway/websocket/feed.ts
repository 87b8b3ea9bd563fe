/**
 * The feed: one cursor-following reader of the log per group of identical subscriptions, woken by the
 * tap, reading its batches through the pipeline and fanning each event out to its subscribers.
 */
import type { GraphQLError } from 'graphql';
import type { EventFilter } from '../../kernel/event-filter.js';
import { stampWritten, type Batch } from './batch-query.js';
import { MAX_GROUP } from './group-query.js';
import type { LogTap, Watch } from './log-tap.js';
import type { DeliveryPlan } from './operation-plan.js';
import { SharedFrame, Subscriber, type FrameSink } from './subscriber.js';
import { componentLog, errorFields } from '../../kernel/log.js';
import { inSpan } from '../../kernel/tracing.js';

/** Runs a batch query through the gateway's pipeline (planning, masking, audit) for one caller. */
export type FetchBatch = (plan: DeliveryPlan, after: string | null, first: number) => Promise<Batch | { errors: GraphQLError[] }>;

/** How feeds read and buffer (defaults: `FEED_DEFAULTS`). */
export interface FeedOptions {
  /** Events scanned per batch query (lowered per caller so one batch costs at most its `maxCost`). @default 100 // events */
  batchSize: number;
  /** Events buffered for one subscriber before it is closed as too slow; at least two batches. @default 1_000 // events */
  maxBufferedEvents: number;
  /** Pause before retrying a batch that failed for a passing reason (a subgraph restarting). @default 1_000 // 1 second */
  retryMs: number;
  /** Feeds of one caller and document whose batches one pipeline run reads at most (1: a run per batch). @default 32 // MAX_GROUP */
  maxGroup: number;
}

/** How far one feed is behind the head of the log (`folkreg_feed_lag_*`). */
export interface FeedLag {
  /** Events of the log after the feed's cursor, as its last batch found them (0 before its first). */
  events: number;
  /** Seconds since the feed last had nothing left to read (0 while it has nothing). */
  seconds: number;
}

/** The defaults of `FeedOptions` (each documented there). */
export const FEED_DEFAULTS: FeedOptions = { batchSize: 100, maxBufferedEvents: 1_000, retryMs: 1_000, maxGroup: MAX_GROUP };

/**
 * Subscribers handed a batch in one event-loop turn before the rest wait for the next (`setImmediate`):
 * at 10,000 sockets one event's writes took 300 ms of CPU in one piece (README "Capacity"), holding
 * timers, the head poll and incoming frames (pongs, subscribes) for all of it; 1,000 writes are about
 * 30 ms of it.
 */
const FANOUT_TURN = 1_000;

const nextTurn = () => new Promise<void>((ok) => setImmediate(ok));

/** Error codes of a batch that will not succeed by retrying: the subscriber gets them and the stream ends. */
const FINAL_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'PROTECTED_IDENTITY', 'NOT_FOUND', 'GRAPHQL_VALIDATION_FAILED', 'UNAUTHENTICATED']);

function isFinal(errors: readonly GraphQLError[]): boolean {
  return errors.some((e) => FINAL_CODES.has(String(e.extensions?.code)));
}

/**
 * One upstream stream of events: reads batches after its cursor through the pipeline and fans each
 * event out to its subscribers. Identical live subscriptions (same caller, document, variables) share
 * one feed; a subscription with `after` has a feed of its own until it is caught up. It reads again
 * when the tap has seen a stretch of the log that may hold an event for it (any stretch, when `precheck`
 * is null).
 */
export class Feed {
  private readonly subscribers = new Set<Subscriber>();
  private readonly watch: Watch;
  /** The tap's stretch when the cursor was chosen: later stretches are what the feed has not looked at. */
  private readonly since: number;
  private ended = false;
  /** The first batch's outcome, read once however many subscribers ask (`start`). */
  private starting: Promise<GraphQLError[] | null> | null = null;
  /** `behindHead` of the last batch read. */
  private behind = 0;
  /** Since when (ms) the feed has had something to read: the wake-up or batch that found it behind; null while caught up. */
  private behindSince: number | null = null;

  constructor(
    readonly plan: DeliveryPlan,
    private cursor: string | null,
    private readonly fetch: FetchBatch,
    private readonly tap: LogTap,
    precheck: EventFilter | null,
    /** Starts at the tap's cursor, whose stretches hold nothing for it yet: no first batch to read. */
    private readonly quiet: boolean,
    private options: FeedOptions,
    private readonly onIdle: (feed: Feed) => void,
  ) {
    // A whole batch lands in every queue at once: a bound below two batches would close fast clients too.
    this.options = { ...options, maxBufferedEvents: Math.max(options.maxBufferedEvents, 2 * options.batchSize) };
    this.watch = tap.watch(precheck);
    this.since = tap.stretch;
    // Behind until its first batch says otherwise; a quiet feed starts where nothing waits for it.
    if (!quiet) this.behindSince = Date.now();
  }

  /** The feed has ended (its last subscriber left, its first batch failed for good, or the pool stopped): it takes no subscriber. */
  get stopped(): boolean {
    return this.ended;
  }

  /** Subscribers reading this feed now. */
  get size(): number {
    return this.subscribers.size;
  }

  /** How far this feed is behind the head now. */
  lag(now = Date.now()): FeedLag {
    return { events: this.behind, seconds: this.behindSince === null ? 0 : (now - this.behindSince) / 1_000 };
  }

  /**
   * A new subscriber of this feed's events from its current cursor on; `onOverflow` closes its socket when
   * it falls behind. With `sink` it writes its frames to its socket itself (see `Subscriber`).
   */
  subscribe(onOverflow: () => void, sink: FrameSink | null = null): Subscriber {
    const subscriber = new Subscriber(this.options.maxBufferedEvents, onOverflow, () => this.leave(subscriber), sink);
    // An ended feed has nothing more to give: its subscriber completes at once.
    if (this.ended) subscriber.end();
    else this.subscribers.add(subscriber);
    return subscriber;
  }

  /**
   * Reads the first batch, so a bad cursor, filter or subscription id is refused at subscribe time;
   * then keeps reading in the background. Returns the errors when the first batch failed for good.
   * A first batch that failed for a passing reason (the subscription subgraph down or restarting) is
   * retried in the background like any later one, and the subscription delivers from its cursor once
   * the log answers again: an error here would end the subscription, and graphql-ws clients retry
   * closed sockets, not failed subscriptions.
   *
   * Read once: every subscriber of a shared feed awaits the same outcome (the first one's call starts it).
   */
  start(): Promise<GraphQLError[] | null> {
    return (this.starting ??= this.begin());
  }

  private async begin(): Promise<GraphQLError[] | null> {
    if (this.ended) return null;
    const seen = this.since;
    if (this.quiet) {
      void this.run(seen);
      return null;
    }
    const first = await this.readBatch();
    if ('errors' in first && !isFinal(first.errors)) {
      void this.pause().then(() => this.run(-1));
      return null;
    }
    if ('errors' in first) {
      this.stop();
      return first.errors;
    }
    await this.deliver(first);
    void this.run(first.hasMore ? -1 : seen);
    return null;
  }

  /** Stops reading and ends every subscriber (after what they have queued); `onIdle` is told. */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.tap.unwatch(this.watch);
    for (const s of this.subscribers) s.end();
    this.subscribers.clear();
    this.onIdle(this);
  }

  private leave(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) this.stop();
  }

  /**
   * Each event serialised once for every subscriber (`SharedFrame`: one caller and document, one masking),
   * and each subscriber handed the batch's frames at once, in log order, `FANOUT_TURN` subscribers per
   * event-loop turn. The Set is walked live across those turns: one that overflows or leaves meanwhile is
   * skipped, one that joins meanwhile (at the cursor before this batch) is visited at the end, each once;
   * the cursor moves only when all have it, and the feed reads its next batch only then, so every
   * subscriber gets the batches in order.
   */
  private async deliver(batch: Batch): Promise<void> {
    if (batch.events.length > 0 && this.subscribers.size > 0) {
      const frames = batch.events.map(({ recordedAt, ...event }) => {
        // Read back when each subscriber's frame of it is sent (folkreg_event_commit_to_frame_seconds).
        stampWritten(event, recordedAt);
        return new SharedFrame(event);
      });
      let handed = 0;
      for (const s of this.subscribers) {
        s.pushAll(frames);
        if (++handed % FANOUT_TURN === 0 && handed < this.subscribers.size) await nextTurn();
      }
    }
    this.cursor = batch.endCursor;
    this.behind = batch.behindHead ?? 0;
    if (this.behind === 0) this.behindSince = null;
    else this.behindSince ??= Date.now();
  }

  /** `waitBeyond`: the tap's stretch when the last batch was read (-1: more is waiting, read at once). */
  private async run(waitBeyond: number): Promise<void> {
    while (!this.ended) {
      if (waitBeyond >= 0) await this.watch.matchedSince(waitBeyond);
      if (this.ended) return;
      // Woken by a stretch that may hold an event for it: behind from now until a batch finds it caught up.
      this.behindSince ??= Date.now();
      const seen = this.tap.stretch;
      let batch: Awaited<ReturnType<FetchBatch>>;
      try {
        batch = await this.readBatch();
      } catch (err) {
        batch = { errors: [] };
        componentLog('websocket').error({ err: errorFields(err) }, 'change-event batch failed');
      }
      if ('errors' in batch) {
        if (isFinal(batch.errors)) {
          for (const s of this.subscribers) s.fail(batch.errors);
          return this.stop();
        }
        await this.pause();
        waitBeyond = -1;
        continue;
      }
      await this.deliver(batch);
      waitBeyond = batch.hasMore ? -1 : seen;
    }
  }

  /**
   * One batch after the cursor, in a span `websocket.batch` of its own trace (no request is behind it) that
   * counts its events and the subscribers it goes to.
   */
  private readBatch(): ReturnType<FetchBatch> {
    return inSpan('websocket.batch', { root: true, attributes: { 'folkreg.subscribers': this.subscribers.size } }, async (span) => {
      const batch = await this.fetch(this.plan, this.cursor, this.options.batchSize);
      span?.setAttribute('folkreg.events', 'errors' in batch ? 0 : batch.events.length);
      return batch;
    });
  }

  /** The pause after a batch failed for a passing reason, before reading again from the same cursor. */
  private pause(): Promise<void> {
    return new Promise((ok) => setTimeout(ok, this.options.retryMs).unref());
  }
}
