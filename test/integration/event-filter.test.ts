import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents, readChangeEvents, readHead, type ChangeEventRow, type NewChangeEvent } from '../../db/outbox.js';
import { readEventPage } from '../../subgraphs/subscription/event-page.js';
import { filterCondition } from '../../subgraphs/subscription/filter.js';
import { ageOn, matchesFilter, parseFilterInput, type EventSelection } from '../../kernel/event-filter.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The live stream matches events in memory (`matchesFilter`), the pull query in SQL (`filterCondition`):
 * both must select exactly the same events, birthdays and leap days included.
 */

let database: TestDatabase;
let all: ChangeEventRow[];

const at = (iso: string) => new Date(iso);
const EVENTS: NewChangeEvent[] = [
  {
    type: 'MOVE',
    identifier: '191212121212',
    birthDate: '1912-12-12',
    municipalityBefore: '0180',
    municipalityAfter: '1480',
    occurredAt: at('2025-03-01T10:00:00Z'),
  },
  { type: 'NAME_CHANGE', identifier: '198211059954', birthDate: '1982-11-05', occurredAt: at('2024-11-05T00:00:00Z') }, // 42nd birthday
  { type: 'NAME_CHANGE', identifier: '198211059954', birthDate: '1982-11-05', occurredAt: at('2024-11-04T23:59:59Z') }, // still 41
  { type: 'DEATH', identifier: '200002290000', birthDate: '2000-02-29', occurredAt: at('2025-02-28T12:00:00Z') }, // 24 (no 29 Feb in 2025)
  { type: 'DEATH', identifier: '200002290000', birthDate: '2000-02-29', occurredAt: at('2025-03-01T00:00:00Z') }, // 25
  {
    type: 'MOVE',
    identifier: '0101004000',
    birthDate: '2000-01-01',
    municipalityBefore: '101',
    municipalityAfter: null,
    occurredAt: at('2025-01-01T00:00:00Z'),
  },
  { type: 'EMIGRATION', identifier: null, birthDate: null, municipalityBefore: '1480', occurredAt: at('2025-01-01T00:00:00Z') },
  // 23:30 on 31 Dec in UTC+1 is still the 31st in UTC: age is taken on the UTC date.
  { type: 'CIVIL_STATUS_CHANGE', identifier: '191212121212', birthDate: '1912-12-12', occurredAt: at('2024-12-11T23:30:00-01:00') },
];

const SELECTIONS: [string, EventSelection][] = [
  ['everything', {}],
  ['nothing', 'NOTHING'],
  ['one type', { types: ['DEATH'] }],
  ['municipality before or after', { municipalityCodes: ['1480'] }],
  ['3-digit municipality', { municipalityCodes: ['101'] }],
  ['identifiers', { identifiers: ['198211059954', '0101004000'] }],
  ['age 42 exactly', { ageRanges: [{ minAge: 42, maxAge: 42 }] }],
  ['age 41', { ageRanges: [{ minAge: 41, maxAge: 41 }] }],
  ['leap-day birthday, 24', { ageRanges: [{ minAge: 24, maxAge: 24 }] }],
  ['leap-day birthday, 25', { ageRanges: [{ minAge: 25, maxAge: 25 }] }],
  ['UTC date of occurredAt, 112', { ageRanges: [{ minAge: 112, maxAge: 112 }] }],
  [
    'two age ranges',
    {
      ageRanges: [
        { minAge: 0, maxAge: 24 },
        { minAge: 100, maxAge: 999 },
      ],
    },
  ],
  ['groups combined', { types: ['MOVE', 'DEATH'], municipalityCodes: ['0180', '101'], ageRanges: [{ minAge: 20, maxAge: 120 }] }],
  ['a group nothing matches', { types: ['MOVE'], identifiers: ['194001019993'] }],
];

beforeAll(async () => {
  database = await createTestDatabase();
  for (const e of EVENTS) await database.db.transaction((tx) => appendChangeEvents(tx, [e]));
  // The read horizon is the cluster's oldest open transaction: a transaction of another database on the
  // same server (another test file) holds it back for a moment. Wait until every event is below it.
  const deadline = Date.now() + 30_000;
  while ((await readHead(database.db)).pending) {
    if (Date.now() > deadline) throw new Error('the read horizon did not pass the inserted events within 30 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  all = await readChangeEvents(database.db, null, 500);
});

afterAll(async () => {
  await database?.dispose();
});

describe('matchesFilter and filterCondition agree', () => {
  it.each(SELECTIONS)('%s', async (_name, selection) => {
    const inMemory = all.filter((row) => matchesFilter(row, selection)).map((r) => r.id);
    const page = await readEventPage(database.db, null, 500, filterCondition(selection));
    expect(page.rows.map((r) => r.id)).toEqual(inMemory);
    // The scan always ends at the last event, matched or not.
    expect(page.endPosition).toEqual({ txId: all.at(-1)!.txId, id: all.at(-1)!.id });
  });

  it('covers the edge cases it claims to', () => {
    expect(all).toHaveLength(EVENTS.length);
    expect(ageOn('1982-11-05', at('2024-11-05T00:00:00Z'))).toBe(42);
    expect(ageOn('2000-02-29', at('2025-02-28T12:00:00Z'))).toBe(24);
    expect(ageOn('1912-12-12', at('2024-12-11T23:30:00-01:00'))).toBe(112);
  });
});

describe('parseFilterInput', () => {
  it('normalises identifiers and fills open age bounds', () => {
    expect(parseFilterInput({ personIdentifiers: ['19121212-1212', '121212+1212'], minAge: 65 })).toEqual({
      identifiers: ['191212121212'],
      ageRanges: [{ minAge: 65, maxAge: 999 }],
    });
    expect(parseFilterInput(null)).toEqual({});
  });
});

describe('filtered pulls under concurrent writers', () => {
  function deferred() {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('returns every matching event exactly once while 8 writers commit out of order', async () => {
    // On Postgres all eight transactions are open at once and commit newest first; PGlite runs transactions
    // one at a time, so there they commit in turn (same assertions, no overlap to exercise).
    const concurrent = database.driver === 'postgres';
    const writers = 8;
    const gates = Array.from({ length: writers }, deferred);
    const inserted = Array.from({ length: writers }, deferred);
    if (!concurrent) gates.forEach((g) => g.resolve());
    const start = (await readEventPage(database.db, null, 500, undefined)).endPosition;

    // Each writer has inserted (and so holds its transaction id) before the next begins: ids rise with i.
    const done: Promise<void>[] = [];
    for (let i = 0; i < writers; i++) {
      done.push(
        database.db.transaction(async (tx) => {
          await appendChangeEvents(tx, [
            { type: 'MOVE', identifier: `w${i}`, municipalityBefore: '0180', municipalityAfter: '1480' },
            { type: 'DEATH', identifier: `w${i}` },
          ]);
          inserted[i]!.resolve();
          await gates[i]!.promise;
        }),
      );
      if (concurrent) await inserted[i]!.promise;
    }

    const filter = filterCondition({ types: ['MOVE'] });
    const received: string[] = [];
    let from = start;
    const pullAll = async () => {
      for (;;) {
        const page = await readEventPage(database.db, from, 2, filter);
        received.push(...page.rows.map((r) => r.identifier!));
        from = page.endPosition;
        if (!page.hasNextPage) return;
      }
    };
    for (let i = writers - 1; i >= 0; i--) {
      gates[i]!.resolve();
      await done[i];
      await pullAll();
      // While an earlier transaction is still open, nothing after it may be handed out.
      if (concurrent && i > 0) expect(received).toEqual([]);
    }
    await pullAll();

    expect([...received].sort()).toEqual(Array.from({ length: writers }, (_, i) => `w${i}`).sort());
    const moves = (await readEventPage(database.db, start, 500, filter)).rows.map((r) => r.identifier);
    expect(received).toEqual(moves);
  });
});
