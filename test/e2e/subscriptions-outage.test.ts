import { afterAll, describe, expect, it } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { type ChangeEventType } from '../../kernel/events.js';
import { SubscriptionCloseCode } from '../../gateway/websocket/index.js';
import { subgraphs } from '../../subgraphs/index.js';
import { CursorCodec } from '../../subgraphs/shared/cursor.js';
import { ephemeralSecrets, type StackSecrets } from '../../kernel/secrets.js';
import { startSubgraph } from '../../subgraphs/shared/server.js';
import { type RunningServer } from '../../kernel/lifecycle.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { codes, useTestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/**
 * What a graphql-ws client sees when the subscription subgraph (the change-event log) is down: open
 * subscriptions wait, and so do new ones, with `after` or live — nothing is refused with an error a
 * "reconnect after any close" client would never retry; once the subgraph is back every subscription
 * gets every event exactly once. And what it sees when its token has already expired at connect.
 */

let secrets: StackSecrets;
let anna: FixturePerson;
let restarted: RunningServer | undefined;

const EVENTS = /* GraphQL */ `
  subscription Events($after: String) {
    changeEvents(after: $after) {
      cursor
      type
      person {
        name {
          givenNames
        }
      }
    }
  }
`;

async function write(type: ChangeEventType, n = 1) {
  await env.db.transaction((tx) =>
    appendChangeEvents(
      tx,
      Array.from({ length: n }, () => ({ type, personId: anna.id, identifier: anna.identifier, occurredAt: new Date('2025-03-01T00:00:00Z') })),
    ),
  );
}

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
    await write('PERSON_REGISTERED');
    secrets = await ephemeralSecrets();
  },
  stack: () => ({ secrets, subscriptions: { feed: { retryMs: 200 } } }),
});

afterAll(async () => {
  await restarted?.close();
});

describe('the subscription subgraph down', () => {
  it('a subscribe with `after`, or live, is kept open while it is stopped and delivers every event exactly once when it is back', async () => {
    const who = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read', sub: 'integrator' })}` };
    const start = (await env.stack.query(`{ changeEventsHead }`)).data.changeEventsHead as string;
    await write('MOVE', 2);
    const client = connect(env.stack.gateway.url, who);
    const open = new Collector(client, EVENTS, { after: start });
    expect((await open.take(2)).map((r) => r.data.changeEvents.type)).toEqual(['MOVE', 'MOVE']);

    const { port } = env.stack.subgraphs.subscription;
    await env.stack.subgraphs.subscription.close();
    expect(codes(await env.stack.query(`{ changeEventsHead }`))).toContain('SUBGRAPH_UNAVAILABLE');
    const failedBefore = env.stack.gateway.subscriptions.stats().failedBatches;
    const resumed = new Collector(client, EVENTS, { after: start });
    const live = new Collector(client, EVENTS);
    // Both first batches were tried against the stopped subgraph and failed; neither subscription ended.
    const tried = env.stack.gateway.subscriptions.until((s) => s.failedBatches >= failedBefore + 2).then(() => 'still open');
    expect(await Promise.race([tried, resumed.ended, live.ended])).toBe('still open');

    restarted = await startSubgraph(
      subgraphs.subscription,
      { db: env.db, gatewayPublicKey: secrets.gatewayKeys.publicKey, cursors: new CursorCodec(secrets.cursorSecret) },
      { host: '127.0.0.1', port },
    );
    await write('DEATH');
    await write('CIVIL_STATUS_CHANGE'); // the last event: anything after it would be a repeat

    const types = (c: Collector) => c.results.map((r) => r.data?.changeEvents.type);
    await open.take(4);
    await resumed.take(4);
    expect(types(open)).toEqual(['MOVE', 'MOVE', 'DEATH', 'CIVIL_STATUS_CHANGE']);
    expect(types(resumed)).toEqual(['MOVE', 'MOVE', 'DEATH', 'CIVIL_STATUS_CHANGE']);
    expect(resumed.results.map((r) => r.data.changeEvents.cursor)).toEqual(open.results.map((r) => r.data.changeEvents.cursor));
    // Live from the head the gateway last knew (at the latest the MOVEs): the rest of the log, once each.
    while (types(live).at(-1) !== 'CIVIL_STATUS_CHANGE') await live.take(live.results.length + 1);
    expect(types(live).slice(-2)).toEqual(['DEATH', 'CIVIL_STATUS_CHANGE']);
    const cursors = open.results.map((r) => r.data.changeEvents.cursor);
    expect(cursors.slice(-live.results.length)).toEqual(live.results.map((r) => r.data.changeEvents.cursor));
    for (const c of [open, resumed, live]) {
      expect(c.results.every((r) => !r.errors)).toBe(true);
      c.stop();
    }
    await client.dispose();
  });
});

describe('a token already expired at connect', () => {
  it('is refused at connect with 4403 — within the clock skew HTTP tolerates too — not accepted and closed 4419', async () => {
    const expired = await env.stack.issue({ scope: 'folkreg:read', sub: 'late', ttlSeconds: -5 });
    const http = await env.stack.query(`{ changeEventsHead }`, {}, { authorization: `Bearer ${expired}` });
    expect(http.status).toBe(200); // 5 s past exp is within the 30 s skew the verifier allows
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${expired}` });
    const ending = await new Collector(client, EVENTS).ended;
    expect(ending).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.Forbidden });
    expect((ending as { reason: string }).reason).toMatch(/expired/);
    await client.dispose();
  });
});
