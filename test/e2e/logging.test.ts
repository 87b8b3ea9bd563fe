import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { logTo, setLogLevel } from '../../kernel/log.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let database: TestDatabase;
let stack: TestStack;
let person: FixturePerson;
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
