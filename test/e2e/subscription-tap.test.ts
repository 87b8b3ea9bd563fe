import { beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents, type NewChangeEvent } from '../../db/outbox.js';
import { protectionMarkers } from '../../db/schema/index.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson } from '../support/fixtures.js';
import { DEFAULT_POLICY, Policy, UNRESTRICTED_SCOPE } from '../../gateway/policy.js';
import { startTestStack, useTestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/**
 * Many live subscriptions with filters of their own: the gateway reads each new stretch of the log once
 * and runs a subscriber's batch query only when the stretch may hold an event for it. Every subscriber
 * must still get exactly its events, whatever the gateway could or could not see of them.
 */

let token: string;

const PERSONS = Array.from({ length: 12 }, (_, i) => personalIdentityNumber({ birthDate: '1990-05-01', serial: 10 + i }));
/** An event every subscriber below follows, written last: what was delivered before it is all there is. */
const SENTINEL = personalIdentityNumber({ birthDate: '1950-01-01', serial: 7 });
const STRANGER = personalIdentityNumber({ birthDate: '1960-01-01', serial: 9 });

const FOLLOW = /* GraphQL */ `
  subscription Follow($who: [String!]) {
    changeEvents(filter: { personIdentifiers: $who }) {
      type
      identifier
    }
  }
`;

async function commit(events: NewChangeEvent[]) {
  await env.db.transaction((tx) => appendChangeEvents(tx, events));
}

const env = useTestStack({
  seed: async () => {
    await commit([{ type: 'PERSON_REGISTERED', identifier: STRANGER }]);
  },
});

beforeAll(async () => {
  token = await env.stack.issue({ scope: 'folkreg:read', sub: 'integrator', client: 'kommun-tap' });
});

describe('filtered live subscriptions, pre-checked by the gateway', () => {
  it('each subscriber gets exactly its own events; subscribers with nothing in a stretch run no batch query', async () => {
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${token}` });
    const followers = PERSONS.map((who) => new Collector(client, FOLLOW, { who: [who, SENTINEL] }));
    await env.stack.gateway.subscriptions.until((s) => s.feeds.length === PERSONS.length && s.subscribers === PERSONS.length);
    const before = env.stack.gateway.subscriptions.stats().batches;

    // One commit: events of the first three persons (two for the first) and of someone nobody follows.
    await commit([
      { type: 'MOVE', identifier: PERSONS[0] },
      { type: 'NAME_CHANGE', identifier: STRANGER },
      { type: 'NAME_CHANGE', identifier: PERSONS[1] },
      { type: 'DEATH', identifier: PERSONS[2] },
      { type: 'CIVIL_STATUS_CHANGE', identifier: PERSONS[0] },
    ]);
    await Promise.all([followers[0]!.take(2), followers[1]!.take(1), followers[2]!.take(1)]);
    // One batch query for each of the three subscribers with events; none for the other nine.
    expect(env.stack.gateway.subscriptions.stats().batches - before).toBe(3);

    await commit([{ type: 'MOVE', identifier: SENTINEL }]);
    const expected: Record<number, string[]> = { 0: ['MOVE', 'CIVIL_STATUS_CHANGE'], 1: ['NAME_CHANGE'], 2: ['DEATH'] };
    for (const [i, follower] of followers.entries()) {
      const own = (expected[i] ?? []).map((type) => ({ type, identifier: PERSONS[i] }));
      const got = await follower.take(own.length + 1);
      expect(got.map((r) => r.data.changeEvents)).toEqual([...own, { type: 'MOVE', identifier: SENTINEL }]);
      expect(follower.results).toHaveLength(own.length + 1);
    }
    followers.forEach((f) => f.stop());
    await client.dispose();
  });

  it("delivers an event whose filtered facts are masked for the gateway's own reader", async () => {
    const hidden = await insertPerson(env.db, { identifier: '197001011236', givenNames: 'Hemlig', familyName: 'Person', municipalityCode: '0180' });
    await env.db.insert(protectionMarkers).values({ personId: hidden.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01' });
    // A subscriber entitled to the address: a municipality filter may match this person for them (for
    // anyone else it never does, see event-side-doors.test.ts).
    const entitled = await env.stack.issue({ scope: 'folkreg:read person:unrestricted', sub: 'handlaggare', client: 'kommun-tap', purpose: 'case-handling' });
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${entitled}` });
    const movesInto = new Collector(client, `subscription { changeEvents(filter: { municipalityCodes: ["1480"] }) { type municipalityAfter } }`);
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 1);
    await commit([{ type: 'MOVE', personId: hidden.id, identifier: hidden.identifier, municipalityBefore: '0180', municipalityAfter: '1480' }]);
    const [event] = await movesInto.take(1);
    // Delivered by the subgraph's filter on the real value, which the gateway's own reader could not see.
    expect(event!.data.changeEvents).toEqual({ type: 'MOVE', municipalityAfter: '1480' });
    expect(event!.errors).toBeUndefined();
    movesInto.stop();
    await client.dispose();
  });
});

describe("persons the policy excludes from the gateway's own reader", () => {
  it('still wake the pre-checked feed of a subscriber who may see them', async () => {
    // A deployment that excludes marketing-protected persons from everyone but entitled callers: the
    // tap, reading as the gateway's own caller, never sees their events at all.
    const policy = new Policy({ ...DEFAULT_POLICY, DK_MARKETING: [{ categories: '*', unlessScope: UNRESTRICTED_SCOPE }] });
    const excludedStack = await startTestStack(env.db, { policy });
    try {
      const person = await insertPerson(env.db, {
        identifier: '0202024001',
        country: 'DK',
        givenNames: 'Reklame',
        familyName: 'Fri',
        municipalityCode: '101',
      });
      await env.db.insert(protectionMarkers).values({ personId: person.id, kind: 'DK_MARKETING', validFrom: '2020-01-01' });
      const entitled = await excludedStack.issue({
        scope: `folkreg:read ${UNRESTRICTED_SCOPE}`,
        sub: 'analyst',
        client: 'kommun-tap-2',
        purpose: 'case-handling',
      });
      const client = connect(excludedStack.gateway.url, { authorization: `Bearer ${entitled}` });
      const follower = new Collector(client, FOLLOW, { who: [person.identifier] });
      await excludedStack.gateway.subscriptions.until((s) => s.subscribers === 1);
      await commit([{ type: 'NAME_CHANGE', personId: person.id, identifier: person.identifier }]);
      const [event] = await follower.take(1);
      expect(event!.data.changeEvents).toEqual({ type: 'NAME_CHANGE', identifier: person.identifier });
      follower.stop();
      await client.dispose();
    } finally {
      await excludedStack.close();
    }
  });
});
