import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphs } from '../../subgraphs/index.js';
import { CursorCodec } from '../../subgraphs/shared/cursor.js';
import { ANONYMOUS, GATEWAY_TOKEN_HEADER, generateGatewayKeys, signGatewayToken, type GatewayKeyPair } from '../../subgraphs/shared/gateway-token.js';
import { SUBGRAPH_NAMES, startSubgraph, type RunningServer, type SubgraphName } from '../../subgraphs/shared/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { codes, graphql } from '../support/stack.js';

let database: TestDatabase;
let keys: GatewayKeyPair;
let servers: Record<SubgraphName, RunningServer>;
let person: FixturePerson;

beforeAll(async () => {
  database = await createTestDatabase();
  keys = await generateGatewayKeys();
  person = await insertPerson(database.db, { identifier: '191212121212', givenNames: 'Åsa', familyName: 'Lindqvist' });
  const runtime = { db: database.db, gatewayPublicKey: keys.publicKey, cursors: new CursorCodec(Buffer.alloc(32, 7)) };
  const started = await Promise.all(SUBGRAPH_NAMES.map((name) => startSubgraph(subgraphs[name], runtime)));
  servers = Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, started[i]!])) as Record<SubgraphName, RunningServer>;
});

afterAll(async () => {
  await Promise.all(Object.values(servers ?? {}).map((s) => s.close()));
  await database?.dispose();
});

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name { givenNames } } } }`;

describe.each(SUBGRAPH_NAMES)('subgraph %s refuses requests that do not come from the gateway', (name) => {
  it('without a gateway token', async () => {
    const res = await graphql(servers[name].url, '{ __typename }');
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data).toBeUndefined();
  });

  it('with a token signed by another key, even a well-formed one', async () => {
    const stranger = await generateKeyPair('EdDSA');
    const forged = await signGatewayToken(ANONYMOUS, stranger.privateKey);
    const res = await graphql(servers[name].url, '{ __typename }', {}, { [GATEWAY_TOKEN_HEADER]: forged });
    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
  });

  it('with an expired gateway token', async () => {
    const expired = await new SignJWT({ scopes: [] })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('folkreg-gateway')
      .setAudience('folkreg-subgraphs')
      .setSubject('x')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(keys.privateKey);
    const res = await graphql(servers[name].url, '{ __typename }', {}, { [GATEWAY_TOKEN_HEADER]: expired });
    expect(res.status).toBe(401);
  });

  it('with a client bearer token in Authorization instead', async () => {
    const res = await graphql(servers[name].url, '{ __typename }', {}, { authorization: `Bearer ${await signGatewayToken(ANONYMOUS, keys.privateKey)}` });
    expect(res.status).toBe(401);
  });
});

describe('with the gateway token', () => {
  it('the person subgraph resolves a Person entity reference (_entities)', async () => {
    const token = await signGatewayToken(ANONYMOUS, keys.privateKey);
    const res = await graphql(servers.person.url, ENTITIES, { r: [{ __typename: 'Person', id: person.id }] }, { [GATEWAY_TOKEN_HEADER]: token });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([{ name: { givenNames: 'Åsa' } }]);
  });

  it('each subgraph answers readiness with its database reachable', async () => {
    for (const name of SUBGRAPH_NAMES) {
      const res = await fetch(new URL('/readyz', servers[name].url));
      expect(res.status).toBe(200);
    }
  });
});
