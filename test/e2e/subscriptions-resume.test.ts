import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { type ChangeEventType } from '../../kernel/events.js';
import { folkregClient, followChangeEvents, type ChangeEvent } from '../clients/follow-change-events.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';

/**
 * The README's graphql-ws snippet for integrators, run as written: a client whose socket is lost while
 * its subscription is open reconnects by itself and gets every event exactly once — where the same
 * client subscribed the plain way replays from its original `after`.
 */

let anna: FixturePerson;
let proxy: Proxy;

/** A TCP proxy to the gateway whose open connections the test can cut (the client sees 1006). */
interface Proxy {
  url: string;
  cut(): number;
  close(): Promise<void>;
}

async function startProxy(target: URL): Promise<Proxy> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    cut: () => {
      const n = open.size;
      for (const s of open) s.destroy();
      return n;
    },
    close: () => new Promise((ok) => server.close(() => ok())), // after the clients are disposed
  };
}

async function write(type: ChangeEventType) {
  await env.db.transaction((tx) =>
    appendChangeEvents(tx, [{ type, personId: anna.id, identifier: anna.identifier, occurredAt: new Date('2025-03-01T00:00:00Z') }]),
  );
}

/** Events as a follower receives them; `until(n)` waits for the n-th. */
class Received {
  readonly events: ChangeEvent[] = [];
  private wake: (() => void)[] = [];
  push = (event: ChangeEvent) => {
    this.events.push(event);
    for (const ok of this.wake.splice(0)) ok();
  };
  async until(n: number): Promise<ChangeEvent[]> {
    while (this.events.length < n) await new Promise<void>((ok) => this.wake.push(ok));
    return this.events;
  }
}

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
    await write('PERSON_REGISTERED'); // so the log has a head to start after
  },
});

beforeAll(async () => {
  proxy = await startProxy(new URL(env.stack.gateway.url));
});

afterAll(async () => {
  await proxy?.close();
});

describe('the README’s graphql-ws client for integrators', () => {
  it('loses its socket with a subscription open, reconnects, and gets every event exactly once', async () => {
    const token = () => env.stack.issue({ scope: 'folkreg:read', sub: 'integrator' });
    // As in the README, plus Node 20's WebSocket and no back-off pause (the test cuts on purpose).
    const options = { webSocketImpl: WebSocket, retryWait: async () => {} };
    const reconnects = (client: Client) => {
      let n = 0;
      const waiting: (() => void)[] = [];
      client.on('connected', (_socket, _payload, wasRetry) => {
        if (wasRetry) n++;
        for (const ok of waiting.splice(0)) ok();
      });
      return { count: () => n, next: () => new Promise<void>((ok) => waiting.push(ok)) };
    };
    const start = (await env.stack.query(`{ changeEventsHead }`)).data.changeEventsHead as string;
    await write('MOVE');
    await write('NAME_CHANGE');

    const followerClient = folkregClient(proxy.url, token, options);
    const follower = new Received();
    const ends: unknown[] = [];
    const stopFollowing = followChangeEvents(followerClient, 'type person { name { givenNames } }', start, follower.push, (e) => ends.push(e));

    // The same client, subscribed the plain way: the payload keeps its original `after`.
    const plainClient = folkregClient(proxy.url, token, options);
    const plain = new Received();
    const stopPlain = plainClient.subscribe<{ changeEvents: ChangeEvent }>(
      { query: `subscription($after: String) { changeEvents(after: $after) { cursor type } }`, variables: { after: start } },
      { next: (r) => r.data && plain.push(r.data.changeEvents), error: (e) => ends.push(e), complete: () => {} },
    );

    await follower.until(2);
    await plain.until(2);
    await write('DEATH');
    await follower.until(3);
    await plain.until(3);

    const followerBack = reconnects(followerClient).next();
    const plainBack = reconnects(plainClient).next();
    expect(proxy.cut()).toBeGreaterThanOrEqual(4); // both sockets, each side
    await Promise.all([followerBack, plainBack]);
    await write('CIVIL_STATUS_CHANGE');

    const got = await follower.until(4);
    expect(got.map((e) => e.type)).toEqual(['MOVE', 'NAME_CHANGE', 'DEATH', 'CIVIL_STATUS_CHANGE']);
    expect(new Set(got.map((e) => e.cursor)).size).toBe(4);
    expect(got[0]).toMatchObject({ person: { name: { givenNames: 'Anna' } } });

    // The plain subscription was re-sent with the original `after`: it gets the first three again.
    const replayed = await plain.until(7);
    expect(replayed.map((e) => e.type)).toEqual(['MOVE', 'NAME_CHANGE', 'DEATH', 'MOVE', 'NAME_CHANGE', 'DEATH', 'CIVIL_STATUS_CHANGE']);
    // The follower got nothing more meanwhile: the last event both were sent is its fourth.
    expect(follower.events).toHaveLength(4);
    expect(ends).toEqual([]);

    stopFollowing();
    stopPlain();
    await Promise.all([followerClient.dispose(), plainClient.dispose()]);
  });
});
