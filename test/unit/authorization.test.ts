import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Authorization, READ_SCOPES, expandScopes, readScopeDeclarations } from '../../gateway/authorization.js';
import { readSupergraph } from '../../schema/compose.js';
import { readFileSync } from 'node:fs';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { startGateway } from '../../gateway/server.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../kernel/subgraph-names.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { INTERNAL_ROOT_FIELDS, ROOT_FIELDS, TYPE_SCOPES } from '../support/root-fields.js';

const supergraph = readSupergraph();

describe('scope declarations (the ratchet)', () => {
  it('every root field of the supergraph declares exactly the scopes listed in test/support/root-fields.ts', () => {
    const { fields } = readScopeDeclarations(supergraph);
    const roots = Object.fromEntries([...fields].filter(([coordinate]) => /^(Query|Mutation|Subscription)\./.test(coordinate)));
    expect(roots).toEqual({ ...Object.fromEntries(Object.entries(ROOT_FIELDS).map(([coordinate, f]) => [coordinate, f.scopes])), ...INTERNAL_ROOT_FIELDS });
  });

  it('the domain types declare their read scope, so another domain cannot read them without it', () => {
    expect(Object.fromEntries(readScopeDeclarations(supergraph).types)).toEqual(TYPE_SCOPES);
  });

  it('the published contract shows the directive, its definition and every declaration', () => {
    const api = readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8');
    expect(api).toMatch(
      /directive @requiresScopes\(\s*(?:"""[^]*?"""\s*)?scopes: \[\[federation__Scope!\]!\]!\s*\) on ENUM \| FIELD_DEFINITION \| INTERFACE \| OBJECT \| SCALAR/,
    );
    expect(api.match(/@requiresScopes\(scopes:/g)).toHaveLength(Object.keys(ROOT_FIELDS).length + Object.keys(TYPE_SCOPES).length);
  });

  it('a root field without a declaration stops the start, naming the field', () => {
    const undeclared = supergraph.replace(
      /(\n {2}person\([^]*?\): Person @join__field\(graph: PERSON\)) @requiresScopes\(scopes: \[\["person:read"\]\]\)/,
      '$1',
    );
    expect(undeclared).not.toBe(supergraph);
    expect(() => new Authorization(undeclared)).toThrow(/Query\.person declares no scopes/);
  });

  it('the gateway does not start on such a supergraph', async () => {
    const undeclared = supergraph.replace('@requiresScopes(scopes: [["events:read"]])', '');
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, 'http://127.0.0.1:9/graphql'])) as Record<SubgraphName, string>;
    const options = {
      subgraphUrls: urls,
      signingKey: (await ephemeralSecrets()).gatewayKeys.privateKey,
      auth: (await ephemeralDevIssuer()).authOptions,
      port: 0,
    };
    await expect(startGateway({ ...options, supergraphSdl: undeclared })).rejects.toThrow(/Refusing to start: [^]*declares no scopes/);
  });

  it('an empty or malformed declaration stops the start', () => {
    const empty = supergraph.replace('@requiresScopes(scopes: [["audit:read"]])', '@requiresScopes(scopes: [[]])');
    expect(() => readScopeDeclarations(empty)).toThrow(/Query\.auditEvents has a @requiresScopes without scopes/);
    const malformed = supergraph.replace('@requiresScopes(scopes: [["audit:read"]])', '@requiresScopes(scopes: [["audit read"]])');
    expect(() => readScopeDeclarations(malformed)).toThrow(/malformed scope\(s\) "audit read"/);
  });

  it('@apollo/gateway gets the supergraph only once the declarations are read: the SECURITY link is then ours', () => {
    expect(supergraph).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    const authorization = new Authorization(supergraph);
    expect(authorization.engineSupergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1")');
    expect(authorization.engineSupergraphSdl).not.toContain('requiresScopes/v0.1", for: SECURITY');
  });
});

describe('folkreg:read', () => {
  it('is a bundle of the read scopes of every domain, not of the audit log', () => {
    expect(expandScopes(['folkreg:read']).sort()).toEqual(['folkreg:read', ...READ_SCOPES].sort());
    expect(READ_SCOPES).toEqual(['person:read', 'family:read', 'address:read', 'events:read', 'reserve-id:read']);
    expect(expandScopes(['folkreg:read'])).not.toContain('audit:read');
    expect(expandScopes(['person:read'])).toEqual(['person:read']);
  });
});

describe('the walker', () => {
  // A small graph of its own: interfaces and alternatives, which the folkreg graph does not have (yet).
  const schema = buildSchema(`
    type Query { a: A  list: [Node] thing: Thing }
    interface Node { id: ID secret: String }
    type A implements Node { id: ID secret: String }
    type B implements Node { id: ID secret: String }
    union Thing = A | B
  `);
  // Only the declarations come from elsewhere: the walk is the gateway's own.
  const authorization: Authorization = Object.assign(Object.create(Authorization.prototype) as object, {
    known: new WeakMap(),
    declarations: {
      fields: new Map([
        ['Query.a', [['a:read']]],
        ['Query.list', [['a:read'], ['b:read']]],
        ['Query.thing', [['a:read']]],
        ['B.secret', [['secret:read', 'b:read']]],
      ]),
      types: new Map([['B', [['b:read']]]]),
    },
  }) as unknown as Authorization;
  const missing = (document: string, scopes: string[]) =>
    authorization.missing(schema, parse(document), undefined, scopes).map((m) => [m.field, m.requiredScopes]);

  it('an alternative is met by all of its scopes', () => {
    expect(missing('{ list { id } }', ['b:read'])).toEqual([]);
    expect(missing('{ list { id } }', ['x:read'])).toEqual([['Query.list', [['a:read'], ['b:read']]]]);
  });

  it("through an interface, every implementation's declaration holds", () => {
    expect(missing('{ list { secret } }', ['a:read'])).toEqual([['B.secret', [['secret:read', 'b:read']]]]);
  });

  it('a type narrowed to by an inline fragment or a fragment needs its declaration', () => {
    expect(missing('{ thing { ... on B { id } } }', ['a:read'])).toEqual([['B', [['b:read']]]]);
    expect(missing('{ thing { ...F } } fragment F on B { id }', ['a:read'])).toEqual([['B', [['b:read']]]]);
  });

  it('a fragment spread into itself through another does not loop', () => {
    expect(missing('{ a { ...F } } fragment F on A { id ...G } fragment G on A { ...F }', [])).toEqual([['Query.a', [['a:read']]]]);
  });

  it('meta fields need nothing', () => {
    expect(missing('{ __typename }', [])).toEqual([]);
    expect(missing('{ __schema { queryType { name } } }', [])).toEqual([]);
  });
});
