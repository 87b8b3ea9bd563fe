import { describe, expect, it } from 'vitest';
import { TrustedDocuments, sha256 } from '../../gateway/trusted-documents.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';

const LOOKUP = 'query Lookup($i: String!) { person(identifier: $i) { name { familyName } } }';
const manifest = new Map([[sha256(LOOKUP), LOOKUP]]);

let anna: FixturePerson;

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
  },
  stack: () => ({ trustedDocuments: new TrustedDocuments({ documents: manifest, enforcedFor: new Set(['partner-app']) }) }),
});

async function send(client: string, body: Record<string, unknown>) {
  const token = await env.stack.issue({ scope: 'folkreg:read', sub: 'u', client });
  const res = await fetch(env.stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('trusted documents', () => {
  const expected = { person: { name: { familyName: 'Östlund' } } };

  it('a restricted client runs a registered document by documentId, or by the Apollo/Relay hash extension', async () => {
    const byId = await send('partner-app', { documentId: `sha256:${sha256(LOOKUP)}`, variables: { i: anna.identifier } });
    expect(byId.body).toEqual({ data: expected });
    const byHash = await send('partner-app', { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(LOOKUP) } }, variables: { i: anna.identifier } });
    expect(byHash.body).toEqual({ data: expected });
    const registeredText = await send('partner-app', { query: LOOKUP, variables: { i: anna.identifier } });
    expect(registeredText.body).toEqual({ data: expected });
  });

  it('a restricted client is refused any document that is not registered, with a clear error', async () => {
    const res = await send('partner-app', { query: '{ person(identifier: "191212121212") { address { streetName } } }' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('DOCUMENT_NOT_REGISTERED');
    expect(res.body.data).toBeUndefined();
    const unknown = await send('partner-app', { documentId: 'sha256:' + '0'.repeat(64) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('GET works with a documentId too', async () => {
    const token = await env.stack.issue({ scope: 'folkreg:read', sub: 'u', client: 'partner-app' });
    const search = new URLSearchParams({ documentId: sha256(LOOKUP), variables: JSON.stringify({ i: anna.identifier }) });
    const res = await fetch(`${env.stack.gateway.url}?${search}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toEqual({ data: expected });
  });

  it('other clients may still send any document', async () => {
    const res = await send('internal-tool', { query: '{ person(identifier: "191212121212") { name { givenNames } } }' });
    expect(res.body).toEqual({ data: { person: { name: { givenNames: 'Anna' } } } });
  });

  it('a manifest whose key is not the hash of its document is refused at start', () => {
    expect(() => new TrustedDocuments({ documents: new Map([['abc', LOOKUP]]), enforcedFor: 'all' })).toThrow(/not the sha256/);
  });
});
