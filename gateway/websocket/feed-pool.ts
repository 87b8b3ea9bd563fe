/**
 * The feed pool: which feed a subscription reads. Identical live subscriptions of one caller share a
 * feed; every other subscription gets a feed of its own; all of them are pre-checked where the tap can
 * tell, and read their batches in groups.
 */
import type { GraphQLError } from 'graphql';
import type { Caller } from '../../kernel/caller.js';
import type { BatchGroups } from './batch-groups.js';
import { Feed, type FeedOptions } from './feed.js';
import type { HeadWatcher } from './head.js';
import type { LogTap } from './log-tap.js';
import type { DeliveryPlan } from './operation-plan.js';
import { precheckOf, type PersonFollower } from './precheck.js';
import type { Subscriber } from './subscriber.js';

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

/** The open feeds, and how a subscription finds its own. */
export class FeedPool {
  /** Feed batches that came back with errors. */
  failedBatches = 0;
  private readonly shared = new Map<string, Feed>();
  private readonly feeds = new Set<Feed>();

  constructor(private readonly parts: FeedPoolParts) {}

  /** Subscribers per open feed. */
  sizes(): number[] {
    return [...this.feeds].map((f) => f.size);
  }

  /**
   * A subscriber of `plan`'s events for `caller`, or the errors its first batch failed with for good
   * (a bad cursor, filter or subscription id). `onOverflow` closes its socket when it falls behind.
   */
  async subscribe(plan: DeliveryPlan, caller: Caller, batchSize: number, onOverflow: () => void): Promise<Subscriber | GraphQLError[]> {
    const { feed, fresh } = await this.feedFor(plan, caller, batchSize);
    const subscriber = feed.subscribe(onOverflow);
    if (fresh) {
      this.feeds.add(feed);
      const errors = await feed.start();
      if (errors) return errors;
    }
    this.parts.changed();
    return subscriber;
  }

  /** Stops every feed (their subscribers end). */
  stop(): void {
    for (const feed of [...this.feeds]) feed.stop();
  }

  /**
   * `batchSize`: events per batch, from the caller's `maxCost` (see `Planning`). Feeds that share (same
   * caller, document and variables) or are grouped (same caller and document) have the same size; a
   * grouped run reads each feed's batch under its own alias, so it costs what those feeds' batches cost each.
   */
  private async feedFor(plan: DeliveryPlan, caller: Caller, batchSize: number): Promise<{ feed: Feed; fresh: boolean }> {
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
    let precheck = precheckOf(plan.filter, tapCaller, caller);
    const make = (cursor: string | null, quiet: boolean, key?: string) =>
      new Feed(plan, cursor, fetch, tap, precheck, quiet, { ...options, batchSize }, (f) => {
        this.feeds.delete(f);
        if (key && this.shared.get(key) === f) this.shared.delete(key);
        queueMicrotask(changed);
      });
    await tap.ready();
    if (!plan.fromHead) {
      precheck = await persons.follow(precheck);
      return { feed: make(plan.after, false), fresh: true };
    }
    // Live only: identical subscriptions of one caller share a feed starting at the head of the log.
    const key = JSON.stringify([plan.query, plan.operationName, plan.variables, caller]);
    const existing = this.shared.get(key);
    if (existing) return { feed: existing, fresh: false };
    precheck = await persons.follow(precheck);
    // A pre-checked feed starts where the tap is: nothing can be waiting for it there, so its first batch
    // query is skipped — unless it asks for a type kept from the caller, which that query refuses.
    const quiet = precheck !== null && !precheck.types?.some((t) => caller.hiddenEventTypes.includes(t));
    const feed = make(quiet ? tap.cursor : head.head, quiet, key);
    this.shared.set(key, feed);
    return { feed, fresh: true };
  }
}
