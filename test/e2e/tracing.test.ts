import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectionMarkers } from '../../db/schema/index.js';
import { UNRESTRICTED_SCOPE } from '../../gateway/policy.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { startTracing, type Tracing } from '../../kernel/tracing.js';
import { insertPerson, relate } from '../support/fixtures.js';
import { startOtlpReceiver, traceTree, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { bearer, graphql, useTestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/**
 * Tracing on, as a launcher turns it on with OTEL_EXPORTER_OTLP_ENDPOINT: before the database opens and
 * the stack starts (this file's own process; every other test file runs with tracing off). Spans are sent
 * to an OTLP/HTTP receiver on loopback, as JSON.
 */
let receiver: OtlpReceiver;
let tracing: Tracing;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = startTracing({ endpoint: receiver.endpoint, serviceName: 'folkreg-test', exportDelayMs: 100 });
});
afterAll(async () => {
  await tracing?.shutdown();
  await receiver?.close();
});

const env = useTestStack({
  seed: async (db) => {
    const astrid = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1971-04-18', serial: 246 }),
      givenNames: 'Astrid',
      familyName: 'Lindqvist',
      birthDate: '1971-04-18',
    });
    const child = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '2003-09-30', serial: 357 }),
      givenNames: 'Ebba',
      familyName: 'Lindqvist',
    });
    await relate(db, astrid.id, 'CHILD', { id: child.id });
    await relate(db, astrid.id, 'SPOUSE', { name: 'Henning Lindqvist', birthDate: '1969-01-12' });
    const guarded = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1958-12-02', serial: 468 }),
      givenNames: 'Gunvor',
      familyName: 'Skyddad',
    });
    await db.insert(protectionMarkers).values({ personId: guarded.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01' });
    return { astrid, child, guarded };
  },
});

const FAMILY_PAGE = /* GraphQL */ `
  query FamilyPage($id: String!) {
    person(identifier: $id) {
      name {
        givenNames
        familyName
      }
      familyRelations(first: 5) {
        totalCount
        edges {
          node {
            kind
            relativeName
            relative {
              name {
                givenNames
              }
              address {
                streetName
                postalCode
              }
            }
          }
        }
      }
    }
  }
`;

/** The received spans that `match`, once there are some: spans are sent in batches, ends after a response. */
async function arrived(match: (s: ReceivedSpan) => boolean): Promise<ReceivedSpan[]> {
  const matching = () => receiver.spans.filter(match);
  for (let tries = 0; matching().length === 0 && tries < 100; tries++) {
    await new Promise((ok) => setTimeout(ok, 50));
    await tracing.flush();
  }
  return matching();
}

/** The spans of the trace whose root is the gateway's span of one GraphQL request, after it ended. */
async function traceOfOneRequest(send: () => Promise<unknown>): Promise<ReceivedSpan[]> {
  await tracing.flush();
  receiver.spans.length = 0;
  await send();
  // The gateway's span ends once the response has gone (after the client has it).
  const roots = await arrived((s) => !s.parentSpanId && s.attributes['folkreg.service'] === 'gateway');
  expect(roots).toHaveLength(1);
  return receiver.spans.filter((s) => s.traceId === roots[0]!.traceId);
}

describe('traces', () => {
  it('follow one family page from the gateway through each subgraph fetch to loader batches and SQL, without personal data', async () => {
    const { astrid, child } = env.seeded;
    const token = await env.stack.token('folkreg:read', { sub: 'trace-reader', client: 'trace-app' });
    let answer: { data?: { person: { familyRelations: { totalCount: number } } } } | undefined;
    const spans = await traceOfOneRequest(async () => {
      answer = await graphql(env.stack.gateway.url, FAMILY_PAGE, { id: astrid.identifier }, bearer(token));
    });
    expect(answer?.data?.person.familyRelations.totalCount).toBe(2);

    console.log(`trace ${spans[0]!.traceId}, ${spans.length} spans:\n${traceTree(spans)}`);

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (s: ReceivedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
    const named = (name: string) => spans.filter((s) => s.name === name);

    // The gateway: its request span, Apollo's request, plan and fetches, the guard's preparation and masking.
    const [root] = named('POST /graphql').filter((s) => s.attributes['folkreg.service'] === 'gateway');
    expect(root).toMatchObject({ kind: 2, attributes: { 'http.response.status_code': 200 } });
    for (const name of ['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.fetch', 'guard.prepare', 'guard.mask'])
      expect(named(name).length, name).toBeGreaterThan(0);

    // Every subgraph fetch is a client span under Apollo's fetch, continued across the HTTP hop by the
    // subgraph's server span (its parent is the client span, known to the subgraph only by `traceparent`).
    const fetches = named('subgraph.fetch');
    expect(new Set(fetches.map((f) => f.attributes['folkreg.subgraph']))).toEqual(new Set(['person', 'family', 'address']));
    for (const f of fetches) {
      expect(parentOf(f)?.name).toBe('gateway.fetch');
      expect(f.kind).toBe(3);
    }
    const subgraphServers = spans.filter((s) => s.name === 'POST /graphql' && s.attributes['folkreg.service'] !== 'gateway');
    expect(subgraphServers).toHaveLength(fetches.length);
    for (const s of subgraphServers) expect(parentOf(s)?.name).toBe('subgraph.fetch');

    // In the subgraphs: loader batches under their server span, SQL statements under the batches.
    const page = named('dataloader family.page');
    expect(page).toHaveLength(1);
    expect(page[0]!.attributes['folkreg.loader.keys']).toBe(1);
    expect(parentOf(page[0]!)?.name).toBe('POST /graphql');
    const pageSql = spans.filter((s) => s.parentSpanId === page[0]!.spanId);
    expect(pageSql.map((s) => s.name)).toEqual(['SELECT family_relations']);
    expect(pageSql[0]).toMatchObject({ kind: 3, attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' } });
    const addressBatch = named('dataloader address.addresses');
    expect(addressBatch).toHaveLength(1);
    expect(spans.filter((s) => s.parentSpanId === addressBatch[0]!.spanId).map((s) => s.name)).toEqual(['SELECT addresses']);

    // No span attribute holds a seeded identifier, name, street, nor the caller's token.
    const values = spans.flatMap((s) => [s.name, ...Object.values(s.attributes).map(String)]).join('\n');
    for (const secret of [
      astrid.identifier,
      astrid.identifier.slice(2),
      child.identifier,
      astrid.id,
      child.id,
      'Astrid',
      'Ebba',
      'Lindqvist',
      'Henning',
      'Storgatan',
      token,
    ])
      expect(values).not.toContain(secret);
  });

  it('show the audit write of a release to an entitled caller, with its statement, and not whose data it was', async () => {
    const { guarded } = env.seeded;
    const token = await env.stack.issue({ scope: `folkreg:read ${UNRESTRICTED_SCOPE}`, sub: 'handlaggare-9', client: 'kassan', purpose: 'benefit decision' });
    const spans = await traceOfOneRequest(async () => {
      const res = await graphql(
        env.stack.gateway.url,
        'query CaseFile($i: String!) { person(identifier: $i) { address { streetName } } }',
        { i: guarded.identifier },
        bearer(token),
      );
      expect(res.data.person.address.streetName).toBe('Storgatan');
    });
    const audit = spans.filter((s) => s.name === 'audit.write');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.attributes).toEqual({ 'folkreg.audit.rows': 1 });
    expect(spans.filter((s) => s.parentSpanId === audit[0]!.spanId).map((s) => s.name)).toEqual(['INSERT audit_events']);
    const values = spans.flatMap((s) => [s.name, ...Object.values(s.attributes).map(String)]).join('\n');
    for (const secret of [guarded.identifier, guarded.id, 'Gunvor', 'Skyddad', 'Storgatan', 'handlaggare-9', 'benefit decision', token])
      expect(values).not.toContain(secret);
  });

  it('give a refused request its trace too, marked by its status', async () => {
    const spans = await traceOfOneRequest(() => graphql(env.stack.gateway.url, '{ __typename }', {}, { authorization: 'Bearer not-a-token' }));
    expect(spans.map((s) => s.name)).toEqual(['POST /graphql']);
    expect(spans[0]!.attributes['http.response.status_code']).toBe(401);
  });

  it('give each websocket event batch a trace of its own, through the same gateway and subgraph spans', async () => {
    const { astrid } = env.seeded;
    const reader = await env.stack.token('folkreg:read', { sub: 'ws-reader' });
    const writer = await env.stack.token('folkreg:read person:write', { sub: 'ws-writer' });
    const socket = connect(env.stack.gateway.url, { authorization: `Bearer ${reader}` });
    const events = new Collector(socket, 'subscription Live { changeEvents { type person { name { givenNames } } } }');
    try {
      await new Promise((ok) => setTimeout(ok, 300));
      const update = await graphql(
        env.stack.gateway.url,
        'mutation Contact($i: ContactDetailsInput!) { updateContactDetails(input: $i) { version } }',
        { i: { personId: astrid.id, version: 0, email: 'astrid.l@example.se' } },
        bearer(writer),
      );
      expect(update.data.updateContactDetails.version).toBe(1);
      const [event] = await events.take(1);
      expect(event!.data.changeEvents.person.name.givenNames).toBe('Astrid');
    } finally {
      events.stop();
      await socket.dispose();
    }
    const [batch] = await arrived((s) => s.name === 'websocket.batch' && Number(s.attributes['folkreg.events']) > 0);
    expect(batch).toMatchObject({ attributes: { 'folkreg.events': 1, 'folkreg.subscribers': 1 } });
    expect(batch!.parentSpanId).toBeUndefined();
    const spans = receiver.spans.filter((s) => s.traceId === batch!.traceId);
    console.log(`websocket batch trace, ${spans.length} spans:\n${traceTree(spans)}`);
    expect(new Set(spans.filter((s) => s.name === 'subgraph.fetch').map((s) => s.attributes['folkreg.subgraph']))).toEqual(new Set(['subscription', 'person']));
    const values = spans.flatMap((s) => [s.name, ...Object.values(s.attributes).map(String)]).join('\n');
    for (const secret of [astrid.identifier, astrid.id, 'Astrid', 'Lindqvist', 'astrid.l@example.se', reader, writer]) expect(values).not.toContain(secret);
  });
});
