/**
 * The pre-check: deciding without a query that a stretch of the log holds nothing for a feed. Which
 * filter a feed is pre-checked by (none when the tap's own caller cannot see all the feed may receive;
 * a filter's identifiers widened to every number their persons have had), and whether one event the
 * tap read may match it.
 */
import DataLoader from 'dataloader';
import type { Caller } from '../../kernel/caller.js';
import { matchesFilter, type EventFilter, type MatchableRow } from '../../kernel/event-filter.js';
import { ALL_CATEGORIES } from '../../kernel/protection.js';
import type { RunQuery } from './pipeline.js';

/** What the filters look at in one event of the log, and which of those facts the tap could not read. */
export interface TappedEvent extends MatchableRow {
  /** Facts the tap could not read (masked for the gateway's own caller, malformed): any value may be there. */
  unknown: ReadonlySet<Fact>;
}

/** One fact of an event that filters look at. */
export type Fact = keyof MatchableRow;

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

/**
 * The filter a feed can be pre-checked by, or null (woken by every stretch). The tap reads as the
 * gateway's own caller (`tapCaller`), so it cannot see the event types the policy keeps from that caller,
 * nor the events of persons the policy excludes from it: a feed that may receive one of those is never
 * pre-checked.
 */
export function precheckOf(filter: EventFilter | null, tapCaller: Caller, caller: Caller): EventFilter | null {
  if (!filter) return null;
  const blind = tapCaller.hiddenEventTypes.filter((t) => !caller.hiddenEventTypes.includes(t) && (!filter.types || filter.types.includes(t)));
  const excludes = (c: Caller, kind: string) => c.hidden[kind]?.includes(ALL_CATEGORIES) ?? false;
  const blindPersons = Object.keys(tapCaller.hidden).some((kind) => excludes(tapCaller, kind) && !excludes(caller, kind));
  return blind.length || blindPersons ? null : filter;
}

/** Every number the persons of a filter's identifiers have had (see `PersonFollower`). */
const FOLLOW_QUERY = /* GraphQL */ `
  query FilterPersons($ids: [String!]!) {
    persons(identifiers: $ids) {
      person {
        identifiers {
          value
        }
      }
    }
  }
`;
/** `persons(identifiers:)` answers at most 500 a call. */
const MAX_LOOKUP_BATCH = 500;

/**
 * The subgraph matches a filter's identifiers as the persons they belong to (every number the person has
 * had: a replaced one follows them); the tap sees each event's number. So the pre-check names all of
 * them too, read once per feed through the pipeline as the tap's own caller. When they cannot be read
 * (masked, a subgraph down), the identifiers do not pre-check the feed: woken by more stretches, never
 * by fewer.
 */
export class PersonFollower {
  // Feeds subscribing at once (thousands of targeted subscribers) share a lookup of up to 500 numbers.
  private readonly personNumbers: DataLoader<string, string[]>;

  constructor(run: RunQuery, tapCaller: Caller) {
    this.personNumbers = new DataLoader<string, string[]>(
      async (ids) => {
        const result = await run(FOLLOW_QUERY, { ids: [...ids] }, tapCaller);
        const items = (result.data as { persons?: { person: { identifiers: { value: string }[] | null } | null }[] } | null)?.persons;
        if (!items) throw new Error(result.errors?.[0]?.message ?? 'no persons');
        const unreadable = new Set((result.errors ?? []).map((e) => e.path?.[1]).filter((i) => typeof i === 'number'));
        return ids.map((id, i) =>
          unreadable.has(i) ? new Error(`the numbers of ${id}'s person are not readable`) : (items[i]?.person?.identifiers ?? []).map((x) => x.value),
        );
      },
      { maxBatchSize: MAX_LOOKUP_BATCH, cache: false },
    );
  }

  /** `filter` with every number of its identifiers' persons, or without identifiers when they cannot be read. */
  async follow(filter: EventFilter | null): Promise<EventFilter | null> {
    if (!filter?.identifiers) return filter;
    try {
      const numbers = await this.personNumbers.loadMany(filter.identifiers);
      if (numbers.some((n) => n instanceof Error)) throw new Error('unreadable');
      return { ...filter, identifiers: [...new Set([...filter.identifiers, ...(numbers as string[][]).flat()])] };
    } catch {
      const { identifiers: _, ...rest } = filter;
      return rest;
    }
  }
}
