import { and, eq, isNull, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { selectRows, type Db } from '../../db/client.js';
import { personNames } from '../../db/schema/index.js';
import { nameSearchKey } from '../../kernel/search-key.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { type Caller } from '../../kernel/caller.js';
import { personSubgraph } from '../../subgraphs/person/index.js';
import { planSearch, prefixSuccessor, runSearch, type PersonSearchFilter } from '../../subgraphs/person/search.js';
import { callerFor } from '../support/callers.js';
import { insertPerson } from '../support/fixtures.js';
import { useSubgraph } from '../support/subgraph.js';
import { type GraphQLResponse } from '../support/stack.js';

/**
 * Name and identifier search page in one order whatever plan the database picks: each person once, at the
 * first word of their current name (in byte order) that starts with the driving word, then by id; a page
 * and its `after` cursor continue exactly where the last stopped. Persons here have several words sharing
 * a prefix (`Karl Karla Karlsson`), so a person could be listed twice or skipped if the "first matching
 * word" rule (migration 0025's `prev_word`) were wrong, and the search is run with both plans Postgres can
 * choose for a prepared statement (a fresh custom plan and the generic one it keeps after five runs).
 */
const reader: Caller = callerFor({ subject: 'reader', scopes: ['folkreg:read'] });

const NAMES: [string, string][] = [
  ['Karl Karla', 'Karlsson'],
  ['Karla', 'Karlberg'],
  ['Karin', 'Karlsson'],
  ['Karl', 'Andersson'],
  ['Kar Karl', 'Karl'],
  ['Anna Karlsdotter', 'Lind'],
  ['Karlo', 'Lindkarl'],
  ['Kåre', 'Karlsson-Berg'],
  ['Karl-Erik', 'Ek'],
  ['Eva', 'Karl'],
  ['Erik', 'Karlén'],
  ['Karolina Karl', 'Kar'],
];

/** Person ids by index in NAMES. */
const ids: string[] = [];

const subgraph = useSubgraph(personSubgraph, async (db) => {
  for (const [i, [givenNames, familyName]] of NAMES.entries()) {
    // One birth day, serials rising with the index: an identifier prefix of the day lists them in this order.
    const identifier = personalIdentityNumber({ birthDate: '1970-01-01', serial: 100 + i });
    ids.push((await insertPerson(db, { identifier, givenNames, familyName, birthDate: '1970-01-01' })).id);
  }
});

/** What a search for `prefix` must list, computed here from the names: (first matching word, id). */
function expected(query: string, names: [string, string][]): string[] {
  // The longest word drives the order (its first match per person); every other word must start one of theirs.
  const asked = query.split(' ');
  const prefix = asked.reduce((a, b) => (b.length > a.length ? b : a));
  const hits: { key: string; id: string }[] = [];
  for (const [i, [given, family]] of names.entries()) {
    const words = [...new Set(nameSearchKey(given, null, family).split(/[\s\p{P}]+/u))].filter((w) => w !== '');
    if (!asked.every((a) => words.some((w) => w.startsWith(a)))) continue;
    const first = words.filter((w) => w.startsWith(prefix)).sort(byteOrder)[0];
    if (first !== undefined) hits.push({ key: first, id: ids[i]! });
  }
  return hits.sort((a, b) => byteOrder(a.key, b.key) || byteOrder(a.id, b.id)).map((h) => h.id);
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

const PAGE = `query($filter: PersonSearchFilter!, $first: Int!, $after: String) {
  searchPersons(filter: $filter, first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
}`;

/** Every page of a search through the subgraph, `first` at a time, following `endCursor`. */
async function allPages(filter: PersonSearchFilter, first: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res: GraphQLResponse = await subgraph.call(reader, PAGE, { filter, first, after });
    expect(res.errors).toBeUndefined();
    const conn: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = res.data.searchPersons;
    seen.push(...conn.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!conn.pageInfo.hasNextPage) return seen;
    after = conn.pageInfo.endCursor;
  }
  throw new Error('more than 50 pages');
}

/** The search's hits in one transaction with the plan cache mode set: `force_custom_plan` or `force_generic_plan`. */
async function withPlan(db: Db, mode: 'force_custom_plan' | 'force_generic_plan', filter: PersonSearchFilter, limit: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local plan_cache_mode = ${mode}`));
    const plan = planSearch(filter);
    const out: string[] = [];
    let after: [string | null, string] | null = null;
    for (;;) {
      const hits = await runSearch(tx as unknown as Db, reader, plan, after, limit);
      out.push(...hits.map((h) => h.personId));
      if (hits.length < limit) return out;
      const last = hits.at(-1)!;
      after = [last.key, last.personId];
    }
  });
}

describe('name search pages', () => {
  for (const prefix of ['ka', 'kar', 'karl', 'karla', 'karlsson', 'lind']) {
    it(`'${prefix}': each person once, by first matching word then id, the same in pages of 1, 2 and 5 as in one page`, async () => {
      const want = expected(prefix, NAMES);
      expect(want.length).toBeGreaterThan(0);
      expect(await allPages({ name: prefix }, 100)).toEqual(want);
      for (const first of [1, 2, 5]) expect(await allPages({ name: prefix }, first)).toEqual(want);
    });
  }

  it('lists the same hits in the same order with a custom and with a generic plan, page after page', async () => {
    for (const filter of [{ name: 'karl' }, { name: 'kar' }, { name: 'karl karlsson' }, { identifierPrefix: '19700101' }] as PersonSearchFilter[]) {
      const custom = await withPlan(subgraph.db, 'force_custom_plan', filter, 2);
      const generic = await withPlan(subgraph.db, 'force_generic_plan', filter, 2);
      expect(custom.length).toBeGreaterThan(0);
      expect(generic).toEqual(custom);
    }
    // The identifier prefix lists its persons in number order.
    expect(await withPlan(subgraph.db, 'force_generic_plan', { identifierPrefix: '19700101' }, 3)).toEqual(ids);
  });

  it('follows a name change: the new words are found at their first match, the old ones no more', async () => {
    // Person 3 (Karl Andersson) becomes "Karla Karl Anderberg": two words of prefix 'karl' now.
    const person = ids[3]!;
    await subgraph.db.transaction(async (tx) => {
      await tx
        .update(personNames)
        .set({ validTo: '2020-01-01' })
        .where(and(eq(personNames.personId, person), isNull(personNames.validTo)));
      await tx.insert(personNames).values({
        personId: person,
        givenNames: 'Karla Karl',
        familyName: 'Anderberg',
        addressingName: 'Anderberg, Karla Karl',
        searchKey: nameSearchKey('Karla Karl', null, 'Anderberg'),
        validFrom: '2020-01-01',
      });
    });
    const renamed = NAMES.map((n, i): [string, string] => (i === 3 ? ['Karla Karl', 'Anderberg'] : n));
    expect(await allPages({ name: 'karl' }, 1)).toEqual(expected('karl', renamed));
    expect(await allPages({ name: 'anders' }, 1)).toEqual(expected('anders', renamed));
    expect(await allPages({ name: 'anderberg' }, 100)).toEqual([person]);
    // The stored words and their predecessors are those of the current name, as the migration builds them.
    const words = await selectRows<{ word: string; prev_word: string | null; name_key: string }>(
      subgraph.db,
      sql`select word, prev_word, name_key from person_name_words where person_id = ${person} order by word collate "C"`,
    );
    // Each row carries the current name's key (migration 0042): the other words of a search are tested on it.
    const key = nameSearchKey('Karla Karl', null, 'Anderberg');
    expect(words).toEqual([
      { word: 'anderberg', prev_word: null, name_key: key },
      { word: 'karl', prev_word: 'anderberg', name_key: key },
      { word: 'karla', prev_word: 'karl', name_key: key },
    ]);
    // Two words: both must start words of the current name, in any order; the ended name's no more.
    expect(await allPages({ name: 'anderberg karla' }, 1)).toEqual([person]);
    expect(await allPages({ name: 'karl ander' }, 1)).toEqual(expected('karl ander', renamed));
    expect(await allPages({ name: 'karl andersson' }, 1)).not.toContain(person);
    expect(await allPages({ name: 'karl karlsson' }, 2)).toEqual(expected('karl karlsson', renamed));
    expect(await allPages({ name: 'erik karl' }, 1)).toEqual(expected('erik karl', renamed));
  });
});

describe('prefixSuccessor', () => {
  it('is the least string above every string with the prefix, in code point order', () => {
    expect(prefixSuccessor('karl')).toBe('karm');
    expect(prefixSuccessor('19850314')).toBe('19850315');
    expect(prefixSuccessor('a\u{10ffff}')).toBe('b');
    expect(prefixSuccessor('\u{10ffff}')).toBeNull();
    expect(prefixSuccessor('\u{d7ff}')).toBe('\u{e000}');
  });
});
