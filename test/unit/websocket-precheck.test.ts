import { afterEach, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Caller } from '../../kernel/caller.js';
import type { EventFilter } from '../../kernel/event-filter.js';
import { ALL_CATEGORIES } from '../../kernel/protection.js';
import { HeadWatcher, type PollHead } from '../../gateway/websocket/head.js';
import { LogTap, type ReadStretch } from '../../gateway/websocket/log-tap.js';
import { mayMatch, precheckOf, type Fact, type TappedEvent } from '../../gateway/websocket/precheck.js';

/** An event as the tap reads it: a move in Stockholm (0180) of a person born 1990-05-01. */
function event(overrides: Partial<TappedEvent> = {}, unknown: Fact[] = []): TappedEvent {
  return {
    type: 'MOVE',
    identifier: '199005012384',
    municipalityBefore: '0114',
    municipalityAfter: '0180',
    birthDate: '1990-05-01',
    occurredAt: new Date('2026-06-01T00:00:00Z'),
    unknown: new Set(unknown),
    ...overrides,
  };
}

describe('mayMatch: whether a stretch may hold an event for a pre-checked feed', () => {
  const cases: { name: string; filter: EventFilter; event: TappedEvent; wakes: boolean }[] = [
    { name: 'a type it asks for', filter: { types: ['MOVE'] }, event: event(), wakes: true },
    { name: 'a type it does not ask for', filter: { types: ['DEATH'] }, event: event(), wakes: false },
    { name: 'its municipality, after the move', filter: { municipalityCodes: ['0180'] }, event: event(), wakes: true },
    { name: 'its municipality, before the move', filter: { municipalityCodes: ['0114'] }, event: event(), wakes: true },
    { name: 'another municipality', filter: { municipalityCodes: ['0380'] }, event: event(), wakes: false },
    { name: 'its person', filter: { identifiers: ['199005012384'] }, event: event(), wakes: true },
    { name: 'another person', filter: { identifiers: ['198001019876'] }, event: event(), wakes: false },
    { name: 'an age in range (36 at the event)', filter: { ageRanges: [{ minAge: 30, maxAge: 40 }] }, event: event(), wakes: true },
    { name: 'an age out of range', filter: { ageRanges: [{ minAge: 0, maxAge: 17 }] }, event: event(), wakes: false },
    { name: 'groups combine with AND: one fails', filter: { types: ['MOVE'], municipalityCodes: ['0380'] }, event: event(), wakes: false },
    { name: 'the catch-all filter', filter: {}, event: event(), wakes: true },
    // A fact the tap could not read (masked for the gateway's own caller) may hold any value: the feed reads.
    { name: 'an unknown type', filter: { types: ['DEATH'] }, event: event({}, ['type']), wakes: true },
    { name: 'an unknown municipality after', filter: { municipalityCodes: ['0380'] }, event: event({}, ['municipalityAfter']), wakes: true },
    { name: 'an unknown birth date', filter: { ageRanges: [{ minAge: 0, maxAge: 17 }] }, event: event({}, ['birthDate']), wakes: true },
    {
      name: 'an unknown fact does not rescue another group that fails',
      filter: { types: ['DEATH'], municipalityCodes: ['0180'] },
      event: event({}, ['municipalityAfter']),
      wakes: false,
    },
  ];
  for (const c of cases) {
    it(`${c.wakes ? 'wakes' : 'does not wake'} for ${c.name}`, () => {
      expect(mayMatch(c.event, c.filter)).toBe(c.wakes);
    });
  }
});

describe('precheckOf: which feeds the tap may leave asleep', () => {
  const caller = (over: Partial<Caller> = {}): Caller => ({ ...ANONYMOUS, subject: 'integrator', ...over });
  const filter: EventFilter = { types: ['MOVE', 'PROTECTION_CHANGE'] };

  it('pre-checks by the subscription filter when the tap sees all the caller may receive', () => {
    expect(precheckOf(filter, caller(), caller())).toBe(filter);
  });

  it('does not pre-check a subscription without a filter (a durable one, or one the subgraph refuses)', () => {
    expect(precheckOf(null, caller(), caller())).toBeNull();
  });

  it('does not pre-check a feed that may receive an event type kept from the tap', () => {
    const tap = caller({ hiddenEventTypes: ['PROTECTION_CHANGE'] });
    expect(precheckOf(filter, tap, caller())).toBeNull();
    // …unless the caller cannot receive that type either, or does not ask for it.
    expect(precheckOf(filter, tap, caller({ hiddenEventTypes: ['PROTECTION_CHANGE'] }))).toBe(filter);
    expect(precheckOf({ types: ['MOVE'] }, tap, caller())).toEqual({ types: ['MOVE'] });
  });

  it('does not pre-check a feed that may receive events of persons the tap cannot see at all', () => {
    const tap = caller({ hidden: { SECRET: [ALL_CATEGORIES] } });
    expect(precheckOf(filter, tap, caller())).toBeNull();
    expect(precheckOf(filter, tap, caller({ hidden: { SECRET: [ALL_CATEGORIES] } }))).toBe(filter);
  });
});

describe('LogTap: one read of each stretch wakes only the feeds it may concern', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  /** A head that is `c0` at start and moves when the test says; the tap reads `stretches` in order. */
  function tapOver(stretches: TappedEvent[][]) {
    const moves: ((head: string) => void)[] = [];
    const poll: PollHead = (after, waitSeconds, signal) =>
      new Promise((ok, fail) => {
        if (waitSeconds === 0) return ok(after ?? 'c0');
        moves.push(ok);
        signal.addEventListener('abort', () => fail(new Error('stopped')));
      });
    const reads: (string | null)[] = [];
    const read: ReadStretch = async (after) => {
      reads.push(after);
      const events = stretches.shift() ?? [];
      return { events, endCursor: `c${reads.length}`, hasMore: false };
    };
    const head = new HeadWatcher(poll);
    const tap = new LogTap(head, read);
    stop = async () => {
      tap.stop();
      await head.stop();
    };
    return { tap, reads, move: (to: string) => moves.shift()!(to) };
  }

  it('marks the feeds an event may match, leaves the others, and reads the stretch once for all', async () => {
    const { tap, reads, move } = tapOver([[event(), event({ type: 'DEATH', identifier: '198001019876', municipalityBefore: null, municipalityAfter: null })]]);
    await tap.ready();
    const always = tap.watch(null);
    const moves = tap.watch({ types: ['MOVE'] });
    const births = tap.watch({ types: ['PERSON_REGISTERED'] });
    const person = tap.watch({ identifiers: ['198001019876'] });
    const stranger = tap.watch({ identifiers: ['200001010000'] });
    const goteborg = tap.watch({ municipalityCodes: ['1480'] });
    move('c1');
    await always.matchedSince(0);
    expect(tap.stretch).toBe(1);
    expect(reads).toEqual(['c0']);
    expect({ moves: moves.matchedAt, births: births.matchedAt, person: person.matchedAt, stranger: stranger.matchedAt, goteborg: goteborg.matchedAt }).toEqual({
      moves: 1,
      births: 0,
      person: 1,
      stranger: 0,
      goteborg: 0,
    });
    expect(tap.cursor).toBe('c1');
  });

  it('wakes every feed naming a person when an event’s identifier could not be read', async () => {
    const { tap, move } = tapOver([[event({ identifier: null }, ['identifier'])]]);
    await tap.ready();
    const always = tap.watch(null);
    const person = tap.watch({ identifiers: ['198001019876'] });
    const other = tap.watch({ identifiers: ['200001010000'], types: ['DEATH'] });
    move('c1');
    await always.matchedSince(0);
    // Any followed person may be the unknown one; a group whose facts are known still decides.
    expect([person.matchedAt, other.matchedAt]).toEqual([1, 0]);
  });

  it('a feed that stops being watched is not woken', async () => {
    const { tap, move } = tapOver([[event()]]);
    await tap.ready();
    const always = tap.watch(null);
    const moves = tap.watch({ identifiers: ['199005012384'] });
    tap.unwatch(moves);
    move('c1');
    await always.matchedSince(0);
    expect(moves.matchedAt).toBe(0);
  });
});
