import { beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents, type NewChangeEvent } from '../../db/outbox.js';
import { nationalReserveIdFor, parseIdentifier, personalIdentityNumber } from '../../kernel/identifiers.js';
import { personIdentifiers } from '../../db/schema/index.js';
import { insertPerson, linkReserveIdentity, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/**
 * Identifiers in event filters are read the way lookups read them: a Danish number that is also a valid
 * Swedish one is usable with a country (pull, durable subscription, websocket), and a reserve identity
 * given to `person(identifier:)` answers where to look instead of a silent null.
 */
let subscriber: Record<string, string>;
let dane: FixturePerson;
let swede: FixturePerson;
let corrected: FixturePerson;
/** Karin's number until her birth date was corrected (replaced), and her number since. */
const OLD = personalIdentityNumber({ birthDate: '1972-05-01', serial: 567 });
const NEW = personalIdentityNumber({ birthDate: '1972-05-02', serial: 567 });
/** CPR 090405-5563 (born 2005-04-09) is also the valid personnummer 20090405-5563. */
const BOTH = '0904055563';
const NRID = nationalReserveIdFor({ birthDate: '1985-03-14', sex: 'MALE', serialLetters: 'AB' });

async function write(e: NewChangeEvent) {
  await env.db.transaction((tx) => appendChangeEvents(tx, [e]));
}

const env = useTestStack({
  seed: async (db) => {
    dane = await insertPerson(db, { identifier: BOTH, country: 'DK', givenNames: 'Mette', familyName: 'Dobbelt', birthDate: '2005-04-09' });
    swede = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1985-03-14', serial: 111 }),
      givenNames: 'Sven',
      familyName: 'Reserv',
      birthDate: '1985-03-14',
    });
    await linkReserveIdentity(db, swede.id, NRID, swede.identifier);
    await write({ type: 'MOVE', personId: dane.id, identifier: BOTH, birthDate: '2005-04-09', municipalityBefore: '101', municipalityAfter: '147' });
    await write({ type: 'NAME_CHANGE', personId: swede.id, identifier: swede.identifier, birthDate: '1985-03-14' });
    corrected = await insertPerson(db, { identifier: NEW, givenNames: 'Karin', familyName: 'Holm', birthDate: '1972-05-02' });
    await db
      .insert(personIdentifiers)
      .values({ personId: corrected.id, kind: 'PERSONAL_IDENTITY_NUMBER', value: OLD, validFrom: '1972-05-01', validTo: '2001-01-01' });
    await write({ type: 'MOVE', personId: corrected.id, identifier: OLD, birthDate: '1972-05-01', municipalityBefore: '0180', municipalityAfter: '1480' });
    await write({ type: 'IDENTIFIER_CHANGE', personId: corrected.id, identifier: NEW, birthDate: '1972-05-02' });
  },
});

beforeAll(async () => {
  subscriber = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read events:subscribe', client: 'integrator', sub: 'integrator' })}` };
});

const PULL = `query($filter: ChangeEventFilter, $id: ID) { changeEvents(first: 100, filter: $filter, subscriptionId: $id) { edges { node { type person { id } } } } }`;
const pulled = (res: any) => res.data.changeEvents.edges.map((e: any) => [e.node.type, e.node.person.id]);

const LIVE = `subscription($filter: ChangeEventFilter) { changeEvents(filter: $filter) { type person { id } } }`;

/**
 * The first event a websocket subscription with `filter` receives once it listens and `events` are
 * written after it, as [type, person id] (the subscriber's own socket, closed after).
 */
async function liveEvents(filter: Record<string, unknown>, events: NewChangeEvent[]) {
  const client = connect(env.stack.gateway.url, { authorization: subscriber.authorization });
  try {
    const live = new Collector(client, LIVE, { filter });
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 1);
    for (const event of events) await write(event);
    return (await live.take(1)).map((r) => [r.data!.changeEvents.type, r.data!.changeEvents.person.id]);
  } finally {
    await client.dispose();
  }
}

describe('a Danish number that is also a valid Swedish number, in event filters', () => {
  it('is both readings to the parser', () => {
    expect(parseIdentifier(BOTH).map((p) => p.kind)).toEqual(['PERSONAL_IDENTITY_NUMBER', 'CPR_NUMBER']);
  });

  it('pull: AMBIGUOUS without a country; with identifierCountry: DK it selects the Danish person', async () => {
    const ambiguous = await env.stack.query(PULL, { filter: { personIdentifiers: [BOTH] } });
    expect(ambiguous.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'AMBIGUOUS' });
    const dk = await env.stack.query(PULL, { filter: { personIdentifiers: [BOTH], identifierCountry: 'DK' } });
    expect(dk.errors).toBeUndefined();
    expect(pulled(dk)).toEqual([['MOVE', dane.id]]);
    // Read as Swedish it is another number (20090405-5563), which no event is about.
    const se = await env.stack.query(PULL, { filter: { personIdentifiers: [BOTH], identifierCountry: 'SE' } });
    expect(pulled(se)).toEqual([]);
    const alone = await env.stack.query(PULL, { filter: { identifierCountry: 'DK' } });
    expect(alone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'COUNTRY_WITHOUT_IDENTIFIERS' });
  });

  it('durable subscription: addPersonFilters(country: DK) stores the CPR number; create takes identifierCountry too', async () => {
    const created = await env.stack.query(`mutation { createEventSubscription(input: { name: "dk" }) { id } }`, {}, subscriber);
    const id = created.data.createEventSubscription.id;
    const ADD = `mutation($id: ID!, $ids: [String!]!, $c: Country) { addPersonFilters(subscriptionId: $id, personIdentifiers: $ids, country: $c) { input identifier result reason } }`;
    const without = await env.stack.query(ADD, { id, ids: [BOTH] }, subscriber);
    expect(without.data.addPersonFilters).toEqual([{ input: BOTH, identifier: null, result: 'INVALID', reason: 'AMBIGUOUS' }]);
    const withCountry = await env.stack.query(ADD, { id, ids: [BOTH, '090405-5563'], c: 'DK' }, subscriber);
    expect(withCountry.data.addPersonFilters).toEqual([
      { input: BOTH, identifier: BOTH, result: 'ADDED', reason: null },
      { input: '090405-5563', identifier: BOTH, result: 'ALREADY_EXISTED', reason: null },
    ]);
    expect(pulled(await env.stack.query(PULL, { id }, subscriber))).toEqual([['MOVE', dane.id]]);

    const second = await env.stack.query(
      `mutation { createEventSubscription(input: { filter: { personIdentifiers: ["${BOTH}"], identifierCountry: DK } }) { id filters { personIdentifiers } } }`,
      {},
      subscriber,
    );
    expect(second.errors).toBeUndefined();
    expect(second.data.createEventSubscription.filters.personIdentifiers).toEqual([BOTH]);
    const removed = await env.stack.query(
      `mutation($id: ID!) { removePersonFilters(subscriptionId: $id, personIdentifiers: ["${BOTH}"], country: DK) { result } }`,
      { id },
      subscriber,
    );
    expect(removed.data.removePersonFilters).toEqual([{ result: 'REMOVED' }]);
  });

  it("websocket: a subscription with identifierCountry: DK receives the Danish person's events live", async () => {
    const live = await liveEvents({ personIdentifiers: [BOTH], identifierCountry: 'DK' }, [
      { type: 'NAME_CHANGE', personId: swede.id, identifier: swede.identifier, birthDate: '1985-03-14' },
      { type: 'NAME_CHANGE', personId: dane.id, identifier: BOTH, birthDate: '2005-04-09' },
    ]);
    expect(live).toEqual([['NAME_CHANGE', dane.id]]);
  });
});

describe('a replaced number in event filters follows the person, as a lookup does', () => {
  it('pull: the old number and the new one both select every event of the person, under either number', async () => {
    const lookup = await env.stack.query(`query($i: String!) { person(identifier: $i) { id } }`, { i: OLD });
    expect(lookup.data.person.id).toBe(corrected.id);
    for (const number of [OLD, NEW, `${OLD.slice(2, 8)}-${OLD.slice(8)}`]) {
      const res = await env.stack.query(PULL, { filter: { personIdentifiers: [number] } });
      expect(res.errors, number).toBeUndefined();
      expect(pulled(res), number).toEqual([
        ['MOVE', corrected.id],
        ['IDENTIFIER_CHANGE', corrected.id],
      ]);
    }
  });

  it('durable subscription: a filter on the old number receives the events under the new one', async () => {
    const created = await env.stack.query(
      `mutation($f: ChangeEventFilter) { createEventSubscription(input: { filter: $f }) { id } }`,
      { f: { personIdentifiers: [OLD] } },
      subscriber,
    );
    const id = created.data.createEventSubscription.id;
    expect(pulled(await env.stack.query(PULL, { id }, subscriber))).toEqual([
      ['MOVE', corrected.id],
      ['IDENTIFIER_CHANGE', corrected.id],
    ]);
  });

  it('websocket: a live subscription on the old number is woken by, and receives, an event under the new one', async () => {
    // The previous test's subscriber has gone, so the count `liveEvents` waits for is this one's.
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 0);
    const live = await liveEvents({ personIdentifiers: [OLD] }, [{ type: 'NAME_CHANGE', personId: corrected.id, identifier: NEW, birthDate: '1972-05-02' }]);
    expect(live).toEqual([['NAME_CHANGE', corrected.id]]);
  });
});

describe('a reserve identity given to person(identifier:)', () => {
  it('answers null with BAD_USER_INPUT RESERVE_IDENTITY pointing at reserveIdentity(identifier:), which resolves it', async () => {
    const res = await env.stack.query(`query($i: String!) { person(identifier: $i) { id } }`, { i: NRID });
    expect(res.data.person).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RESERVE_IDENTITY' });
    expect(res.errors?.[0]?.message).toContain(`reserveIdentity(identifier: "${NRID}")`);
    // The place it points at gives the person the reserve identity is linked to.
    const there = await env.stack.query(`query($i: String!) { reserveIdentity(identifier: $i) { person { id } } }`, { i: NRID });
    expect(there.errors).toBeUndefined();
    expect(there.data.reserveIdentity.person.id).toBe(swede.id);
  });

  it('says the same for a reserve identity linked to nobody (the hint reveals no link), and per item in a batch', async () => {
    const unlinked = nationalReserveIdFor({ birthDate: '1990-01-01', sex: 'FEMALE', serialLetters: 'CD' });
    const res = await env.stack.query(`query($i: String!) { person(identifier: $i) { id } }`, { i: unlinked });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RESERVE_IDENTITY' });
    const batch = await env.stack.query(`query($ids: [String!]!) { persons(identifiers: $ids) { input status reason } }`, { ids: [NRID, swede.identifier] });
    expect(batch.data.persons).toEqual([
      { input: NRID, status: 'INVALID', reason: 'RESERVE_IDENTITY' },
      { input: swede.identifier, status: 'FOUND', reason: null },
    ]);
  });
});
