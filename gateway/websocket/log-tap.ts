import { componentLog, errorFields } from '../../kernel/log.js';
/**
 * The log tap: reads the head of the event log once per gateway, stretch by stretch, and wakes the feeds
 * a stretch may concern (see `precheck.ts` for how one event is judged against one feed's filter).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Caller } from '../../kernel/caller.js';
import type { EventFilter } from '../../kernel/event-filter.js';
import type { HeadWatcher } from './head.js';
import type { RunQuery } from './pipeline.js';
import { mayMatch, type Fact, type TappedEvent } from './precheck.js';

/** One stretch of the log after `after`, read as the gateway's own caller; throws when it could not be read. */
export type ReadStretch = (after: string | null, first: number) => Promise<{ events: TappedEvent[]; endCursor: string | null; hasMore: boolean }>;

/** How one feed is woken: by every stretch (`filter` null), or only by a stretch with an event its filter may match. */
export class Watch {
  /** The last stretch that may hold an event for this feed. */
  matchedAt = 0;
  private waiter: (() => void) | null = null;

  /** `filter`: the feed's pre-check (null: woken by every stretch). */
  constructor(readonly filter: EventFilter | null) {}

  /** Resolves once a stretch after `stretch` may hold an event for this feed, or the tap stops. */
  matchedSince(stretch: number): Promise<void> {
    if (this.matchedAt > stretch) return Promise.resolve();
    return new Promise((wake) => (this.waiter = wake));
  }

  /** Notes that `stretch` may hold an event for this feed, and wakes it. */
  mark(stretch: number): void {
    if (this.matchedAt >= stretch) return;
    this.matchedAt = stretch;
    this.wake();
  }

  /** Wakes the feed waiting on this watch, if any (the tap stops, or a stretch was marked). */
  wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}

/**
 * Reads each new stretch of the log once per gateway after the head moves, and wakes only the feeds whose
 * filter may match an event in it, so a thousand quiet filtered feeds cost one read instead of a thousand
 * batch queries. It only decides whether a feed reads: the feed still reads from its own cursor through
 * the masked pipeline, and gets exactly what the subgraph's SQL filter selects.
 *
 * Why no event is lost: stretches are numbered; a feed notes `stretch` before each batch query. That query
 * starts after the stretch was read, so it sees every event the tap had seen by then (the read horizon only
 * moves forward) and, once caught up, the feed needs to look only at later stretches. The in-memory filter
 * is the subgraph's own `matchesFilter`; a fact the tap could not read counts as matching, so every doubt
 * costs a query, never an event. A stretch that could not be read is read again from the same cursor
 * (the feeds wait: they would read from the same failing subgraph).
 */
export class LogTap {
  /** Stretches read so far (the first one is 1). */
  stretch = 0;
  /** Where the last stretch ended: every event after it lies in a later stretch. */
  cursor: string | null = null;
  /** Queries the tap has run. */
  reads = 0;
  private stopped = false;
  private running: Promise<void> | null = null;
  /** Feeds that cannot be pre-checked: woken by every stretch. */
  private readonly always = new Set<Watch>();
  /** Feeds whose filter names persons, under each person it names. */
  private readonly byIdentifier = new Map<string, Set<Watch>>();
  /** Other pre-checked feeds: their filter is tried on every event. */
  private readonly scanned = new Set<Watch>();

  constructor(
    private readonly head: HeadWatcher,
    private readonly read: ReadStretch,
    /** Events read per query. @default 500 // the subgraph's largest page */
    private readonly pageSize = 500,
    /** Pause after a failed read. @default 1_000 // 1 second */
    private readonly retryMs = 1_000,
  ) {}

  /** Starts tapping at the head of the log (once); resolves when it is known. */
  async ready(): Promise<void> {
    await this.head.ready();
    this.running ??= ((this.cursor = this.head.head), this.loop());
  }

  /** Starts waking a feed by `filter` (its pre-check; null: every stretch). */
  watch(filter: EventFilter | null): Watch {
    const watch = new Watch(filter);
    if (!filter) this.always.add(watch);
    else if (filter.identifiers) for (const id of filter.identifiers) this.groupOf(id).add(watch);
    else this.scanned.add(watch);
    return watch;
  }

  /** Stops waking that feed. */
  unwatch(watch: Watch): void {
    this.always.delete(watch);
    this.scanned.delete(watch);
    for (const id of watch.filter?.identifiers ?? []) {
      const group = this.byIdentifier.get(id);
      group?.delete(watch);
      if (group?.size === 0) this.byIdentifier.delete(id);
    }
  }

  /** Stops reading after the stretch in flight; every waiting feed is woken (and finds itself stopped). */
  stop(): void {
    this.stopped = true;
    for (const watch of this.all()) watch.wake();
  }

  private groupOf(identifier: string): Set<Watch> {
    let group = this.byIdentifier.get(identifier);
    if (!group) this.byIdentifier.set(identifier, (group = new Set()));
    return group;
  }

  private *all(): Iterable<Watch> {
    yield* this.always;
    yield* this.scanned;
    for (const group of this.byIdentifier.values()) yield* group;
  }

  private async loop(): Promise<void> {
    let seen = this.head.version;
    while (!this.stopped) {
      await this.head.changedSince(seen);
      if (this.stopped) return;
      seen = this.head.version;
      try {
        for (let more = true; more && !this.stopped;) {
          const stretch = await this.read(this.cursor, this.pageSize);
          this.reads++;
          // With the stretch's number, in the same step: a feed may start at this cursor from this stretch.
          this.cursor = stretch.endCursor ?? this.cursor;
          this.publish(stretch.events);
          more = stretch.hasMore;
        }
      } catch (err) {
        if (this.stopped) return;
        componentLog('websocket').error({ err: errorFields(err) }, 'change-event tap failed, reading again');
        await delay(this.retryMs, undefined, { ref: false });
        seen = -1;
      }
    }
  }

  /** Numbers a stretch and marks the feeds it may concern. */
  private publish(events: TappedEvent[]): void {
    const stretch = ++this.stretch;
    for (const watch of this.always) watch.mark(stretch);
    for (const event of events) {
      // An unknown identifier may be any followed person's.
      const named = event.unknown.has('identifier')
        ? [...this.byIdentifier.values()].flatMap((group) => [...group])
        : event.identifier === null
          ? []
          : (this.byIdentifier.get(event.identifier) ?? []);
      for (const watch of named) if (mayMatch(event, watch.filter!)) watch.mark(stretch);
      for (const watch of this.scanned) if (mayMatch(event, watch.filter!)) watch.mark(stretch);
    }
  }
}

/** What the tap reads of each event: only the facts filters look at. */
const TAP_QUERY = /* GraphQL */ `
  query ChangeEventTap($after: String, $first: Int!) {
    changeEvents(after: $after, first: $first) {
      edges {
        node {
          type
          identifier
          municipalityBefore
          municipalityAfter
          birthDate
          occurredAt
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`;

interface TapPage {
  edges: { node: Record<string, unknown> }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

const TAP_FACTS: Fact[] = ['type', 'identifier', 'municipalityBefore', 'municipalityAfter', 'birthDate', 'occurredAt'];

/** Reads stretches of the log with `TAP_QUERY` through the pipeline as `caller` (the gateway's own). */
export function readStretchAs(run: RunQuery, caller: Caller): ReadStretch {
  return async (after, first) => {
    const result = await run(TAP_QUERY, { after, first }, caller);
    const page = (result.data as { changeEvents?: TapPage } | null | undefined)?.changeEvents;
    if (!page) throw new Error(result.errors?.[0]?.message ?? 'no change events');
    // An error at an event's fact (masked for the gateway's caller) leaves that fact unknown; elsewhere
    // in the event, all its facts; outside any event, every fact of the stretch.
    const unknown = page.edges.map(() => new Set<Fact>());
    for (const error of result.errors ?? []) {
      const [root, edges, index, node, fact] = error.path ?? [];
      const inEvent = root === 'changeEvents' && edges === 'edges' && typeof index === 'number';
      const facts = inEvent && node === 'node' && TAP_FACTS.includes(fact as Fact) && error.path!.length === 5 ? [fact as Fact] : TAP_FACTS;
      for (const set of inEvent ? unknown.slice(index, index + 1) : unknown) for (const f of facts) set.add(f);
    }
    return { events: page.edges.map((edge, i) => tapped(edge.node, unknown[i]!)), endCursor: page.pageInfo.endCursor, hasMore: page.pageInfo.hasNextPage };
  };
}

/** An event's filter facts; a fact that is not what the filters expect is unknown too. */
function tapped(node: Record<string, unknown>, unknown: Set<Fact>): TappedEvent {
  const text = (fact: Fact): string | null => {
    const value = node[fact];
    if (value === null || typeof value === 'string') return value;
    unknown.add(fact);
    return null;
  };
  const type = text('type') ?? (unknown.add('type'), '');
  const at = new Date(String(text('occurredAt')));
  if (Number.isNaN(at.getTime())) unknown.add('occurredAt');
  const birthDate = text('birthDate');
  if (birthDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) unknown.add('birthDate');
  return {
    type,
    identifier: text('identifier'),
    municipalityBefore: text('municipalityBefore'),
    municipalityAfter: text('municipalityAfter'),
    birthDate,
    occurredAt: at,
    unknown,
  };
}
