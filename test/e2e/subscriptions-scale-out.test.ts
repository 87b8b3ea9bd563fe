import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/**
 * Two gateways, each with its own subgraphs (so two subscription subgraphs), on one database, and a
 * writer of its own: every subscriber on either gateway gets every event. On Postgres each replica has
 * its own pool and LISTEN connection, as separate processes would; on PGlite (one process, one backend)
 * both share the embedded database and its in-process LISTEN.
 *
 * The head long-poll waits 30 s: were the NOTIFY at commit not heard, each of the rounds below would
 * stall until that timeout and the test would run out of time.
 */

let database: TestDatabase;
let replicas: Database[] = [];
let stacks: TestStack[] = [];
let person: FixturePerson;

beforeAll(async () => {
  database = await createTestDatabase();
  person = await insertPerson(database.db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
  // A first event, so the log has a head to resume after (an empty log's head is null: "from now").
  await database.db.transaction((tx) => appendChangeEvents(tx, [{ type: 'PERSON_REGISTERED', personId: person.id }]));
  const secrets = await ephemeralSecrets();
  const issuer = await ephemeralDevIssuer();
  replicas = database.url ? await Promise.all([0, 1].map(() => openDatabase({ url: database.url!, maxConnections: 5 }))) : [database, database];
  stacks = await Promise.all(replicas.map((r) => startTestStack(r.db, { secrets, issuer, subscriptions: { headWaitSeconds: 30 } })));
});

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
  await Promise.all(replicas.filter((r) => r !== database).map((r) => r.close()));
  await database?.dispose();
});

describe('scale-out: two gateways and two subscription subgraphs on one database', () => {
  it('subscribers on either gateway receive every event, in the same order', async () => {
    const [a, b] = stacks as [TestStack, TestStack];
    const start = (await a.query(`{ changeEventsHead }`)).data.changeEventsHead;
    expect(start).toEqual(expect.any(String));
    const token = await a.issue({ scope: 'folkreg:read', sub: 'integrator' });
    const query = `subscription($after: String) { changeEvents(after: $after) { cursor type person { name { givenNames } } } }`;
    const clients = [a, b, b].map((s) => connect(s.gateway.url, { authorization: `Bearer ${token}` }));
    const subscribers = clients.map((c) => new Collector(c, query, { after: start }));
    const rounds = 4;
    for (let round = 1; round <= rounds; round++) {
      await database.db.transaction((tx) =>
        appendChangeEvents(tx, [
          { type: 'MOVE', personId: person.id, details: { round } },
          { type: 'NAME_CHANGE', personId: person.id, details: { round } },
        ]),
      );
      // Each round is delivered live (after a NOTIFY) before the next one is written.
      for (const s of subscribers) await s.take(round * 2);
    }
    const seen = subscribers.map((s) => s.results.map((r) => r.data.changeEvents.cursor));
    expect(new Set(seen[0]).size).toBe(rounds * 2);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    expect(subscribers[1]!.results[0]!.data.changeEvents).toMatchObject({ type: 'MOVE', person: { name: { givenNames: 'Anna' } } });
    for (const s of subscribers) s.stop();
    await Promise.all(clients.map((c) => c.dispose()));
  });
});
