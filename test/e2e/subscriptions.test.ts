import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { type ChangeEventType } from '../../kernel/events.js';
import { protectionMarkers } from '../../db/schema/index.js';
import { SubscriptionCloseCode } from '../../gateway/websocket/index.js';
import { insertPerson, relate, type FixturePerson } from '../support/fixtures.js';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { startTestStack, useTestStack } from '../support/stack.js';
import { Collector, connect, wsUrl } from '../support/subscriptions.js';

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
        name {
          givenNames
          familyName
        }
        address {
          municipalityCode
        }
        familyRelations(first: 5) {
          totalCount
          edges {
            node {
              kind
              relative {
                name {
                  givenNames
                }
              }
            }
          }
        }
      }
    }
  }
`;

async function write(type: ChangeEventType, person: FixturePerson = anna, n = 1) {
  await env.db.transaction((tx) =>
    appendChangeEvents(
      tx,
      Array.from({ length: n }, () => ({ type, personId: person.id, identifier: person.identifier, occurredAt: new Date('2025-03-01T00:00:00Z') })),
    ),
  );
}

/** The log's end as a pull client sees it: subscribing after it replays nothing. */
async function endCursor(): Promise<string> {
  const res = await env.stack.query(`{ changeEventsHead }`);
  return res.data.changeEventsHead;
}

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', municipalityCode: '0180' });
    erik = await insertPerson(db, { identifier: '198211059954', givenNames: 'Erik', familyName: 'Åberg' });
    await relate(db, anna.id, 'SPOUSE', erik);
    await write('PERSON_REGISTERED');
  },
  stack: () => ({ subscriptions: { feed: { batchSize: 100, maxBufferedEvents: 200 } } }),
});

beforeAll(async () => {
  token = await env.stack.issue({ scope: 'folkreg:read', sub: 'integrator', client: 'kommun-x' });
});

const auth = () => ({ authorization: `Bearer ${token}` });

describe('websocket subscriptions: replay, then live, exactly once', () => {
  it('replays the events after `after`, then delivers live ones, with fields of every subgraph', async () => {
    const start = await endCursor();
    await write('MOVE');
    await write('NAME_CHANGE');
    const client = connect(env.stack.gateway.url, auth());
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
    const pulled = await env.stack.query(`query($a: String) { changeEvents(after: $a, first: 10) { edges { node { cursor } } } }`, { a: start });
    expect(all.map((r) => r.data.changeEvents.cursor)).toEqual(pulled.data.changeEvents.edges.map((e: any) => e.node.cursor));
    events.stop();
    await client.dispose();
  });

  it('resumes after a disconnect from the last cursor: missed events once, then live, no gap', async () => {
    const start = await endCursor();
    await write('MOVE', anna, 3);
    const first = connect(env.stack.gateway.url, auth());
    const a = new Collector(first, EVENTS, { after: start });
    const got = await a.take(2);
    await first.dispose();
    await write('EMIGRATION', anna, 2);
    const second = connect(env.stack.gateway.url, auth());
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
    const client = connect(env.stack.gateway.url, auth());
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
    const own = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read', sub: 'dashboard', client: 'kommun-y' })}` };
    const c1 = connect(env.stack.gateway.url, own);
    const c2 = connect(env.stack.gateway.url, own);
    const live = `subscription { changeEvents { type person { name { givenNames } } } }`;
    const s1 = new Collector(c1, live);
    const s2 = new Collector(c2, live);
    // Both are attached to one feed (the server says so; a client cannot tell before events flow).
    await env.stack.gateway.subscriptions.until((s) => s.feeds.includes(2));
    await write('NAME_CHANGE', erik);
    const [r1] = await s1.take(1);
    const [r2] = await s2.take(1);
    expect(r1).toEqual({ data: { changeEvents: { type: 'NAME_CHANGE', person: { name: { givenNames: 'Erik' } } } } });
    expect(r2).toEqual(r1);
    s1.stop();
    s2.stop();
    await Promise.all([c1.dispose(), c2.dispose()]);
  });

  it('identical live subscriptions arriving at once share one feed, and each gets every event exactly once, in order', async () => {
    // Ten sockets with ten subscriptions each, all sent before any is answered: the first feed is still
    // looking up the person its filter names when the other 99 arrive.
    const own = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read', sub: 'wall', client: 'kommun-w' })}` };
    // A person of this test alone: no event of an earlier test can be the first this feed sees.
    const wall = await insertPerson(env.db, { identifier: '197503031234', givenNames: 'Vägg', familyName: 'Wall' });
    const live = `subscription($who: [String!]) { changeEvents(filter: { personIdentifiers: $who }) { cursor type } }`;
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 0);
    const clients = Array.from({ length: 10 }, () => connect(env.stack.gateway.url, own));
    const subscribers = clients.flatMap((c) => Array.from({ length: 10 }, () => new Collector(c, live, { who: [wall.identifier] })));
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 100);
    expect(env.stack.gateway.subscriptions.stats().feeds).toEqual([100]);
    const start = await endCursor();
    await write('NAME_CHANGE', wall);
    await write('MOVE', wall, 2);
    await write('DEATH', wall);
    const pulled = await env.stack.query(
      `query($a: String, $who: [String!]) { changeEvents(after: $a, first: 10, filter: { personIdentifiers: $who }) { edges { node { cursor type } } } }`,
      { a: start, who: [wall.identifier] },
    );
    const written = pulled.data.changeEvents.edges.map((e: any) => e.node);
    expect(written.map((e: any) => e.type)).toEqual(['NAME_CHANGE', 'MOVE', 'MOVE', 'DEATH']);
    for (const s of subscribers) expect((await s.take(4)).map((r) => r.data.changeEvents)).toEqual(written);
    // Nothing more, to anyone: an event after them arrives as each one's fifth.
    await write('CIVIL_STATUS_CHANGE', wall);
    for (const s of subscribers) expect((await s.take(5))[4]!.data.changeEvents.type).toBe('CIVIL_STATUS_CHANGE');
    expect(subscribers.map((s) => s.results.length)).toEqual(subscribers.map(() => 5));
    expect(env.stack.gateway.subscriptions.stats().feeds).toEqual([100]);
    subscribers.forEach((s) => s.stop());
    await Promise.all(clients.map((c) => c.dispose()));
  });
});

/** A socket speaking the protocol by hand, for what graphql-ws's client would never send. */
async function rawSocket(url: string) {
  const ws = new WebSocket(wsUrl(url), 'graphql-transport-ws');
  const messages: any[] = [];
  let acked!: () => void;
  const ack = new Promise<void>((ok) => (acked = ok));
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    messages.push(message);
    if (message.type === 'connection_ack') acked();
  });
  const closed = new Promise<{ code: number; reason: string }>((ok) => ws.once('close', (code, reason) => ok({ code, reason: String(reason) })));
  await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
  return { ws, messages, closed, ack };
}

/** A subscription on its own socket that must keep receiving while other clients misbehave. */
async function bystander() {
  const client = connect(env.stack.gateway.url, auth());
  const events = new Collector(client, EVENTS, { after: await endCursor(), filter: { types: ['ADDRESS_CORRECTION'] } });
  return {
    async stillReceives() {
      await write('ADDRESS_CORRECTION', erik);
      const [r] = await events.take(1);
      expect(r!.data.changeEvents.type).toBe('ADDRESS_CORRECTION');
      events.stop();
      await client.dispose();
    },
  };
}

describe('who may connect', () => {
  it('closes with 4401 when connection_init carries no token, 4403 when the token is rejected', async () => {
    const none = new Collector(connect(env.stack.gateway.url, {}), EVENTS);
    expect(await none.ended).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.Unauthorized });
    const foreign = await env.stack.issue({ issuer: 'someone-else' });
    const bad = new Collector(connect(env.stack.gateway.url, { authorization: `Bearer ${foreign}` }), EVENTS);
    const ending = await bad.ended;
    expect(ending).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.Forbidden });
    expect((ending as { reason: string }).reason).toMatch(/issuer/);
  });

  it('ends the stream with 4419 when the token expires while the socket is open', async () => {
    const short = await env.stack.issue({ scope: 'folkreg:read', ttlSeconds: 1, sub: 'short-lived' });
    const events = new Collector(connect(env.stack.gateway.url, { authorization: `Bearer ${short}` }), EVENTS, { after: await endCursor() });
    expect(await events.ended).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.TokenExpired });
  });
});

describe('bad input gets a clear error and harms nobody else', () => {
  it.each([
    ['a malformed cursor', EVENTS, { after: 'not-a-cursor' }, 'BAD_USER_INPUT', 'INVALID_CURSOR'],
    ['an unknown event type', EVENTS, { filter: { types: ['TELEPORTATION'] } }, 'BAD_USER_INPUT', undefined],
    ['an unknown municipality code', EVENTS, { filter: { municipalityCodes: ['9999'] } }, 'BAD_USER_INPUT', 'UNKNOWN_MUNICIPALITY'],
    ['two root fields', `subscription { a: changeEvents { type } b: changeEvents { cursor } }`, {}, 'GRAPHQL_VALIDATION_FAILED', undefined],
    ['an unknown field', `subscription { changeEvents { nope } }`, {}, 'GRAPHQL_VALIDATION_FAILED', undefined],
    ['a syntax error', `subscription { changeEvents { `, {}, undefined, undefined],
  ])('%s', async (_, query, variables, code, reason) => {
    const other = await bystander();
    const client = connect(env.stack.gateway.url, auth());
    const bad = new Collector(client, query, variables);
    const ending = await bad.ended;
    expect(ending.kind).toBe('errors');
    const [error] = (ending as { errors: { message: string; extensions?: Record<string, unknown> }[] }).errors;
    expect(error!.message.length).toBeGreaterThan(0);
    if (code) expect(error!.extensions?.code).toBe(code);
    if (reason) expect(error!.extensions?.reason).toBe(reason);
    // The same socket still serves a good subscription.
    const good = new Collector(client, EVENTS, { after: await endCursor() });
    await write('NAME_CHANGE');
    expect((await good.take(1))[0]!.data.changeEvents.type).toBe('NAME_CHANGE');
    good.stop();
    await client.dispose();
    await other.stillReceives();
  });

  it('refuses a cursor of another connection (a family-relations cursor) with FOREIGN_CURSOR', async () => {
    const page = await env.stack.query(`query($id: String!) { person(identifier: $id) { familyRelations(first: 1) { pageInfo { endCursor } } } }`, {
      id: anna.identifier,
    });
    const foreign = page.data.person.familyRelations.pageInfo.endCursor;
    const bad = new Collector(connect(env.stack.gateway.url, auth()), EVENTS, { after: foreign });
    expect(await bad.ended).toMatchObject({
      kind: 'errors',
      errors: [{ path: ['changeEvents'], extensions: { code: 'BAD_USER_INPUT', reason: 'FOREIGN_CURSOR' } }],
    });
  });

  it('refuses a subscription sent over HTTP with 400, saying where subscriptions are served', async () => {
    const res = await env.stack.query(`subscription { changeEvents { type } }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(res.errors?.[0]?.message).toMatch(/websocket/);
  });

  it('answers a query sent over the socket through the same pipeline', async () => {
    const client = connect(env.stack.gateway.url, auth());
    const res = new Collector(client, `query($id: String!) { person(identifier: $id) { name { givenNames } } }`, { id: anna.identifier });
    expect(await res.take(1)).toEqual([{ data: { person: { name: { givenNames: 'Anna' } } } }]);
    expect(await res.ended).toEqual({ kind: 'complete' });
    await client.dispose();
  });

  it.each([
    ['a frame that is not JSON', (ws: WebSocket) => ws.send('{{{'), 4400],
    ['a message of no known type', (ws: WebSocket) => ws.send(JSON.stringify({ type: 'explode' })), 4400],
    ['subscribe before connection_init', (ws: WebSocket) => ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: EVENTS } })), 4401],
    [
      'connection_init twice',
      (ws: WebSocket) => {
        ws.send(JSON.stringify({ type: 'connection_init', payload: auth() }));
        ws.send(JSON.stringify({ type: 'connection_init', payload: auth() }));
      },
      4429,
    ],
  ])('closes only the offending socket on %s', async (_, misbehave, code) => {
    const other = await bystander();
    const raw = await rawSocket(env.stack.gateway.url);
    misbehave(raw.ws);
    expect((await raw.closed).code).toBe(code);
    await other.stillReceives();
  });
});

describe('slow consumers', () => {
  // Wide events (the cursor 200 times over, ~25 kB) fill the kernel's socket buffers (megabytes on loopback).
  const WIDE = `subscription { changeEvents { ${Array.from({ length: 200 }, (_, i) => `c${i}: cursor`).join(' ')} type } }`;

  it('closes a client that stops reading with 4413 while a client of the same feed gets every event', async () => {
    const who = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read', sub: 'wide', client: 'wide' })}` };
    const fastClient = connect(env.stack.gateway.url, who);
    const fast = new Collector(fastClient, WIDE);
    const slow = await rawSocket(env.stack.gateway.url);
    slow.ws.send(JSON.stringify({ type: 'connection_init', payload: who }));
    await slow.ack;
    slow.ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: WIDE } }));
    await env.stack.gateway.subscriptions.until((s) => s.feeds.includes(2));
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const total = 1_000;
    await write('MOVE', anna, total);
    const got = await fast.take(total).catch((err) => {
      throw new Error(`${err.message}; got ${fast.results.length}; stats ${JSON.stringify(env.stack.gateway.subscriptions.stats())}`);
    });
    expect(new Set(got.map((r) => r.data.changeEvents.c0)).size).toBe(total);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.closed).code).toBe(SubscriptionCloseCode.SlowConsumer);
    expect(slow.messages.filter((m) => m.type === 'next').length).toBeLessThan(total);
    fast.stop();
    await fastClient.dispose();
  });
});

describe('restarts', () => {
  it('a shutdown closes sockets with 1012; resuming on the restarted gateway delivers the rest exactly once', async () => {
    const secrets = await ephemeralSecrets();
    const issuer = await ephemeralDevIssuer();
    const who = { authorization: `Bearer ${await issuer.issue({ scope: 'folkreg:read', sub: 'integrator' })}` };
    const first = await startTestStack(env.db, { secrets, issuer });
    const start = (await first.query(`{ changeEventsHead }`)).data.changeEventsHead;
    const before = new Collector(connect(first.gateway.url, who), EVENTS, { after: start });
    await write('MOVE', anna, 2);
    const got = await before.take(2);
    await first.close();
    expect(await before.ended).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.ServiceRestart });
    await write('DEATH', anna);
    const second = await startTestStack(env.db, { secrets, issuer });
    try {
      const client = connect(second.gateway.url, who);
      const after = new Collector(client, EVENTS, { after: got[1]!.data.changeEvents.cursor });
      await write('CIVIL_STATUS_CHANGE', erik);
      const rest = await after.take(2);
      expect(rest.map((r) => r.data.changeEvents.type)).toEqual(['DEATH', 'CIVIL_STATUS_CHANGE']);
      after.stop();
      await client.dispose();
    } finally {
      await second.close();
    }
  });
});

describe('durable subscriptions over the socket', () => {
  const BY_SUBSCRIPTION = `subscription($id: ID!) { changeEvents(subscriptionId: $id) { cursor type person { name { givenNames } } } }`;

  it("delivers what the caller's durable subscription selects, from its acknowledged position; another client's is refused", async () => {
    const owner = `Bearer ${await env.stack.issue({ scope: 'folkreg:read events:subscribe', sub: 'abonnent', client: 'kommun-z' })}`;
    const created = await env.stack.query(
      `mutation { createEventSubscription(input: { name: "deaths", filter: { types: [DEATH] } }) { id } }`,
      {},
      { authorization: owner },
    );
    const id = created.data.createEventSubscription.id;
    await write('DEATH', erik); // before the acknowledged position: never delivered
    const acked = await env.stack.query(
      `mutation($id: ID!, $c: String!) { acknowledgeEvents(subscriptionId: $id, cursor: $c) { advanced } }`,
      { id, c: await endCursor() },
      { authorization: owner },
    );
    expect(acked.data.acknowledgeEvents.advanced).toBe(true);
    await write('MOVE', anna);
    await write('DEATH', anna);
    const client = connect(env.stack.gateway.url, { authorization: owner });
    const events = new Collector(client, BY_SUBSCRIPTION, { id });
    const [first] = await events.take(1);
    expect(first!.data.changeEvents).toMatchObject({ type: 'DEATH', person: { name: { givenNames: 'Anna' } } });
    await write('NAME_CHANGE', erik);
    await write('DEATH', erik);
    const two = await events.take(2);
    expect(two[1]!.data.changeEvents).toMatchObject({ type: 'DEATH', person: { name: { givenNames: 'Erik' } } });
    events.stop();
    await client.dispose();

    const stranger = `Bearer ${await env.stack.issue({ scope: 'folkreg:read events:subscribe', sub: 'other', client: 'kommun-w' })}`;
    const refused = new Collector(connect(env.stack.gateway.url, { authorization: stranger }), BY_SUBSCRIPTION, { id });
    const ending = await refused.ended;
    expect(ending.kind).toBe('errors');
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain((ending as { errors: { extensions?: Record<string, unknown> }[] }).errors[0]!.extensions?.code);
  });
});

describe('protected identity inside events', () => {
  it("masks a protected person's hidden fields in every event, as over HTTP", async () => {
    const hidden = await insertPerson(env.db, { identifier: '197001011236', givenNames: 'Hemlig', familyName: 'Person', municipalityCode: '0180' });
    await env.db.insert(protectionMarkers).values({ personId: hidden.id, kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2020-01-01' });
    const start = await endCursor();
    const client = connect(env.stack.gateway.url, auth());
    const events = new Collector(
      client,
      `subscription($after: String) { changeEvents(after: $after) { type municipalityAfter person { name { givenNames } address { municipalityCode } } } }`,
      { after: start },
    );
    await env.db.transaction((tx) =>
      appendChangeEvents(tx, [{ type: 'MOVE', personId: hidden.id, identifier: hidden.identifier, municipalityBefore: '0180', municipalityAfter: '1480' }]),
    );
    const [event] = await events.take(1);
    // Swedish reduced profile: the name stays, the address (and municipality) is hidden without person:unrestricted.
    expect(event!.data.changeEvents.person.name).toEqual({ givenNames: 'Hemlig' });
    expect(event!.data.changeEvents.person.address).toBeNull();
    expect(event!.data.changeEvents.municipalityAfter).toBeNull();
    const masked = (event!.errors ?? []).map((e: any) => [e.extensions?.code, e.path?.join('.')]);
    expect(masked).toContainEqual(['PROTECTED_IDENTITY', 'changeEvents.person.address']);
    expect(masked).toContainEqual(['PROTECTED_IDENTITY', 'changeEvents.municipalityAfter']);
    events.stop();
    await client.dispose();
  });
});
