import { describe, expect, it } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { DEFAULT_POLICY, Policy } from '../../gateway/policy.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/** A deployment that keeps contact-detail changes to callers who may write contact details. */
const policy = new Policy({ ...DEFAULT_POLICY, eventTypes: { CONTACT_DETAILS_CHANGE: { scope: 'person:write' } } });

let anna: FixturePerson;

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
    await db.transaction((tx) =>
      appendChangeEvents(tx, [
        { type: 'MOVE', personId: anna.id, identifier: anna.identifier, municipalityBefore: '0180', municipalityAfter: '1480' },
        { type: 'CONTACT_DETAILS_CHANGE', personId: anna.id, identifier: anna.identifier, details: { version: 2, changedFields: ['email'] } },
      ]),
    );
  },
  stack: () => ({ policy }),
});

const PULL = `query($types: [ChangeEventType!]) { changeEvents(first: 100, filter: { types: $types }) { edges { node { type } } } }`;

describe('event types the policy keeps from a caller', () => {
  it('never appear in an unfiltered pull, and are there for a caller with the scope', async () => {
    const plain = await env.stack.query(PULL, {});
    expect(plain.errors).toBeUndefined();
    expect(plain.data.changeEvents.edges.map((e: any) => e.node.type)).toEqual(['MOVE']);
    const token = await env.stack.issue({ scope: 'folkreg:read person:write', sub: 'clerk' });
    const scoped = await env.stack.queryAs(token, PULL);
    expect(scoped.data.changeEvents.edges.map((e: any) => e.node.type)).toEqual(['MOVE', 'CONTACT_DETAILS_CHANGE']);
  });

  it('asking for one is FORBIDDEN, naming it', async () => {
    const res = await env.stack.query(PULL, { types: ['CONTACT_DETAILS_CHANGE'] });
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.eventTypes])).toEqual([['FORBIDDEN', ['CONTACT_DETAILS_CHANGE']]]);
  });

  it('a websocket subscription asking for one is refused at subscribe time', async () => {
    const token = await env.stack.issue({ scope: 'folkreg:read', sub: 'ws-reader' });
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${token}` });
    try {
      const sub = new Collector(client, `subscription { changeEvents(after: null, filter: { types: [CONTACT_DETAILS_CHANGE] }) { cursor type } }`);
      const ending = await sub.ended;
      expect(ending.kind).toBe('errors');
      expect(ending.kind === 'errors' && ending.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(sub.results).toEqual([]);
    } finally {
      await client.dispose();
    }
  });

  it("a subscriber who may read a type the gateway's own reader may not gets those events live", async () => {
    const token = await env.stack.issue({ scope: 'folkreg:read person:write', sub: 'ws-clerk' });
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${token}` });
    try {
      const sub = new Collector(client, `subscription($who: [String!]) { changeEvents(filter: { personIdentifiers: $who }) { type } }`, {
        who: [anna.identifier],
      });
      await env.stack.gateway.subscriptions.until((s) => s.subscribers === 1);
      await env.db.transaction((tx) =>
        appendChangeEvents(tx, [
          { type: 'CONTACT_DETAILS_CHANGE', personId: anna.id, identifier: anna.identifier, details: { version: 3, changedFields: ['phone'] } },
        ]),
      );
      // Nothing else is written: only this event can wake the subscriber.
      expect((await sub.take(1)).map((r) => r.data.changeEvents.type)).toEqual(['CONTACT_DETAILS_CHANGE']);
    } finally {
      await client.dispose();
    }
  });

  it('a durable subscription naming one is refused when the filter is written (create and add), as at pull, and nothing is stored', async () => {
    const token = await env.stack.issue({ scope: 'folkreg:read events:subscribe', client: 'integrator', sub: 'integrator' });
    const as = { authorization: `Bearer ${token}` };
    const forbidden = [['FORBIDDEN', ['CONTACT_DETAILS_CHANGE']]];
    const created = await env.stack.query(
      `mutation { createEventSubscription(input: { name: "contacts", filter: { types: [MOVE, CONTACT_DETAILS_CHANGE] } }) { id } }`,
      {},
      as,
    );
    expect(created.errors?.map((e) => [e.extensions?.code, e.extensions?.eventTypes])).toEqual(forbidden);
    const listed = await env.stack.query(`{ eventSubscriptions { id } }`, {}, as);
    expect(listed.data.eventSubscriptions).toEqual([]);

    const ok = await env.stack.query(`mutation { createEventSubscription(input: { filter: { types: [MOVE] } }) { id } }`, {}, as);
    expect(ok.errors).toBeUndefined();
    const id = ok.data.createEventSubscription.id;
    const added = await env.stack.query(
      `mutation($id: ID!) { addEventTypeFilters(subscriptionId: $id, types: [DEATH, CONTACT_DETAILS_CHANGE]) { value result } }`,
      { id },
      as,
    );
    expect(added.errors?.map((e) => [e.extensions?.code, e.extensions?.eventTypes])).toEqual(forbidden);
    const read = await env.stack.query(`query($id: ID!) { eventSubscription(id: $id) { filters { types } } }`, { id }, as);
    expect(read.data.eventSubscription.filters.types).toEqual(['MOVE']);
    // So the subscription stays readable.
    const pull = await env.stack.query(`query($id: ID!) { changeEvents(first: 10, subscriptionId: $id, after: null) { edges { node { type } } } }`, { id }, as);
    expect(pull.errors).toBeUndefined();
    expect(pull.data.changeEvents.edges.map((e: any) => e.node.type)).toEqual(['MOVE']);

    // A caller who may read the type subscribes to it.
    const clerk = await env.stack.issue({ scope: 'folkreg:read person:write events:subscribe', client: 'clerk', sub: 'clerk' });
    const allowed = await env.stack.query(
      `mutation { createEventSubscription(input: { filter: { types: [CONTACT_DETAILS_CHANGE] } }) { id } }`,
      {},
      { authorization: `Bearer ${clerk}` },
    );
    expect(allowed.errors).toBeUndefined();
  });

  it('a policy naming an unknown event type stops the start', () => {
    expect(() => new Policy({ ...DEFAULT_POLICY, eventTypes: { TELEPORT: { scope: 'x' } } })).toThrow(/unknown change event type 'TELEPORT'/);
  });
});
