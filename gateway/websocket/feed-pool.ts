/**
 * The feed pool: which feed a subscription reads. Identical live subscriptions of one caller share a
 * feed; every other subscription gets a feed of its own; all of them are pre-checked where the tap can
 * tell, and read their batches in groups.
 */
import type { GraphQLError } from 'graphql';
import type { Caller } from '../../kernel/caller.js';
import type { BatchGroups } from './batch-groups.js';
import { Feed, type FeedLag, type FeedOptions } from './feed.js';
import type { HeadWatcher } from './head.js';
import type { LogTap } from './log-tap.js';
import type { DeliveryPlan } from './operation-plan.js';
import { precheckOf, type PersonFollower } from './precheck.js';
import type { FrameSink, Subscriber } from './subscriber.js';

/** What the pool's feeds read with and are woken by. */
export interface FeedPoolParts {
  head: HeadWatcher;
  tap: LogTap;
  groups: BatchGroups;
  persons: PersonFollower;
  /** The caller the tap reads as (the gateway's own): what it cannot see is never pre-checked. */
  tapCaller: Caller;
  options: FeedOptions;
  /** Called when a feed ends or a batch fails (the service's `until` re-checks). */
  changed(): void;
}

/** A shared feed, in the pool from the first subscribe on: later identical subscribes wait for it rather than make their own. */
interface SharedEntry {
  feed: Promise<Feed>;
}

/** The open feeds, and how a subscription finds its own. */
export class FeedPool {
  /** Feed batches that came back with errors. */
  failedBatches = 0;
  /**
   * Live feeds by caller, document and variables, entered before anything is awaited: 10,000 identical
   * subscribes arriving at once (the broadcast bench) made 244 and 199 feeds in two runs while the first
   * was still looking up the person its filter names, every one of them read every event, and the
   * database timed out under their batches (0 of 100,000 events delivered).
   */
  private readonly shared = new Map<string, SharedEntry>();
  private readonly feeds = new Set<Feed>();
  private stopped = false;

  constructor(private readonly parts: FeedPoolParts) {}

  /** Subscribers per open feed. */
  sizes(): number[] {
    return [...this.feeds].map((f) => f.size);
  }

  /**
   * A subscriber of `plan`'s events for `caller`, or the errors its first batch failed with for good
   * (a bad cursor, filter or subscription id). `onOverflow` closes its socket when it falls behind; `sink`
   * is where it writes its frames (see `Subscriber`).
   *
   * The subscriber is counted (`sizes`) from the moment it joins a feed whose cursor is already fixed, so
   * every event committed after it is counted reaches it: the feed reads that event in a batch it starts
   * after the commit, and hands it to every subscriber it has then.
   */
  async subscribe(
    plan: DeliveryPlan,
    caller: Caller,
    batchSize: number,
    onOverflow: () => void,
    sink: FrameSink | null = null,
  ): Promise<Subscriber | GraphQLError[]> {
    for (;;) {
      const feed = await this.feedFor(plan, caller, batchSize);
      // A shared feed may have ended while this subscribe waited for it: its first batch failed for good
      // (the same errors are this subscribe's), or its last subscriber left (a new feed is made) — unless
      // the pool stopped, and the subscriber ends at once.
      if (feed.stopped) {
        const errors = await feed.start();
        if (errors) return errors;
        if (!this.stopped) continue;
      }
      const subscriber = feed.subscribe(onOverflow, sink);
      const errors = await feed.start();
      if (errors) return errors;
      this.parts.changed();
      return subscriber;
    }
  }

  /** How far each open feed is behind the head of the log. */
  lags(): FeedLag[] {
    const now = Date.now();
    return [...this.feeds].map((f) => f.lag(now));
  }

  /** Stops every feed (their subscribers end). */
  stop(): void {
    this.stopped = true;
    for (const feed of [...this.feeds]) feed.stop();
  }

  /**
   * `batchSize`: events per batch, from the caller's `maxCost` (see `Planning`). Feeds that share (same
   * caller, document and variables) or are grouped (same caller and document) have the same size; a
   * grouped run reads each feed's batch under its own alias, so it costs what those feeds' batches cost each.
   */
  private feedFor(plan: DeliveryPlan, caller: Caller, batchSize: number): Promise<Feed> {
    if (!plan.fromHead) return this.open(plan, caller, batchSize, null);
    // Live only: identical subscriptions of one caller share a feed starting at the head of the log.
    const key = JSON.stringify([plan.query, plan.operationName, plan.variables, caller]);
    const existing = this.shared.get(key);
    if (existing) return existing.feed;
    const entry = {} as SharedEntry;
    entry.feed = this.open(plan, caller, batchSize, { key, entry }).catch((err: unknown) => {
      if (this.shared.get(key) === entry) this.shared.delete(key);
      throw err;
    });
    this.shared.set(key, entry);
    return entry.feed;
  }

  /** A new feed of `plan` (its cursor fixed when it resolves), in the pool; `shared`: its place among the shared feeds. */
  private async open(plan: DeliveryPlan, caller: Caller, batchSize: number, shared: { key: string; entry: SharedEntry } | null): Promise<Feed> {
    const { head, tap, groups, persons, tapCaller, options, changed } = this.parts;
    // Same caller and document: same rules, so one pipeline run may read their batches together.
    const group = JSON.stringify([plan.query, plan.operationName, caller]);
    const fetch = async (p: DeliveryPlan, after: string | null, first: number) => {
      const batch = await groups.read(group, p, caller, after, first);
      if ('errors' in batch) {
        this.failedBatches++;
        queueMicrotask(changed);
      }
      return batch;
    };
    await tap.ready();
    const precheck = await persons.follow(precheckOf(plan.filter, tapCaller, caller));
    // A pre-checked live feed starts where the tap is: nothing can be waiting for it there, so its first
    // batch query is skipped — unless it asks for a type kept from the caller, which that query refuses.
    const quiet = shared !== null && precheck !== null && !precheck.types?.some((t) => caller.hiddenEventTypes.includes(t));
    const cursor = !shared ? plan.after : quiet ? tap.cursor : head.head;
    const feed = new Feed(plan, cursor, fetch, tap, precheck, quiet, { ...options, batchSize }, (f) => {
      this.feeds.delete(f);
      if (shared && this.shared.get(shared.key) === shared.entry) this.shared.delete(shared.key);
      queueMicrotask(changed);
    });
    this.feeds.add(feed);
    return feed;
  }
}
