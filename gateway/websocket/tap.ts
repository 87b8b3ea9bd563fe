import { setTimeout as delay } from 'node:timers/promises';
import { matchesFilter, type EventFilter } from '../../kernel/event-filter.js';
import type { HeadWatcher } from './head.js';
import { componentLog, errorFields } from '../../kernel/log.js';

/** What the filters look at in one event of the log. */
export interface TappedEvent {
  type: string;
  identifier: string | null;
  municipalityBefore: string | null;
  municipalityAfter: string | null;
  birthDate: string | null;
  occurredAt: Date;
  /** Facts the tap could not read (masked for the gateway's own caller, malformed): any value may be there. */
  unknown: ReadonlySet<Fact>;
}

export type Fact = Exclude<keyof TappedEvent, 'unknown'>;

/** The facts each filter group looks at (groups combine with AND: see `matchesFilter`). */
const GROUP_FACTS: { [G in keyof EventFilter]-?: Fact[] } = {
  types: ['type'],
  municipalityCodes: ['municipalityBefore', 'municipalityAfter'],
  identifiers: ['identifier'],
  ageRanges: ['birthDate', 'occurredAt'],
};

/**
 * Whether `event` may match `filter`: false only when a group whose facts are all known does not match
 * (each group judged by `matchesFilter` itself, on that group alone).
 */
export function mayMatch(event: TappedEvent, filter: EventFilter): boolean {
  if (event.unknown.size === 0) return matchesFilter(event, filter);
  for (const group of Object.keys(GROUP_FACTS) as (keyof EventFilter)[]) {
    if (filter[group] === undefined || GROUP_FACTS[group].some((f) => event.unknown.has(f))) continue;
    if (!matchesFilter(event, { [group]: filter[group] })) return false;
  }
  return true;
}

/** One stretch of the log after `after`, read as the gateway's own caller; throws when it could not be read. */
export type ReadStretch = (after: string | null, first: number) => Promise<{ events: TappedEvent[]; endCursor: string | null; hasMore: boolean }>;

/** How one feed is woken: by every stretch (`filter` null), or only by a stretch with an event its filter may match. */
export class Watch {
  /** The last stretch that may hold an event for this feed. */
  matchedAt = 0;
  private waiter: (() => void) | null = null;

  constructor(readonly filter: EventFilter | null) {}

  /** Resolves once a stretch after `stretch` may hold an event for this feed, or the tap stops. */
  matchedSince(stretch: number): Promise<void> {
    if (this.matchedAt > stretch) return Promise.resolve();
    return new Promise((wake) => (this.waiter = wake));
  }

  mark(stretch: number): void {
    if (this.matchedAt >= stretch) return;
    this.matchedAt = stretch;
    this.wake();
  }

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

  watch(filter: EventFilter | null): Watch {
    const watch = new Watch(filter);
    if (!filter) this.always.add(watch);
    else if (filter.identifiers) for (const id of filter.identifiers) this.groupOf(id).add(watch);
    else this.scanned.add(watch);
    return watch;
  }

  unwatch(watch: Watch): void {
    this.always.delete(watch);
    this.scanned.delete(watch);
    for (const id of watch.filter?.identifiers ?? []) {
      const group = this.byIdentifier.get(id);
      group?.delete(watch);
      if (group?.size === 0) this.byIdentifier.delete(id);
    }
  }

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
