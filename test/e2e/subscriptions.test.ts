import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents, type ChangeEventType } from '../../db/outbox.js';
import { SubscriptionCloseCode } from '../../gateway/subscriptions/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, relate, type FixturePerson } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { Collector, connect, wsUrl } from '../support/subscriptions.js';

let database: TestDatabase;
let stack: TestStack;
let anna: FixturePerson;
let erik: FixturePerson;
let token: string;

const EVENTS = /* GraphQL */ `
  subscription Events($after: String, $filter: ChangeEventFilter) {
    changeEvents(after: $after, filter: $filter) {
      cursor
      type
      occurredAt
      person {
        name { givenNames familyName }
        address { municipalityCode }
        familyRelations(first: 5) { totalCount edges { node { kind relative { name { givenNames } } } } }
      }
    }
  }
`;

async function write(type: ChangeEventType, person: FixturePerson = anna, n = 1) {
  await database.db.transaction((tx) =>
    appendChangeEvents(
      tx,
      Array.from({ length: n }, () => ({ type, personId: person.id, identifier: person.identifier, occurredAt: new Date('2025-03-01T00:00:00Z') })),
    ),
  );
}

/** The log's end as a pull client sees it: subscribing after it replays nothing. */
async function endCursor(): Promise<string> {
  const res = await stack.query(`{ changeEventsHead }`);
  return res.data.changeEventsHead;
}

beforeAll(async () => {
  database = await createTestDatabase();
  anna = await insertPerson(database.db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', municipalityCode: '0180' });
  erik = await insertPerson(database.db, { identifier: '198211059954', givenNames: 'Erik', familyName: 'Åberg' });
  await relate(database.db, anna.id, 'SPOUSE', erik);
  await write('PERSON_REGISTERED');
  stack = await startTestStack(database.db, { subscriptions: { feed: { maxBufferedEvents: 20 } } });
  token = await stack.issue({ scope: 'folkreg:read', sub: 'integrator', client: 'kommun-x' });
});

afterAll(async () => {
  await stack?.close();
  await database?.dispose();
});

const auth = () => ({ authorization: `Bearer ${token}` });

describe('websocket subscriptions: replay, then live, exactly once', () => {
  it('replays the events after `after`, then delivers live ones, with fields of every subgraph', async () => {
    const start = await endCursor();
    await write('MOVE');
    await write('NAME_CHANGE');
    const client = connect(stack.gateway.url, auth());
    const events = new Collector(client, EVENTS, { after: start });
    const replayed = await events.take(2);
    expect(replayed.map((r) => r.data.changeEvents.type)).toEqual(['MOVE', 'NAME_CHANGE']);
    expect(replayed[0]!.errors).toBeUndefined();
    expect(replayed[0]!.data.changeEvents.person).toEqual({
      name: { givenNames: 'Anna', familyName: 'Östlund' },
      address: { municipalityCode: '0180' },
      familyRelations: { totalCount: 1, edges: [{ node: { kind: 'SPOUSE', relative: { name: { givenNames: 'Erik' } } } }] },
    });
    await write('DEATH');
    await write('CIVIL_STATUS_CHANGE', erik);
    const all = await events.take(4);
    expect(all.map((r) => r.data.changeEvents.type)).toEqual(['MOVE', 'NAME_CHANGE', 'DEATH', 'CIVIL_STATUS_CHANGE']);
    expect(all[3]!.data.changeEvents.person.name.givenNames).toBe('Erik');
    // Same events, same order, as the pull query gives after the same cursor.
    const pulled = await stack.query(`query($a: String) { changeEvents(after: $a, first: 10) { edges { node { cursor } } } }`, { a: start });
    expect(all.map((r) => r.data.changeEvents.cursor)).toEqual(pulled.data.changeEvents.edges.map((e: any) => e.node.cursor));
    events.stop();
    await client.dispose();
  });

  it('resumes after a disconnect from the last cursor: missed events once, then live, no gap', async () => {
    const start = await endCursor();
    await write('MOVE', anna, 3);
    const first = connect(stack.gateway.url, auth());
    const a = new Collector(first, EVENTS, { after: start });
    const got = await a.take(2);
    await first.dispose();
    await write('EMIGRATION', anna, 2);
    const second = connect(stack.gateway.url, auth());
    const b = new Collector(second, EVENTS, { after: got[1]!.data.changeEvents.cursor });
    await write('IMMIGRATION');
    const rest = await b.take(4);
    expect(rest.map((r) => r.data.changeEvents.type)).toEqual(['MOVE', 'EMIGRATION', 'EMIGRATION', 'IMMIGRATION']);
    const cursors = [...got, ...rest].map((r) => r.data.changeEvents.cursor);
    expect(new Set(cursors).size).toBe(6);
    b.stop();
    await second.dispose();
  });

  it('delivers only the event types of the filter', async () => {
    const start = await endCursor();
    const client = connect(stack.gateway.url, auth());
    const deaths = new Collector(client, EVENTS, { after: start, filter: { types: ['DEATH'] } });
    await write('MOVE', anna, 5);
    await write('DEATH', erik);
    const [only] = await deaths.take(1);
    expect(only!.data.changeEvents).toMatchObject({ type: 'DEATH', person: { name: { givenNames: 'Erik' } } });
    await write('NAME_CHANGE');
    await write('DEATH', anna);
    const two = await deaths.take(2);
    expect(two.map((r) => r.data.changeEvents.person.name.givenNames)).toEqual(['Erik', 'Anna']);
    deaths.stop();
    await client.dispose();
  });

  it('identical live subscriptions of one caller share one upstream feed', async () => {
    const own = { authorization: `Bearer ${await stack.issue({ sub: 'dashboard', client: 'kommun-y' })}` };
    const c1 = connect(stack.gateway.url, own);
    const c2 = connect(stack.gateway.url, own);
    const live = `subscription { changeEvents { type person { name { givenNames } } } }`;
    const s1 = new Collector(c1, live);
    const s2 = new Collector(c2, live);
    // Both are attached to one feed (the server says so; a client cannot tell before events flow).
    await stack.gateway.subscriptions.until((s) => s.feeds.includes(2));
    await write('NAME_CHANGE', erik);
    const [r1] = await s1.take(1);
    const [r2] = await s2.take(1);
    expect(r1).toEqual({ data: { changeEvents: { type: 'NAME_CHANGE', person: { name: { givenNames: 'Erik' } } } } });
    expect(r2).toEqual(r1);
    s1.stop();
    s2.stop();
    await Promise.all([c1.dispose(), c2.dispose()]);
  });
});
