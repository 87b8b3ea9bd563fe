import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents, type NewChangeEvent } from '../../db/outbox.js';
import { insertPerson, relate } from '../support/fixtures.js';
import { codes, useTestStack, type GraphQLResponse } from '../support/stack.js';

/**
 * Filtered pulls and durable CPR-style subscriptions through the gateway. Each event is labelled by the
 * minute of its occurredAt (2025-03-01T00:MM), so assertions read as lists of labels.
 */

let tokenA: string;
let tokenB: string;
let readOnly: string;
let foreignCursor: string;

const ANNA = '191212121212'; // born 1912-12-12: 112 at the events
const ERIK = '198211059954'; // born 1982-11-05: 42
const DK = '0101004000'; // CPR, born 2000-01-01: 25
const NOBODY = '194001019993'; // valid, no events

let minute = 0;
/**
 * An event about no registered person, so nothing of it is masked (the labels are read from occurredAt).
 * An event naming a person the register does not know would have its dated facts withheld: fail closed.
 */
async function event(e: Omit<NewChangeEvent, 'occurredAt'>): Promise<number> {
  const label = minute++;
  await env.db.transaction((tx) => appendChangeEvents(tx, [{ ...e, occurredAt: new Date(Date.UTC(2025, 2, 1, 0, label)) }]));
  return label;
}

const anna = { identifier: ANNA, birthDate: '1912-12-12' };
const erik = { identifier: ERIK, birthDate: '1982-11-05' };
const dk = { identifier: DK, birthDate: '2000-01-01' };

const EVENTS = /* GraphQL */ `
  query Events($after: String, $first: Int, $filter: ChangeEventFilter, $subscriptionId: ID) {
    changeEvents(after: $after, first: $first, filter: $filter, subscriptionId: $subscriptionId) {
      edges {
        cursor
        node {
          type
          occurredAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const SUBSCRIPTION_FIELDS = `id name catchAll acknowledgedCursor filters { personIdentifiers ageRanges { minAge maxAge } municipalityCodes types }`;

function as(token: string) {
  return { authorization: `Bearer ${token}` };
}

interface Page {
  labels: number[];
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null;
}

function page(res: GraphQLResponse): Page {
  expect(res.errors).toBeUndefined();
  const c = res.data.changeEvents;
  return {
    labels: c.edges.map((e: any) => new Date(e.node.occurredAt).getUTCMinutes()),
    cursors: c.edges.map((e: any) => e.cursor),
    hasNextPage: c.pageInfo.hasNextPage,
    endCursor: c.pageInfo.endCursor,
  };
}

async function pull(vars: Record<string, unknown>, token = tokenA): Promise<Page> {
  return page(await env.stack.query(EVENTS, vars, as(token)));
}

/** Follows endCursor page by page until hasNextPage is false. */
async function pullAll(vars: Record<string, unknown>, token = tokenA): Promise<{ labels: number[]; endCursor: string | null }> {
  const labels: number[] = [];
  let after = (vars.after as string | undefined) ?? null;
  for (;;) {
    const p = await pull({ ...vars, after }, token);
    labels.push(...p.labels);
    after = p.endCursor;
    if (!p.hasNextPage) return { labels, endCursor: after };
  }
}

async function mutate(doc: string, vars: Record<string, unknown>, token = tokenA) {
  return env.stack.query(doc, vars, as(token));
}

async function createSubscription(input: Record<string, unknown>, token = tokenA): Promise<string> {
  const res = await mutate(`mutation($input: CreateEventSubscriptionInput!) { createEventSubscription(input: $input) { id } }`, { input }, token);
  expect(res.errors).toBeUndefined();
  return res.data.createEventSubscription.id;
}

// Labels of the fixed events, in log order.
let L: Record<string, number>;

const env = useTestStack({
  seed: async () => {
    L = {
      annaMove: await event({ type: 'MOVE', ...anna, municipalityBefore: '0180', municipalityAfter: '1480' }),
      erikName: await event({ type: 'NAME_CHANGE', ...erik }),
      erikMove: await event({ type: 'MOVE', ...erik, municipalityBefore: '1480', municipalityAfter: '0180' }),
      annaDeath: await event({ type: 'DEATH', ...anna }),
      dkMove: await event({ type: 'MOVE', ...dk, municipalityBefore: '101', municipalityAfter: '147' }),
      noBirthDate: await event({ type: 'MOVE', identifier: null, municipalityBefore: '0180', municipalityAfter: '0180' }),
    };
    // Many events no filter below selects, so filtered pages must walk past them.
    for (let i = 0; i < 12; i++) await event({ type: 'CONTACT_DETAILS_CHANGE', ...dk, details: { version: i + 1, changedFields: ['phone'] } });
    L.erikDeath = await event({ type: 'DEATH', ...erik });
  },
});

beforeAll(async () => {
  tokenA = await env.stack.issue({ scope: 'folkreg:read events:subscribe', client: 'client-a', sub: 'system-a' });
  tokenB = await env.stack.issue({ scope: 'folkreg:read events:subscribe', client: 'client-b', sub: 'system-b' });
  readOnly = await env.stack.issue({ scope: 'folkreg:read', client: 'client-a', sub: 'reader-a' });

  // A cursor of another connection: a family-relations page's endCursor.
  const parent = await insertPerson(env.db, { identifier: ANNA, givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
  await relate(env.db, parent.id, 'MOTHER', { name: 'Karin Lind', birthDate: '1890-04-02' });
  const fam = await env.stack.query(`query($id: String!) { person(identifier: $id) { familyRelations(first: 1) { pageInfo { endCursor } } } }`, { id: ANNA });
  foreignCursor = fam.data.person.familyRelations.pageInfo.endCursor;
  expect(foreignCursor).toBeTruthy();
});

describe('changeEvents(filter:)', () => {
  const cases: [string, Record<string, unknown>, () => number[]][] = [
    ['event types', { types: ['MOVE'] }, () => [L.annaMove!, L.erikMove!, L.dkMove!, L.noBirthDate!]],
    ['municipality before or after', { municipalityCodes: ['1480'] }, () => [L.annaMove!, L.erikMove!]],
    ['a Danish 3-digit municipality', { municipalityCodes: ['147'] }, () => [L.dkMove!]],
    ["CPR's zero-padded 4-digit KOMKOD", { municipalityCodes: ['0147'] }, () => [L.dkMove!]],
    ['person identifiers in any spelling', { personIdentifiers: ['19121212-1212', '121212+1212'] }, () => [L.annaMove!, L.annaDeath!]],
    ['a CPR number with its hyphen', { personIdentifiers: ['010100-4000'], types: ['MOVE'] }, () => [L.dkMove!]],
    ['an age range at the event', { minAge: 40, maxAge: 50 }, () => [L.erikName!, L.erikMove!, L.erikDeath!]],
    ['minAge alone', { minAge: 100 }, () => [L.annaMove!, L.annaDeath!]],
    ['all groups at once', { types: ['MOVE', 'DEATH'], personIdentifiers: [ERIK, ANNA], municipalityCodes: ['0180'], maxAge: 60 }, () => [L.erikMove!]],
    ['a person without events', { personIdentifiers: [NOBODY] }, () => []],
  ];
  it.each(cases)('filters by %s, across pages of one', async (_name, filter, expected) => {
    const all = await pullAll({ filter, first: 1 });
    expect(all.labels).toEqual(expected());
    expect(all.endCursor).not.toBeNull();
  });

  it('moves endCursor past events that did not match, and continues exactly once', async () => {
    const filter = { personIdentifiers: [NOBODY, ERIK] };
    const first = await pullAll({ filter, first: 2 });
    expect(first.labels).toEqual([L.erikName, L.erikMove, L.erikDeath]);

    // Only non-matching events arrive: an empty page whose endCursor still advances.
    await event({ type: 'MOVE', ...dk, municipalityBefore: '147', municipalityAfter: '101' });
    const empty = await pull({ filter, first: 5, after: first.endCursor });
    expect(empty.labels).toEqual([]);
    expect(empty.hasNextPage).toBe(false);
    expect(empty.endCursor).not.toEqual(first.endCursor);

    const matching = await event({ type: 'NAME_CHANGE', identifier: NOBODY, birthDate: '1940-01-01' });
    const next = await pull({ filter, first: 5, after: empty.endCursor });
    expect(next.labels).toEqual([matching]);
    const again = await pull({ filter, first: 5, after: next.endCursor });
    expect(again.labels).toEqual([]);
  });

  it('keeps an unfiltered pull unchanged', async () => {
    const all = await pullAll({ first: 500 });
    expect(all.labels).toEqual([...all.labels].sort((a, b) => a - b));
    expect(all.labels.length).toBe(minute);
  });
});

describe('bad input to changeEvents', () => {
  const cases: [string, Record<string, unknown>, string | undefined][] = [
    ['first: 501', { first: 501 }, 'PAGE_SIZE'],
    ['first: 0', { first: 0 }, 'PAGE_SIZE'],
    ['an invalid identifier (check digit)', { filter: { personIdentifiers: [ANNA, '191212121213'] } }, 'CHECK_DIGIT'],
    ['an identifier with letters', { filter: { personIdentifiers: ['hello'] } }, undefined],
    ['minAge above maxAge', { filter: { minAge: 50, maxAge: 40 } }, 'INVALID_AGE_RANGE'],
    ['an age above 999', { filter: { maxAge: 1000 } }, 'INVALID_AGE_RANGE'],
    ['a negative age', { filter: { minAge: -1 } }, 'INVALID_AGE_RANGE'],
    ['a 2-digit municipality code', { filter: { municipalityCodes: ['18'] } }, 'INVALID_MUNICIPALITY_CODE'],
    ['an unknown municipality code', { filter: { municipalityCodes: ['147', '9999'] } }, 'UNKNOWN_MUNICIPALITY'],
    ['an unknown Danish municipality code', { filter: { municipalityCodes: ['999'] } }, 'UNKNOWN_MUNICIPALITY'],
    ['an empty group', { filter: { types: [] } }, 'EMPTY_FILTER_GROUP'],
    ['a tampered cursor', { after: 'eyJmb28iOjF9.AAAAAAAAAAAAAAAAAAAAAA' }, 'INVALID_CURSOR'],
  ];
  it.each(cases)('refuses %s with BAD_USER_INPUT', async (_name, vars, reason) => {
    const res = await env.stack.query(EVENTS, vars, as(tokenA));
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    if (reason) expect(res.errors![0]!.extensions!.reason).toBe(reason);
    expect(res.data?.changeEvents ?? null).toBeNull();
  });

  it('refuses a cursor of another connection', async () => {
    const res = await env.stack.query(EVENTS, { after: foreignCursor }, as(tokenA));
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.reason).toBe('FOREIGN_CURSOR');
  });

  it('refuses unknown event types', async () => {
    const res = await env.stack.query(EVENTS, { filter: { types: ['MOVE', 'TELEPORTATION'] } }, as(tokenA));
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

const ADD_PERSONS = `mutation($id: ID!, $ids: [String!]!) { addPersonFilters(subscriptionId: $id, personIdentifiers: $ids) { input identifier result reason } }`;
const REMOVE_PERSONS = `mutation($id: ID!, $ids: [String!]!) { removePersonFilters(subscriptionId: $id, personIdentifiers: $ids) { input identifier result reason } }`;
const GET = `query($id: ID!) { eventSubscription(id: $id) { ${SUBSCRIPTION_FIELDS} } }`;
const ACK = `mutation($id: ID!, $cursor: String!) { acknowledgeEvents(subscriptionId: $id, cursor: $cursor) { advanced subscription { acknowledgedCursor } } }`;

describe('durable subscriptions: filters and their per-item results', () => {
  let id: string;
  beforeAll(async () => {
    id = await createSubscription({ name: 'folkbokföring sync', filter: { types: ['MOVE'] } });
  });

  it('adds and removes person identifiers with a result per item, in input order', async () => {
    const added = await mutate(ADD_PERSONS, { id, ids: [ANNA, '19121212-1212', '191212121213', ERIK, 'x'] });
    expect(added.errors).toBeUndefined();
    expect(added.data.addPersonFilters).toEqual([
      { input: ANNA, identifier: ANNA, result: 'ADDED', reason: null },
      { input: '19121212-1212', identifier: ANNA, result: 'ALREADY_EXISTED', reason: null },
      { input: '191212121213', identifier: null, result: 'INVALID', reason: 'CHECK_DIGIT' },
      { input: ERIK, identifier: ERIK, result: 'ADDED', reason: null },
      { input: 'x', identifier: null, result: 'INVALID', reason: expect.any(String) },
    ]);
    const removed = await mutate(REMOVE_PERSONS, { id, ids: [ANNA, ANNA, DK] });
    expect(removed.data.removePersonFilters.map((r: any) => r.result)).toEqual(['REMOVED', 'NON_EXISTING', 'NON_EXISTING']);
    const again = await mutate(ADD_PERSONS, { id, ids: [ERIK] });
    expect(again.data.addPersonFilters[0].result).toBe('ALREADY_EXISTED');
  });

  it('adds and removes age ranges, municipality codes and event types', async () => {
    const ages = await mutate(
      `mutation($id: ID!) { addAgeRangeFilters(subscriptionId: $id, ageRanges: [{minAge: 18, maxAge: 65}, {minAge: 70, maxAge: 60}, {minAge: 18, maxAge: 65}]) { group minAge maxAge result reason } }`,
      { id },
    );
    expect(ages.data.addAgeRangeFilters).toEqual([
      { group: 'AGE_RANGE', minAge: 18, maxAge: 65, result: 'ADDED', reason: null },
      { group: 'AGE_RANGE', minAge: 70, maxAge: 60, result: 'INVALID', reason: 'INVALID_AGE_RANGE' },
      { group: 'AGE_RANGE', minAge: 18, maxAge: 65, result: 'ALREADY_EXISTED', reason: null },
    ]);
    const munis = await mutate(
      `mutation($id: ID!) { addMunicipalityFilters(subscriptionId: $id, municipalityCodes: ["0180", "12", "147", "9999", "0147"]) { value result reason } }`,
      { id },
    );
    expect(munis.data.addMunicipalityFilters).toEqual([
      { value: '0180', result: 'ADDED', reason: null },
      { value: '12', result: 'INVALID', reason: 'INVALID_MUNICIPALITY_CODE' },
      { value: '147', result: 'ADDED', reason: null },
      // An unknown code would never match: refused, not ADDED.
      { value: '9999', result: 'INVALID', reason: 'UNKNOWN_MUNICIPALITY' },
      // CPR's 4-digit form is the same municipality, stored as 147.
      { value: '147', result: 'ALREADY_EXISTED', reason: null },
    ]);
    const types = await mutate(`mutation($id: ID!) { addEventTypeFilters(subscriptionId: $id, types: [MOVE, DEATH]) { value result } }`, { id });
    expect(types.data.addEventTypeFilters).toEqual([
      { value: 'MOVE', result: 'ALREADY_EXISTED' },
      { value: 'DEATH', result: 'ADDED' },
    ]);
    const removeMuni = await mutate(`mutation($id: ID!) { removeMunicipalityFilters(subscriptionId: $id, municipalityCodes: ["147", "0999"]) { result } }`, {
      id,
    });
    expect(removeMuni.data.removeMunicipalityFilters.map((r: any) => r.result)).toEqual(['REMOVED', 'NON_EXISTING']);
    const removeAge = await mutate(`mutation($id: ID!) { removeAgeRangeFilters(subscriptionId: $id, ageRanges: [{minAge: 18, maxAge: 64}]) { result } }`, {
      id,
    });
    expect(removeAge.data.removeAgeRangeFilters[0].result).toBe('NON_EXISTING');

    const res = await env.stack.query(GET, { id }, as(tokenA));
    expect(res.data.eventSubscription).toMatchObject({
      name: 'folkbokföring sync',
      catchAll: false,
      filters: { personIdentifiers: [ERIK], ageRanges: [{ minAge: 18, maxAge: 65 }], municipalityCodes: ['0180'], types: ['MOVE', 'DEATH'] },
    });
    // Every group must match: Erik's move into 0180 at 42.
    expect((await pullAll({ subscriptionId: id, first: 3 })).labels).toEqual([L.erikMove]);
  });

  it('removes all filters of one group', async () => {
    const res = await mutate(
      `mutation($id: ID!) { removeAllFilters(subscriptionId: $id, group: EVENT_TYPE) { removedCount subscription { filters { types } } } }`,
      { id },
    );
    expect(res.data.removeAllFilters).toEqual({ removedCount: 2, subscription: { filters: { types: [] } } });
    const none = await mutate(`mutation($id: ID!) { removeAllFilters(subscriptionId: $id, group: EVENT_TYPE) { removedCount } }`, { id });
    expect(none.data.removeAllFilters.removedCount).toBe(0);
  });

  it('gives a subscription without filters nothing, and a catch-all everything', async () => {
    const empty = await createSubscription({ name: 'empty' });
    expect((await pullAll({ subscriptionId: empty, first: 500 })).labels).toEqual([]);
    const all = await createSubscription({ name: 'all', catchAll: true });
    expect((await pullAll({ subscriptionId: all, first: 500 })).labels).toHaveLength(minute);
    // A pull filter narrows a subscription further.
    expect((await pullAll({ subscriptionId: all, first: 500, filter: { types: ['DEATH'] } })).labels).toEqual([L.annaDeath, L.erikDeath]);
  });

  it('refuses a catch-all with filters, and changes without the scope', async () => {
    const both = await mutate(`mutation { createEventSubscription(input: {catchAll: true, filter: {types: [MOVE]}}) { id } }`, {});
    expect(codes(both)).toEqual(['BAD_USER_INPUT']);
    const forbidden = await mutate(`mutation { createEventSubscription(input: {catchAll: true}) { id } }`, {}, readOnly);
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    const forbiddenAdd = await mutate(ADD_PERSONS, { id, ids: [ANNA] }, readOnly);
    expect(codes(forbiddenAdd)).toEqual(['FORBIDDEN']);
    // Reading needs events:read (in folkreg:read) or events:subscribe: the client's read-only token sees its subscription.
    expect((await env.stack.query(GET, { id }, as(readOnly))).data.eventSubscription.id).toBe(id);
  });
});

describe('durable subscriptions: ownership', () => {
  it("never shows or changes another client's subscription", async () => {
    const id = await createSubscription({ name: 'mine', filter: { types: ['DEATH'] } }, tokenA);
    const list = async (token: string) => (await env.stack.query(`{ eventSubscriptions { id } }`, {}, as(token))).data.eventSubscriptions.map((s: any) => s.id);
    expect(await list(tokenA)).toContain(id);
    expect(await list(tokenB)).not.toContain(id);

    const attempts: [string, Record<string, unknown>][] = [
      [GET, { id }],
      [EVENTS, { subscriptionId: id }],
      [ADD_PERSONS, { id, ids: [ANNA] }],
      [`mutation($id: ID!) { removeAllFilters(subscriptionId: $id, group: PERSON) { removedCount } }`, { id }],
      [`mutation($id: ID!) { setEventSubscriptionCatchAll(subscriptionId: $id, catchAll: true) { id } }`, { id }],
      [ACK, { id, cursor: (await pull({ first: 1 })).endCursor }],
      [`mutation($id: ID!) { deleteEventSubscription(subscriptionId: $id) }`, { id }],
    ];
    for (const [doc, vars] of attempts) {
      const res = await env.stack.query(doc, vars, as(tokenB));
      expect(codes(res), doc).toEqual(['NOT_FOUND']);
    }
    // Nothing changed for the owner.
    const mine = await env.stack.query(GET, { id }, as(tokenA));
    expect(mine.data.eventSubscription).toMatchObject({ catchAll: false, acknowledgedCursor: null, filters: { types: ['DEATH'], personIdentifiers: [] } });

    // A random id is the same NOT_FOUND; a malformed one is the caller's mistake, as for every id argument.
    expect(codes(await env.stack.query(GET, { id: randomUUID() }, as(tokenA)))).toEqual(['NOT_FOUND']);
    const malformed = await env.stack.query(GET, { id: 'not-a-uuid' }, as(tokenA));
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_ID' });

    const deleted = await mutate(`mutation($id: ID!) { deleteEventSubscription(subscriptionId: $id) }`, { id });
    expect(deleted.data.deleteEventSubscription).toBe(id);
    expect(codes(await env.stack.query(GET, { id }, as(tokenA)))).toEqual(['NOT_FOUND']);
  });
});

describe('durable subscriptions: acknowledged position', () => {
  it('resumes after the acknowledged position, exactly once', async () => {
    const id = await createSubscription({ name: 'moves', filter: { types: ['MOVE'] } });
    const moves = (await pullAll({ filter: { types: ['MOVE'] }, first: 500 })).labels;
    expect(moves.length).toBeGreaterThan(3);

    const received: number[] = [];
    const p1 = await pull({ subscriptionId: id, first: 2 });
    received.push(...p1.labels);
    // Not acknowledged yet: pulling again repeats the same page.
    expect((await pull({ subscriptionId: id, first: 2 })).labels).toEqual(p1.labels);
    const ack1 = await mutate(ACK, { id, cursor: p1.endCursor });
    expect(ack1.data.acknowledgeEvents).toEqual({ advanced: true, subscription: { acknowledgedCursor: p1.endCursor } });

    const p2 = await pull({ subscriptionId: id, first: 500 });
    received.push(...p2.labels);
    expect(p2.hasNextPage).toBe(false);
    await mutate(ACK, { id, cursor: p2.endCursor });

    // An older acknowledgement is ignored: the position never moves back.
    const stale = await mutate(ACK, { id, cursor: p1.cursors[0] });
    expect(stale.data.acknowledgeEvents).toEqual({ advanced: false, subscription: { acknowledgedCursor: p2.endCursor } });
    const same = await mutate(ACK, { id, cursor: p2.endCursor });
    expect(same.data.acknowledgeEvents.advanced).toBe(false);

    // New events: only the matching one arrives, once.
    await event({ type: 'DEATH', ...dk });
    const late = await event({ type: 'MOVE', ...erik, municipalityBefore: '0180', municipalityAfter: '1480' });
    const p3 = await pull({ subscriptionId: id, first: 500 });
    expect(p3.labels).toEqual([late]);
    received.push(...p3.labels);
    await mutate(ACK, { id, cursor: p3.endCursor });
    expect((await pull({ subscriptionId: id, first: 500 })).labels).toEqual([]);

    expect(received).toEqual([...moves, late]);
    // `after` overrides the acknowledged position (re-reading is the client's choice).
    expect((await pull({ subscriptionId: id, first: 500, after: p1.endCursor })).labels).toEqual([...p2.labels, late]);
  });

  it('refuses foreign and tampered cursors', async () => {
    const id = await createSubscription({ catchAll: true });
    for (const [cursor, reason] of [
      [foreignCursor, 'FOREIGN_CURSOR'],
      ['garbage', 'INVALID_CURSOR'],
    ] as const) {
      const res = await mutate(ACK, { id, cursor });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.reason).toBe(reason);
    }
    expect((await env.stack.query(GET, { id }, as(tokenA))).data.eventSubscription.acknowledgedCursor).toBeNull();
  });
});
