import type { Client } from 'graphql-ws';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents, type NewChangeEvent } from '../../db/outbox.js';
import { protectionMarkers } from '../../db/schema/index.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';
import { Collector, connect as open } from '../support/subscriptions.js';

/**
 * The live subscriptions of one caller and document that one commit wakes are read by one run of the
 * gateway's pipeline (one aliased root field per subscription), and each still gets exactly its own
 * events, its own errors, and nothing of the others'.
 */

let token: string;
let anna: FixturePerson;
let hidden: FixturePerson;

const P = Array.from({ length: 6 }, (_, i) => personalIdentityNumber({ birthDate: '1985-02-01', serial: 20 + i }));
const STRANGER = personalIdentityNumber({ birthDate: '1960-01-01', serial: 9 });

const WATCH = /* GraphQL */ `
  subscription Watch($filter: ChangeEventFilter, $sub: ID) {
    changeEvents(filter: $filter, subscriptionId: $sub) {
      type
      identifier
    }
  }
`;

async function commit(events: NewChangeEvent[]) {
  await env.db.transaction((tx) => appendChangeEvents(tx, events));
}

const runs = () => env.stack.gateway.subscriptions.stats().batchRuns;
const batches = () => env.stack.gateway.subscriptions.stats().batches;

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', municipalityCode: '0180' });
    hidden = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1970-01-01', serial: 123 }),
      givenNames: 'Hemlig',
      familyName: 'Person',
      municipalityCode: '0180',
    });
    await db.insert(protectionMarkers).values({ personId: hidden.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01' });
    await commit([{ type: 'PERSON_REGISTERED', identifier: STRANGER }]);
  },
});

beforeAll(async () => {
  token = await env.stack.issue({ scope: 'folkreg:read events:subscribe', sub: 'integrator', client: 'kommun-groups' });
});

/** Every test's sockets, closed after it whatever its outcome, so the next starts with no subscriber. */
let clients: Client[] = [];
const connect = (...args: Parameters<typeof open>) => {
  const client = open(...args);
  clients.push(client);
  return client;
};
afterEach(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  clients = [];
  await env.stack.gateway.subscriptions.until((s) => s.subscribers === 0);
});

describe('subscriptions of one caller woken by one commit share one pipeline run', () => {
  it('each gets exactly its own events, in order, once; one run per caller', async () => {
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${token}` });
    const filters = [
      { personIdentifiers: [P[0]] },
      { personIdentifiers: [P[1], P[0]] },
      { personIdentifiers: [P[2]] },
      { types: ['DEATH'] },
      { personIdentifiers: [P[3]] },
      { municipalityCodes: ['1480'] },
      { personIdentifiers: [P[5]] }, // nothing in the first commit: not read then
    ];
    const watchers = filters.map((filter) => new Collector(client, WATCH, { filter }));
    // Another caller, same document and filter as the first: read by a run of its own, under its own rules.
    const other = connect(env.stack.gateway.url, {
      authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read', sub: 'other', client: 'kommun-other' })}`,
    });
    const otherWatcher = new Collector(other, WATCH, { filter: filters[0] });
    await env.stack.gateway.subscriptions.until((s) => s.feeds.length === filters.length + 1 && s.subscribers === filters.length + 1);

    const before = { runs: runs(), batches: batches() };
    await commit([
      { type: 'MOVE', identifier: P[0], municipalityBefore: '0180', municipalityAfter: '1480' },
      { type: 'NAME_CHANGE', identifier: STRANGER },
      { type: 'NAME_CHANGE', identifier: P[1] },
      { type: 'DEATH', identifier: P[2] },
      { type: 'CIVIL_STATUS_CHANGE', identifier: P[0] },
      { type: 'MOVE', identifier: P[3] },
    ]);
    const round1: [string, string][][] = [
      [
        ['MOVE', P[0]!],
        ['CIVIL_STATUS_CHANGE', P[0]!],
      ],
      [
        ['MOVE', P[0]!],
        ['NAME_CHANGE', P[1]!],
        ['CIVIL_STATUS_CHANGE', P[0]!],
      ],
      [['DEATH', P[2]!]],
      [['DEATH', P[2]!]],
      [['MOVE', P[3]!]],
      [['MOVE', P[0]!]],
      [],
    ];
    await Promise.all([...watchers.map((w, i) => w.take(round1[i]!.length)), otherWatcher.take(2)]);
    // Six subscriptions of one caller had events: six batches in groups of 4 + 2 (group sizes are powers of
    // two, so few query texts are planned), two runs; the other caller's: one run of its own.
    expect(batches() - before.batches).toBe(7);
    expect(runs() - before.runs).toBe(3);

    // A second commit that concerns every subscription: whatever came before it is all that came.
    const again = { runs: runs(), batches: batches() };
    await commit([
      { type: 'DEATH', identifier: P[5], municipalityBefore: '1480', municipalityAfter: '0180' },
      { type: 'IMMIGRATION', identifier: P[3] },
      { type: 'EMIGRATION', identifier: P[2] },
      { type: 'MOVE', identifier: P[1] },
      { type: 'MOVE', identifier: P[0] },
    ]);
    const round2: [string, string][][] = [
      [['MOVE', P[0]!]],
      [
        ['MOVE', P[1]!],
        ['MOVE', P[0]!],
      ],
      [['EMIGRATION', P[2]!]],
      [['DEATH', P[5]!]],
      [['IMMIGRATION', P[3]!]],
      [['DEATH', P[5]!]],
      [['DEATH', P[5]!]],
    ];
    for (const [i, watcher] of watchers.entries()) {
      const want = [...round1[i]!, ...round2[i]!].map(([type, identifier]) => ({ type, identifier }));
      const got = await watcher.take(want.length);
      expect(
        got.map((r) => r.data.changeEvents),
        `subscription ${i}`,
      ).toEqual(want);
      expect(got.every((r) => r.errors === undefined)).toBe(true);
      expect(watcher.results).toHaveLength(want.length);
    }
    const otherGot = await otherWatcher.take(3);
    expect(otherGot.map((r) => r.data.changeEvents.type)).toEqual(['MOVE', 'CIVIL_STATUS_CHANGE', 'MOVE']);
    expect(otherWatcher.results).toHaveLength(3);
    // Seven of one caller (4 + 2 + 1) and the other caller's one.
    expect(batches() - again.batches).toBe(8);
    expect(runs() - again.runs).toBe(4);

    watchers.forEach((w) => w.stop());
    otherWatcher.stop();
    await Promise.all([client.dispose(), other.dispose()]);
  });

  it('an event masked for the caller carries its errors to its own subscription only', async () => {
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${token}` });
    const SELECT = `subscription Names($who: [String!]) { changeEvents(filter: { personIdentifiers: $who }) { type municipalityAfter person { name { givenNames } } } }`;
    const plain = new Collector(client, SELECT, { who: [anna.identifier] });
    const masked = new Collector(client, SELECT, { who: [hidden.identifier] });
    const both = new Collector(client, SELECT, { who: [anna.identifier, hidden.identifier] });
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 3);
    const before = runs();
    await commit([
      { type: 'MOVE', personId: hidden.id, identifier: hidden.identifier, municipalityBefore: '0180', municipalityAfter: '1480' },
      { type: 'MOVE', personId: anna.id, identifier: anna.identifier, municipalityBefore: '0180', municipalityAfter: '1480' },
    ]);
    const [annaMove] = await plain.take(1);
    const [hiddenMove] = await masked.take(1);
    const [first, second] = await both.take(2);
    // Three subscriptions: groups of 2 + 1.
    expect(runs() - before).toBe(2);

    expect(annaMove).toEqual({ data: { changeEvents: { type: 'MOVE', municipalityAfter: '1480', person: { name: { givenNames: 'Anna' } } } } });
    expect(second).toEqual(annaMove);
    for (const event of [hiddenMove!, first!]) {
      expect(event.data.changeEvents).toMatchObject({ type: 'MOVE', municipalityAfter: null });
      expect(event.errors?.length).toBeGreaterThan(0);
      // Under the client's own root field, never the group's alias.
      for (const error of event.errors!) {
        expect(error.extensions?.code).toBe('PROTECTED_IDENTITY');
        expect(error.path?.[0]).toBe('changeEvents');
      }
    }
    [plain, masked, both].forEach((c) => c.stop());
    await client.dispose();
  });

  it('a durable subscription deleted while streamed ends that stream alone; the others read in its run get their events', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const created = await env.stack.query(`mutation { createEventSubscription(input: { filter: { types: [MOVE] } }) { id } }`, {}, auth);
    const id = created.data.createEventSubscription.id as string;
    // From now on: the events the tests before wrote are acknowledged.
    const head = (await env.stack.query(`{ changeEventsHead }`, {}, auth)).data.changeEventsHead;
    const acked = await env.stack.query(
      `mutation($id: ID!, $c: String!) { acknowledgeEvents(subscriptionId: $id, cursor: $c) { advanced } }`,
      { id, c: head },
      auth,
    );
    expect(acked.errors).toBeUndefined();
    const client = connect(env.stack.gateway.url, auth);
    const durable = new Collector(client, WATCH, { sub: id });
    const live = [new Collector(client, WATCH, { filter: { personIdentifiers: [P[4]] } }), new Collector(client, WATCH, { filter: { types: ['MOVE'] } })];
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 3);
    await commit([{ type: 'MOVE', identifier: P[4] }]);
    await Promise.all([durable.take(1), ...live.map((c) => c.take(1))]);

    const deleted = await env.stack.query(`mutation($id: ID!) { deleteEventSubscription(subscriptionId: $id) }`, { id }, auth);
    expect(deleted.errors).toBeUndefined();
    const before = runs();
    await commit([{ type: 'MOVE', identifier: P[4] }]);
    // The stream's last result says why, and it ends.
    await durable.ended;
    expect(durable.results).toHaveLength(2);
    expect(durable.results[1]!.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    for (const c of live) {
      const got = await c.take(2);
      expect(got.map((r) => r.data.changeEvents)).toEqual([
        { type: 'MOVE', identifier: P[4] },
        { type: 'MOVE', identifier: P[4] },
      ]);
      expect(got.every((r) => r.errors === undefined)).toBe(true);
    }
    // Groups of 2 + 1; when the deleted subscription shared its group, its failure took the other's data,
    // which was read again (one run more).
    expect([2, 3]).toContain(runs() - before);

    await commit([{ type: 'MOVE', identifier: P[4] }]);
    for (const c of live) expect((await c.take(3)).length).toBe(3);
    for (const c of live) expect(c.results).toHaveLength(3);
    live.forEach((c) => c.stop());
    await client.dispose();
  });
});
