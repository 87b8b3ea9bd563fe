import { beforeAll, describe, expect, it } from 'vitest';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, linkReserveIdentity, recordMove, relate, type FixturePerson } from '../support/fixtures.js';
import { codes, startTestStack, useTestStack } from '../support/stack.js';

let anna: FixturePerson;
let erik: FixturePerson;
let url: string;

const PERSON_QUERY = /* GraphQL */ `
  query Person($identifier: String!) {
    person(identifier: $identifier) {
      identifier {
        kind
        value
        display
        current
      }
      name {
        givenNames
        familyName
        addressingName
      }
      address {
        kind
        municipalityCode
        municipalityName
        streetName
        postalCode
      }
      familyRelations(first: 20) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            kind
            relativeName
            relativeBirthDate
            relative {
              name {
                givenNames
              }
              address {
                postalCode
              }
            }
          }
        }
      }
      reserveIdentities {
        kind
        value
      }
    }
  }
`;

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
    erik = await insertPerson(db, { identifier: '198211059954', givenNames: 'Erik', familyName: 'Åberg', birthDate: '1982-11-05', sex: 'MALE' });
    await relate(db, anna.id, 'SPOUSE', erik);
    await relate(db, anna.id, 'MOTHER', { name: 'Karin Lind', birthDate: '1890-04-02' });
    for (let i = 0; i < 23; i++) {
      const child = await insertPerson(db, {
        identifier: personalIdentityNumber({ birthDate: `1950-01-${String(i + 1).padStart(2, '0')}`, serial: 100 + i }),
        givenNames: `Barn${i}`,
        familyName: 'Östlund',
      });
      await relate(db, anna.id, 'CHILD', child);
    }
    await relate(db, anna.id, 'SPOUSE', { name: 'Gustav Ek', birthDate: '1905-02-03' }, '1940-01-01');
    await linkReserveIdentity(db, anna.id, '221212AB0017', anna.identifier);
    await recordMove(db, anna.id, anna.identifier, '0180', '1480');
  },
});

beforeAll(async () => {
  url = env.stack.gateway.url;
});

describe('person through the gateway, with data from every subgraph', () => {
  it.each(['19121212-1212', '191212121212', '121212+1212', ' 19121212-1212 '])('finds the person by %s', async (identifier) => {
    const res = await env.stack.query(PERSON_QUERY, { identifier });
    expect(res.errors).toBeUndefined();
    const p = res.data.person;
    expect(p.identifier).toEqual({ kind: 'PERSONAL_IDENTITY_NUMBER', value: '191212121212', display: '19121212-1212', current: true });
    expect(p.name).toEqual({ givenNames: 'Anna', familyName: 'Östlund', addressingName: 'Östlund, Anna' });
    expect(p.address).toMatchObject({ kind: 'REGISTERED', municipalityCode: '0180', municipalityName: 'Stockholm', streetName: 'Storgatan' });
    expect(p.reserveIdentities).toEqual([{ kind: 'NATIONAL_RESERVE_ID', value: '221212AB0017' }]);
  });

  it('pages family relations 20 at a time, each relative resolved from the person and address subgraphs', async () => {
    const res = await env.stack.query(PERSON_QUERY, { identifier: anna.identifier });
    const page = res.data.person.familyRelations;
    expect(page.totalCount).toBe(25); // the ended marriage is historic and not counted
    expect(page.edges).toHaveLength(20);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges[0].node).toEqual({
      kind: 'SPOUSE',
      relativeName: null,
      relativeBirthDate: null,
      relative: { name: { givenNames: 'Erik' }, address: { postalCode: '111 22' } },
    });
    expect(page.edges[1].node).toEqual({ kind: 'MOTHER', relativeName: 'Karin Lind', relativeBirthDate: '1890-04-02', relative: null });

    const next = await env.stack.query(
      `query($id: String!, $after: String) { person(identifier: $id) { familyRelations(first: 20, after: $after) { edges { node { relative { name { givenNames } } } } pageInfo { hasNextPage } } } }`,
      { id: anna.identifier, after: page.pageInfo.endCursor },
    );
    const rest = next.data.person.familyRelations;
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const seen = [...page.edges, ...rest.edges].map((e: any) => e.node.relative?.name.givenNames ?? 'Karin');
    expect(new Set(seen).size).toBe(25);
  });

  it('returns seeded change events with the person resolved through federation', async () => {
    const res = await env.stack.query(
      `{ changeEvents(first: 10) { edges { cursor node { type cprChangeCode municipalityBefore municipalityAfter person { name { familyName } } } } pageInfo { endCursor hasNextPage } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.changeEvents.edges.map((e: any) => e.node)).toEqual([
      { type: 'MOVE', cprChangeCode: 'A01', municipalityBefore: '0180', municipalityAfter: '1480', person: { name: { familyName: 'Östlund' } } },
    ]);
  });
});

describe('bad input', () => {
  it('an unknown but valid identifier gives null, not an error', async () => {
    const unknown = personalIdentityNumber({ birthDate: '1982-04-15', serial: 555 });
    const res = await env.stack.query(`query($i: String!) { person(identifier: $i) { id } }`, { i: unknown });
    expect(res.errors).toBeUndefined();
    expect(res.data.person).toBeNull();
  });

  it.each([
    ['19121212-1213', 'CHECK_DIGIT'],
    ['19121312-1212', 'IMPOSSIBLE_DATE'],
    ['1912', 'LENGTH'],
    ['hello', 'LENGTH'],
    ['19121212+1212', 'SEPARATOR'],
    ['', 'EMPTY'],
    ['abcdefghijkl', 'UNKNOWN_FORMAT'],
  ])('a malformed identifier %s gives BAD_USER_INPUT (%s)', async (identifier, reason) => {
    const res = await env.stack.query(`query($i: String!) { person(identifier: $i) { id } }`, { i: identifier });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.reason).toBe(reason);
  });

  it.each([0, 21, -1])('familyRelations(first: %i) gives BAD_USER_INPUT', async (first) => {
    const res = await env.stack.query(
      `query($i: String!, $f: Int) { person(identifier: $i) { name { givenNames } familyRelations(first: $f) { totalCount } } }`,
      {
        i: anna.identifier,
        f: first,
      },
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    // familyRelations is nullable (it can be masked), so the error nulls only the connection.
    expect(res.data.person).toEqual({ name: { givenNames: 'Anna' }, familyRelations: null });
  });

  it('a tampered, random or foreign cursor gives BAD_USER_INPUT', async () => {
    const first = await env.stack.query(`query($i: String!) { person(identifier: $i) { familyRelations(first: 2) { pageInfo { endCursor } } } }`, {
      i: anna.identifier,
    });
    const cursor: string = first.data.person.familyRelations.pageInfo.endCursor;
    const tampered = cursor.slice(0, -2) + (cursor.endsWith('A') ? 'BB' : 'AA');
    for (const [who, after] of [
      [anna.identifier, tampered],
      [anna.identifier, Buffer.from('{"id":1}').toString('base64')],
      [erik.identifier, cursor], // Anna's cursor on Erik's connection
    ]) {
      const res = await env.stack.query(`query($i: String!, $a: String) { person(identifier: $i) { familyRelations(first: 2, after: $a) { totalCount } } }`, {
        i: who,
        a: after,
      });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('changeEvents(first: 501) gives BAD_USER_INPUT', async () => {
    const res = await env.stack.query(`{ changeEvents(first: 501) { pageInfo { endCursor } } }`);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('malformed JSON gets 400 and a GraphQL-shaped error', async () => {
    const token = await env.stack.issue({ sub: 'x' });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('health', () => {
  it('answers /healthz and /readyz without a token', async () => {
    const base = url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as any).subgraphs).toEqual({
      person: 'ready',
      family: 'ready',
      address: 'ready',
      'reserve-id': 'ready',
      subscription: 'ready',
    });
  });
});

describe('a subgraph that goes away', () => {
  it('gives partial data with an error naming it, and the gateway stays up', async () => {
    await env.stack.subgraphs.address.close();
    const res = await env.stack.query(`query($i: String!) { person(identifier: $i) { name { givenNames } address { postalCode } } }`, { i: anna.identifier });
    expect(res.data.person.name.givenNames).toBe('Anna');
    expect(res.data.person.address).toBeNull();
    expect(res.errors!.map((e) => [e.extensions?.code, e.extensions?.subgraph])).toContainEqual(['SUBGRAPH_UNAVAILABLE', 'address']);
    expect(JSON.stringify(res)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    // Still ready, and says it is degraded: every replica shares that subgraph, and taking them all out
    // of the Service would answer nothing instead of the persons' names (README "Readiness").
    const ready = await fetch(url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, degraded: true, subgraphs: { person: 'ready', address: 'unreachable' } });
    expect((await fetch(url.replace('/graphql', '/healthz'))).status).toBe(200);
  });

  it('with GATEWAY_READINESS=all-subgraphs the gateway is not ready while one subgraph is out', async () => {
    const strict = await startTestStack(env.db, { readiness: 'all-subgraphs' });
    try {
      const readyz = strict.gateway.url.replace('/graphql', '/readyz');
      expect((await fetch(readyz)).status).toBe(200);
      await strict.subgraphs.family.close();
      const ready = await fetch(readyz);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, subgraphs: { person: 'ready', family: 'unreachable' } });
    } finally {
      await strict.close();
    }
  });

  it('is not ready when it reaches no subgraph at all: that is its own fault, which another replica may not share', async () => {
    const alone = await startTestStack(env.db);
    try {
      for (const subgraph of Object.values(alone.subgraphs)) await subgraph.close();
      const ready = await fetch(alone.gateway.url.replace('/graphql', '/readyz'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, degraded: true, subgraphs: { person: 'unreachable', subscription: 'unreachable' } });
    } finally {
      await alone.close();
    }
  });
});
