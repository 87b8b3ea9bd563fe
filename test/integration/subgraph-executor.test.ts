import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLError, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectionMarkers } from '../../db/schema/index.js';
import { ANONYMOUS, type Caller } from '../../kernel/caller.js';
import { apiError, userInputError } from '../../kernel/errors.js';
import { GATEWAY_TOKEN_HEADER, generateGatewayKeys, signGatewayToken, type GatewayKeyPair } from '../../kernel/gateway-token.js';
import type { RunningServer } from '../../kernel/lifecycle.js';
import type { SubgraphName } from '../../kernel/subgraph-names.js';
import { subgraphs } from '../../subgraphs/index.js';
import { CursorCodec } from '../../subgraphs/shared/cursor.js';
import { SubgraphExecutor } from '../../subgraphs/shared/executor.js';
import { defineSubgraph, startSubgraph, type SubgraphDefinition } from '../../subgraphs/shared/server.js';
import { AUTHORITY, callerFor } from '../support/callers.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, recordMove, type FixturePerson } from '../support/fixtures.js';

/**
 * Subgraphs run hot queries compiled by graphql-jit (subgraphs/shared/executor.ts). Whatever runs them,
 * the gateway must receive graphql-js's answer byte for byte: the same data, field order, null bubbling,
 * error messages, paths, locations and codes. Every document here goes to two servers of the same
 * subgraph over the same database, one compiled and one on graphql-js only, three times each (the first
 * sight runs on graphql-js, the later ones compiled), and the bodies and statuses are compared.
 */

/** A subgraph of the shapes graphql-jit is known to treat differently: abstract types, custom scalars, errors. */
const probe = defineSubgraph({
  name: 'probe' as SubgraphName,
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    scalar Day
    enum Colour { RED GREEN }
    interface Named { name: String! }
    type Thing implements Named @key(fields: "id") { id: ID!, name: String!, day: Day, colour: Colour, nested: Nested, things: [Thing!] }
    type Other implements Named { name: String!, size: Int }
    union Any = Thing | Other
    type Nested { required: String!, optional: String }
    input Filter { from: Day!, colours: [Colour!], limit: Int = 3 }
    type Query {
      thing(id: ID!): Thing
      things(filter: Filter): [Thing!]!
      anything: [Any!]!
      named: [Named!]!
      coded: Thing
      internal: String
      nonNull: Nested
      nonNullList: [Thing!]
      badEnum: Colour
      badScalar: Day
      asyncThing(id: ID!): Thing
    }
  `),
  resolvers: {
    Day: {
      __serialize: (value: unknown) => {
        if (!(value instanceof Date)) throw new GraphQLError(`Day cannot represent ${String(value)}`);
        return value.toISOString().slice(0, 10);
      },
      __parseValue: (value: unknown) => {
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
          throw userInputError(`Day must be YYYY-MM-DD, got ${JSON.stringify(value)}`, 'IMPOSSIBLE_DATE');
        return new Date(`${value}T00:00:00Z`);
      },
    },
    Query: {
      thing: (_: unknown, { id }: { id: string }) => thing(id),
      asyncThing: async (_: unknown, { id }: { id: string }) => thing(id),
      things: (_: unknown, { filter }: { filter?: { from: Date; colours?: string[]; limit: number } }) =>
        [thing('1'), thing('2'), thing('3'), thing('4')]
          .filter((t) => !filter || (t.day >= filter.from && (!filter.colours || filter.colours.includes(t.colour))))
          .slice(0, filter?.limit ?? 3),
      anything: () => [thing('1'), { __typename: 'Other', name: 'o', size: 4 }],
      named: () => [{ __typename: 'Other', name: 'p', size: 1 }, thing('2')],
      coded: () => {
        throw apiError('CONFLICT', 'The thing changed since you read it.', { reason: 'ALREADY_DEAD' });
      },
      internal: () => {
        throw new Error('relation "secret" does not exist');
      },
      nonNull: () => ({ required: null, optional: 'x' }),
      nonNullList: async () => [thing('1'), null, thing('3')],
      badEnum: () => 'BLUE',
      badScalar: () => 'not a date',
    },
    Thing: {
      __resolveReference: (ref: { id: string }) => (ref.id === 'missing' ? null : thing(ref.id)),
      nested: (t: { id: string }) => (t.id === '2' ? { required: null } : { required: `r${t.id}`, optional: null }),
      things: async (t: { id: string }) => [thing(`${t.id}a`)],
    },
    Other: { __isTypeOf: (value: { __typename?: string }) => value.__typename === 'Other' },
  },
  createLoaders: () => ({}),
});

function thing(id: string) {
  const n = Number.parseInt(id, 10) || 1;
  return { __typename: 'Thing', id, name: `thing ${id}`, day: new Date(Date.UTC(2020, 0, n)), colour: n % 2 ? 'RED' : 'GREEN' };
}

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

const probeCases: Case[] = [
  {
    name: 'a lookup with a custom scalar and an enum',
    query: 'query T($id: ID!) { thing(id: $id) { __typename id name day colour nested { required optional } } }',
    variables: { id: '3' },
  },
  { name: 'aliases and field order', query: '{ b: thing(id: "1") { name id } a: thing(id: "5") { id, n: name, __typename } }' },
  {
    name: 'input object with defaults and a list of enums',
    query: 'query($f: Filter) { things(filter: $f) { id colour day } }',
    variables: { f: { from: '2020-01-02', colours: ['GREEN'] } },
  },
  { name: 'no variables given for an optional input', query: 'query($f: Filter) { things(filter: $f) { id } }' },
  { name: 'a union', query: '{ anything { __typename ... on Thing { id day } ... on Other { size } } }' },
  { name: 'an interface with fragments', query: 'query { named { name __typename ...T } } fragment T on Thing { id colour }' },
  {
    name: 'the gateway’s entity fetch',
    query: 'query E($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Thing { id name nested { required } } } }',
    variables: {
      representations: [
        { __typename: 'Thing', id: '1' },
        { __typename: 'Thing', id: 'missing' },
        { __typename: 'Thing', id: '3' },
      ],
    },
  },
  { name: 'null bubbling from a nested non-null field', query: '{ thing(id: "2") { id nested { required optional } } }' },
  { name: 'null bubbling through a non-null list item', query: '{ nonNullList { id } }' },
  { name: 'null bubbling to the root', query: '{ nonNull { required } internal }' },
  { name: 'a resolver throwing a coded error', query: '{ coded { id } thing(id: "1") { id } }' },
  { name: 'an internal error, masked', query: '{ internal }' },
  { name: 'an enum value the schema does not have', query: '{ badEnum }' },
  { name: 'a scalar that cannot serialise', query: '{ badScalar }' },
  { name: 'async resolvers and lists', query: '{ asyncThing(id: "2") { id things { id day things { id } } } }' },
  {
    name: '@skip and @include by variables',
    query: 'query($s: Boolean!) { thing(id: "1") { id name @skip(if: $s) day @include(if: $s) } }',
    variables: { s: true },
  },
  { name: 'two operations, one named', query: 'query A { thing(id: "1") { id } } query B { thing(id: "2") { name } }', operationName: 'B' },
  { name: 'a validation error', query: '{ thing(id: "1") { id colour { x } missing } }' },
  { name: 'a syntax error', query: '{ thing(id: "1") { id ' },
  { name: 'a missing required variable', query: 'query T($id: ID!) { thing(id: $id) { id } }', variables: {} },
  { name: 'a variable of the wrong type', query: 'query T($id: ID!) { thing(id: $id) { id } }', variables: { id: { nested: true } } },
  {
    name: 'an enum variable out of range',
    query: 'query($f: Filter) { things(filter: $f) { id } }',
    variables: { f: { from: '2020-01-01', colours: ['BLUE'] } },
  },
  { name: 'a custom scalar refusing its variable', query: 'query($f: Filter) { things(filter: $f) { id } }', variables: { f: { from: '2020-13-45x' } } },
  {
    name: 'an input object with an unknown field',
    query: 'query($f: Filter) { things(filter: $f) { id } }',
    variables: { f: { from: '2020-01-01', extra: 1 } },
  },
  { name: 'a null for a non-null input field', query: 'query($f: Filter) { things(filter: $f) { id } }', variables: { f: { from: null } } },
  {
    name: 'an entity of an unknown type',
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { id } } }',
    variables: { r: [{ __typename: 'Nope', id: '1' }] },
  },
  { name: 'introspection of a type', query: '{ __type(name: "Thing") { name kind fields { name } } __typename }' },
  { name: 'the service SDL', query: '{ _service { sdl } }' },
];

let database: TestDatabase;
let keys: GatewayKeyPair;
let person: FixturePerson;
let moved: FixturePerson;
const servers: { definition: SubgraphDefinition<any>; compiled: RunningServer; reference: RunningServer }[] = [];

async function pair(definition: SubgraphDefinition<any>) {
  const runtime = { db: database.db, gatewayPublicKey: keys.publicKey, cursors: new CursorCodec(Buffer.alloc(32, 7)) };
  const compiled = await startSubgraph(definition, { ...runtime, compiledExecution: true });
  const reference = await startSubgraph(definition, { ...runtime, compiledExecution: false });
  servers.push({ definition, compiled, reference });
  return { compiled, reference };
}

beforeAll(async () => {
  database = await createTestDatabase();
  keys = await generateGatewayKeys();
  person = await insertPerson(database.db, { identifier: '191212121212', givenNames: 'Åsa', familyName: 'Lindqvist' });
  moved = await insertPerson(database.db, { identifier: '198112189876', givenNames: 'Hemlig', familyName: 'Berg' });
  await database.db.insert(protectionMarkers).values({ personId: moved.id, kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2020-01-01' });
  await recordMove(database.db, moved.id, moved.identifier, '0180', '1480');
  await recordMove(database.db, person.id, person.identifier, '0180', '1480');
});

afterAll(async () => {
  for (const { compiled, reference } of servers) await Promise.all([compiled.close(), reference.close()]);
  await database?.dispose();
});

/** The raw answer of `url` to `c`, sent as the gateway sends it (a token per request). */
async function send(url: string, subgraph: string, caller: Caller, c: Case): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ query: c.query, variables: c.variables, operationName: c.operationName });
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [GATEWAY_TOKEN_HEADER]: signGatewayToken(caller, keys.privateKey, { subgraph, body }) },
    body,
  });
  return { status: res.status, body: await res.text() };
}

/** Each case three times to both servers: every answer of the compiled one equals the reference's. */
async function expectSameAnswers(name: string, servers: { compiled: RunningServer; reference: RunningServer }, caller: Caller, cases: Case[]) {
  for (const c of cases) {
    const reference = await send(servers.reference.url, name, caller, c);
    for (let sight = 1; sight <= 3; sight++) {
      expect({ sight, case: c.name, ...(await send(servers.compiled.url, name, caller, c)) }).toEqual({ sight, case: c.name, ...reference });
    }
  }
}

describe('a probe subgraph of abstract types, scalars and errors', () => {
  it('runs a document compiled from its second sight, and answers with errors on graphql-js', async () => {
    const executor = new SubgraphExecutor(buildSubgraphSchema({ typeDefs: probe.typeDefs, resolvers: probe.resolvers as GraphQLResolverMap<unknown> }));
    const run = (query: string) => executor.execute({ document: parse(query), contextValue: {} });
    for (let i = 0; i < 3; i++) await run('{ thing(id: "1") { id day } }');
    expect(executor.counts).toEqual({ compiled: 2, reference: 1 });
    for (let i = 0; i < 3; i++) await run('{ coded { id } }');
    expect(executor.counts).toEqual({ compiled: 2, reference: 4 });
  });

  it('answers every document compiled as graphql-js does, byte for byte', async () => {
    const probeServers = await pair(probe);
    await expectSameAnswers('probe', probeServers, ANONYMOUS, probeCases);
  });
});

describe('the person and address subgraphs, as the gateway asks them', () => {
  const callers: Record<string, Caller> = {
    reader: callerFor({ subject: 'reader', scopes: ['person:read', 'address:read'] }),
    authority: callerFor({ subject: 'authority', ...AUTHORITY }),
  };
  for (const [who, caller] of Object.entries(callers)) {
    it(`answers the same to a ${who}, masked or not`, async () => {
      const personServers = await pair(subgraphs.person);
      await expectSameAnswers('person', personServers, caller, [
        {
          name: 'a person lookup',
          query:
            'query Person__person__0($identifier:String!){person(identifier:$identifier){__typename id name{givenNames familyName}birthDate identifier{value kind}}}',
          variables: { identifier: person.identifier },
        },
        {
          name: 'a protected person',
          query:
            'query Person__person__0($identifier:String!){person(identifier:$identifier){__typename id name{givenNames familyName}birthDate protectionMarkers{kind}}}',
          variables: { identifier: moved.identifier },
        },
        {
          name: 'a malformed identifier (BAD_USER_INPUT)',
          query: 'query($identifier:String!){person(identifier:$identifier){id}}',
          variables: { identifier: '12-34' },
        },
        { name: 'an unknown person', query: 'query($identifier:String!){person(identifier:$identifier){id}}', variables: { identifier: '200001012380' } },
        {
          name: 'an identifier of the wrong type',
          query: 'query($identifier:String!){person(identifier:$identifier){id}}',
          variables: { identifier: 191212121212 },
        },
      ]);
      const addressServers = await pair(subgraphs.address);
      const representations = [person, moved].map((p) => ({ __typename: 'Person', id: p.id }));
      await expectSameAnswers('address', addressServers, caller, [
        {
          name: 'the address entity fetch',
          query:
            'query Person__address__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{address{postalCode municipalityCode municipalityName kind}}}}',
          variables: { representations },
        },
        {
          name: 'an entity with a malformed id',
          query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Person{address{postalCode}}}}',
          variables: { representations: [{ __typename: 'Person', id: 'not-an-id' }] },
        },
      ]);
    });
  }
});
