import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents, type NewChangeEvent } from '../../db/outbox.js';
import { nationalReserveIdFor, parseIdentifier, personalIdentityNumber } from '../../subgraphs/shared/identifiers.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, linkReserveIdentity, type FixturePerson } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/**
 * Identifiers in event filters are read the way lookups read them: a Danish number that is also a valid
 * Swedish one is usable with a country (pull, durable subscription, websocket), and a reserve identity
 * given to `person(identifier:)` answers where to look instead of a silent null.
 */
let database: TestDatabase;
let stack: TestStack;
let subscriber: Record<string, string>;
let dane: FixturePerson;
let swede: FixturePerson;
/** CPR 090405-5563 (born 2005-04-09) is also the valid personnummer 20090405-5563. */
const BOTH = '0904055563';
const NRID = nationalReserveIdFor({ birthDate: '1985-03-14', sex: 'MALE', serialLetters: 'AB' });

async function write(e: NewChangeEvent) {
  await database.db.transaction((tx) => appendChangeEvents(tx, [e]));
}

beforeAll(async () => {
  database = await createTestDatabase();
  dane = await insertPerson(database.db, { identifier: BOTH, country: 'DK', givenNames: 'Mette', familyName: 'Dobbelt', birthDate: '2005-04-09' });
  swede = await insertPerson(database.db, { identifier: personalIdentityNumber({ birthDate: '1985-03-14', serial: 111 }), givenNames: 'Sven', familyName: 'Reserv', birthDate: '1985-03-14' });
  await linkReserveIdentity(database.db, swede.id, NRID, swede.identifier);
  await write({ type: 'MOVE', personId: dane.id, identifier: BOTH, birthDate: '2005-04-09', municipalityBefore: '101', municipalityAfter: '147' });
  await write({ type: 'NAME_CHANGE', personId: swede.id, identifier: swede.identifier, birthDate: '1985-03-14' });
  stack = await startTestStack(database.db);
  subscriber = { authorization: `Bearer ${await stack.issue({ scope: 'folkreg:read events:subscribe', client: 'integrator', sub: 'integrator' })}` };
});

afterAll(async () => {
  await stack?.close();
  await database?.dispose();
});

const PULL = `query($filter: ChangeEventFilter, $id: ID) { changeEvents(first: 100, filter: $filter, subscriptionId: $id) { edges { node { type person { id } } } } }`;
const pulled = (res: any) => res.data.changeEvents.edges.map((e: any) => [e.node.type, e.node.person.id]);

describe('a Danish number that is also a valid Swedish number, in event filters', () => {
  it('is both readings to the parser', () => {
    expect(parseIdentifier(BOTH).map((p) => p.kind)).toEqual(['PERSONAL_IDENTITY_NUMBER', 'CPR_NUMBER']);
  });

  it('pull: AMBIGUOUS without a country; with identifierCountry: DK it selects the Danish person', async () => {
    const ambiguous = await stack.query(PULL, { filter: { personIdentifiers: [BOTH] } });
    expect(ambiguous.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'AMBIGUOUS' });
    const dk = await stack.query(PULL, { filter: { personIdentifiers: [BOTH], identifierCountry: 'DK' } });
    expect(dk.errors).toBeUndefined();
    expect(pulled(dk)).toEqual([['MOVE', dane.id]]);
    // Read as Swedish it is another number (20090405-5563), which no event is about.
    const se = await stack.query(PULL, { filter: { personIdentifiers: [BOTH], identifierCountry: 'SE' } });
    expect(pulled(se)).toEqual([]);
    const alone = await stack.query(PULL, { filter: { identifierCountry: 'DK' } });
    expect(alone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'COUNTRY_WITHOUT_IDENTIFIERS' });
  });

  it('durable subscription: addPersonFilters(country: DK) stores the CPR number; create takes identifierCountry too', async () => {
    const created = await stack.query(`mutation { createEventSubscription(input: { name: "dk" }) { id } }`, {}, subscriber);
    const id = created.data.createEventSubscription.id;
    const ADD = `mutation($id: ID!, $ids: [String!]!, $c: Country) { addPersonFilters(subscriptionId: $id, personIdentifiers: $ids, country: $c) { input identifier result reason } }`;
    const without = await stack.query(ADD, { id, ids: [BOTH] }, subscriber);
    expect(without.data.addPersonFilters).toEqual([{ input: BOTH, identifier: null, result: 'INVALID', reason: 'AMBIGUOUS' }]);
    const withCountry = await stack.query(ADD, { id, ids: [BOTH, '090405-5563'], c: 'DK' }, subscriber);
    expect(withCountry.data.addPersonFilters).toEqual([
      { input: BOTH, identifier: BOTH, result: 'ADDED', reason: null },
      { input: '090405-5563', identifier: BOTH, result: 'ALREADY_EXISTED', reason: null },
    ]);
    expect(pulled(await stack.query(PULL, { id }, subscriber))).toEqual([['MOVE', dane.id]]);

    const second = await stack.query(
      `mutation { createEventSubscription(input: { filter: { personIdentifiers: ["${BOTH}"], identifierCountry: DK } }) { id filters { personIdentifiers } } }`,
      {},
      subscriber,
    );
    expect(second.errors).toBeUndefined();
    expect(second.data.createEventSubscription.filters.personIdentifiers).toEqual([BOTH]);
    const removed = await stack.query(
      `mutation($id: ID!) { removePersonFilters(subscriptionId: $id, personIdentifiers: ["${BOTH}"], country: DK) { result } }`,
      { id },
      subscriber,
    );
    expect(removed.data.removePersonFilters).toEqual([{ result: 'REMOVED' }]);
  });

  it('websocket: a subscription with identifierCountry: DK receives the Danish person\'s events live', async () => {
    const client = connect(stack.gateway.url, { authorization: subscriber.authorization });
    try {
      const live = new Collector(client, `subscription($ids: [String!]) { changeEvents(filter: { personIdentifiers: $ids, identifierCountry: DK }) { type person { id } } }`, { ids: [BOTH] });
      await stack.gateway.subscriptions.until((s) => s.subscribers === 1);
      await write({ type: 'NAME_CHANGE', personId: swede.id, identifier: swede.identifier, birthDate: '1985-03-14' });
      await write({ type: 'NAME_CHANGE', personId: dane.id, identifier: BOTH, birthDate: '2005-04-09' });
      expect((await live.take(1)).map((r) => [r.data!.changeEvents.type, r.data!.changeEvents.person.id])).toEqual([['NAME_CHANGE', dane.id]]);
    } finally {
      await client.dispose();
    }
  });
});

describe('a reserve identity given to person(identifier:)', () => {
  it('answers null with BAD_USER_INPUT RESERVE_IDENTITY pointing at reserveIdentity(identifier:), which resolves it', async () => {
    const res = await stack.query(`query($i: String!) { person(identifier: $i) { id } }`, { i: NRID });
    expect(res.data.person).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RESERVE_IDENTITY' });
    expect(res.errors?.[0]?.message).toContain(`reserveIdentity(identifier: "${NRID}")`);
    // The place it points at gives the person the reserve identity is linked to.
    const there = await stack.query(`query($i: String!) { reserveIdentity(identifier: $i) { person { id } } }`, { i: NRID });
    expect(there.errors).toBeUndefined();
    expect(there.data.reserveIdentity.person.id).toBe(swede.id);
  });

  it('says the same for a reserve identity linked to nobody (the hint reveals no link), and per item in a batch', async () => {
    const unlinked = nationalReserveIdFor({ birthDate: '1990-01-01', sex: 'FEMALE', serialLetters: 'CD' });
    const res = await stack.query(`query($i: String!) { person(identifier: $i) { id } }`, { i: unlinked });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RESERVE_IDENTITY' });
    const batch = await stack.query(`query($ids: [String!]!) { persons(identifiers: $ids) { input status reason } }`, { ids: [NRID, swede.identifier] });
    expect(batch.data.persons).toEqual([
      { input: NRID, status: 'INVALID', reason: 'RESERVE_IDENTITY' },
      { input: swede.identifier, status: 'FOUND', reason: null },
    ]);
  });
});
