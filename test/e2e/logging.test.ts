import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { logTo, setLogLevel } from '../../kernel/log.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, relate, type FixturePerson } from '../support/fixtures.js';
import { bearer, codes, graphql, startTestStack, type TestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

let database: TestDatabase;
let stack: TestStack;
let person: FixturePerson;
let relative: FixturePerson;
let token: string;
const lines: string[] = [];
let restore: () => void;

beforeAll(async () => {
  database = await createTestDatabase();
  person = await insertPerson(database.db, {
    identifier: personalIdentityNumber({ birthDate: '1979-06-02', serial: 135 }),
    givenNames: 'Ingegerd',
    familyName: 'Wahlström',
    birthDate: '1979-06-02',
  });
  relative = await insertPerson(database.db, {
    identifier: personalIdentityNumber({ birthDate: '2004-11-23', serial: 246 }),
    givenNames: 'Sigvard',
    familyName: 'Wahlström',
  });
  await relate(database.db, person.id, 'CHILD', { id: relative.id });
  await relate(database.db, person.id, 'SPOUSE', { name: 'Ragnvald Wahlström', birthDate: '1977-02-14' });
  stack = await startTestStack(database.db);
  token = await stack.issue({ scope: 'folkreg:read', sub: 'log-reader' });
  // Everything down to trace, captured instead of written to stdout.
  setLogLevel('trace');
  restore = logTo({ write: (line: string) => lines.push(line) });
});

afterAll(async () => {
  restore?.();
  setLogLevel('warn');
  await stack?.close();
  await database?.dispose();
});

/** A person query by identifier (in the variables, as clients send it) with `headers`. */
async function lookUp(headers: Record<string, string>) {
  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({
      query: 'query Who($id: String!) { person(identifier: $id) { birthDate name { givenNames familyName } } }',
      variables: { id: person.identifier },
    }),
  });
  return { requestId: response.headers.get('x-request-id'), body: (await response.json()) as { data?: { person: { name: { familyName: string } } } } };
}

describe('logs', () => {
  it('carry the request id at the gateway and in the subgraphs, and no personal data', async () => {
    lines.length = 0;
    const { requestId, body } = await lookUp({ 'x-request-id': 'req-42.a_b' });
    expect(body.data?.person.name.familyName).toBe('Wahlström');
    expect(requestId).toBe('req-42.a_b');

    const logged = lines.map((line) => JSON.parse(line) as { component: string; requestId?: string; level: string; msg: string });
    const ofRequest = logged.filter((l) => l.requestId === 'req-42.a_b');
    expect(ofRequest.map((l) => l.component)).toEqual(expect.arrayContaining(['gateway', 'person']));
    const text = lines.join('');
    for (const secret of [person.identifier, person.identifier.slice(2), 'Ingegerd', 'Wahlström']) expect(text).not.toContain(secret);
  });

  it('give every request an id: a new one when none is sent or the one sent is malformed', async () => {
    const none = await lookUp({});
    expect(none.requestId).toMatch(/^[0-9a-f-]{36}$/);
    for (const bad of ['has space', 'x'.repeat(65), 'quote"d']) {
      const { requestId } = await lookUp({ 'x-request-id': bad });
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await lookUp({ 'x-request-id': 'x'.repeat(64) })).requestId).toBe('x'.repeat(64));
  });
});

/** Everything a log line of this file's stack must never hold: the seeded persons' data and the tokens. */
function secretsOf(tokens: string[]): string[] {
  const numbers = [person, relative].flatMap((p) => [p.identifier, p.identifier.slice(2), p.identifier.replace('-', ''), p.id]);
  return [...numbers, 'Ingegerd', 'Sigvard', 'Ragnvald', 'Wahlström', 'Wahlstrom', 'wahlstr', 'Storgatan', 'ingegerd.w@example.se', '+46701234567', ...tokens];
}

describe('logs of every kind of traffic', () => {
  it('hold no identifier, name, street, contact detail or token, at debug and below', async () => {
    lines.length = 0;
    const writer = await stack.issue({ scope: 'folkreg:read person:write', sub: 'log-writer', client: 'log-app' });
    const asWriter = (query: string, variables: Record<string, unknown> = {}) => graphql(stack.gateway.url, query, variables, bearer(writer));

    // A live subscription (websocket), fed by the contact update below: an event batch through every subgraph.
    const socket = connect(stack.gateway.url, { authorization: `Bearer ${writer}` });
    const events = new Collector(socket, 'subscription { changeEvents { type person { name { givenNames familyName } address { streetName } } } }');
    try {
      // Person lookup, search by name, family page.
      expect((await lookUp({})).body.data?.person.name.familyName).toBe('Wahlström');
      const search = await asWriter('query Search($n: String!) { searchPersons(filter: { name: $n }) { edges { node { id name { familyName } } } } }', {
        n: 'Wahlstrom',
      });
      expect(search.data.searchPersons.edges.length).toBeGreaterThan(0);
      const page = await asWriter(
        'query Family($id: String!) { person(identifier: $id) { familyRelations(first: 5) { edges { node { relativeName relative { name { givenNames } address { streetName } } } } } } }',
        { id: person.identifier },
      );
      expect(page.data.person.familyRelations.edges).toHaveLength(2);

      // A contact update (a write and its change event), then the event delivered on the socket.
      const update = await asWriter('mutation Contact($i: ContactDetailsInput!) { updateContactDetails(input: $i) { version } }', {
        i: { personId: person.id, version: 0, email: 'ingegerd.w@example.se', phone: '+46701234567' },
      });
      expect(update.data.updateContactDetails.version).toBe(1);
      const [event] = await events.take(1);
      expect(event!.data.changeEvents.person.name.givenNames).toBe('Ingegerd');

      // Refused: a write without its scope, a malformed identifier (its message quotes it), a bad token.
      const refused = await graphql(
        stack.gateway.url,
        'mutation Contact($i: ContactDetailsInput!) { updateContactDetails(input: $i) { version } }',
        {
          i: { personId: person.id, version: 1, email: 'ingegerd.w@example.se' },
        },
        bearer(token),
      );
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      const malformed = await asWriter('query Who($id: String!) { person(identifier: $id) { id } }', { id: person.identifier.replace(/.$/, 'X') });
      expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
      expect((await graphql(stack.gateway.url, '{ __typename }', {}, { authorization: `Bearer ${writer}x` })).status).toBe(401);
    } finally {
      events.stop();
      await socket.dispose();
    }

    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) for (const secret of secretsOf([token, writer])) expect(line, `a log line holds ${secret}`).not.toContain(secret);
  });

  it('give each GraphQL request one info line: its ids, client, operation, duration and outcome', async () => {
    lines.length = 0;
    await lookUp({ 'x-request-id': 'req-outcome-1' });
    await graphql(
      stack.gateway.url,
      'query Who($id: String!) { person(identifier: $id) { id } }',
      { id: '19790602-X' },
      {
        ...bearer(token),
        'x-request-id': 'req-outcome-2',
      },
    );
    const requestLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.component === 'gateway' && l.msg === 'request');
    const ok = requestLines.find((l) => l.requestId === 'req-outcome-1');
    expect(ok).toMatchObject({ level: 'info', method: 'POST', status: 200, operation: 'Who', outcome: 'ok', client: 'folkreg-dev-client' });
    expect(typeof ok!.ms).toBe('number');
    expect(typeof ok!.time).toBe('string');
    // Tracing is off in this file: no trace id.
    expect(ok).not.toHaveProperty('traceId');
    expect(requestLines.find((l) => l.requestId === 'req-outcome-2')).toMatchObject({ operation: 'Who', outcome: 'refused', codes: ['BAD_USER_INPUT'] });
  });
});
