import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { generateKeyPair } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { protectionMarkers } from '../../db/schema/index.js';
import { ephemeralDevIssuer, type DevIssuer } from '../../gateway/dev-auth.js';
import { startGateway } from '../../gateway/server.js';
import { readSupergraph } from '../../schema/compose.js';
import { subgraphs } from '../../subgraphs/index.js';
import { CursorCodec } from '../../subgraphs/shared/cursor.js';
import {
  GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS,
  GATEWAY_TOKEN_HEADER,
  GATEWAY_TOKEN_TTL_SECONDS,
  generateGatewayKeys,
  signGatewayToken,
  type GatewayKeyPair,
} from '../../kernel/gateway-token.js';
import { ANONYMOUS } from '../../kernel/caller.js';
import { startSubgraph, type SubgraphRuntime } from '../../subgraphs/shared/server.js';
import { type RunningServer } from '../../kernel/lifecycle.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../kernel/subgraph-names.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, linkReserveIdentity, recordMove, relate, type FixturePerson } from '../support/fixtures.js';
import { asGateway, codes, graphql, type GraphQLResponse } from '../support/stack.js';
import { createTestCertificates, type TestCertificates } from '../support/tls.js';

let database: TestDatabase;
let keys: GatewayKeyPair;
let runtime: SubgraphRuntime;
let servers: Record<SubgraphName, RunningServer>;
let person: FixturePerson;
/** Confidentiality-marked (SE_CONFIDENTIALITY_MARKING): a reader sees name and birth date, not address, civil status or family. */
let marked: FixturePerson;
let issuer: DevIssuer;

beforeAll(async () => {
  database = await createTestDatabase();
  keys = await generateGatewayKeys();
  const db = database.db;
  person = await insertPerson(db, { identifier: '191212121212', givenNames: 'Åsa', familyName: 'Lindqvist' });
  marked = await insertPerson(db, { identifier: '198112189876', givenNames: 'Hemlig', familyName: 'Berg' });
  await db.insert(protectionMarkers).values({ personId: marked.id, kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2020-01-01' });
  await relate(db, marked.id, 'CHILD', person);
  await linkReserveIdentity(db, marked.id, 'RES-0001', marked.identifier);
  await recordMove(db, marked.id, marked.identifier, '0180', '1480');
  await db.transaction((tx) =>
    appendChangeEvents(tx, [
      {
        type: 'CIVIL_STATUS_CHANGE',
        personId: marked.id,
        identifier: marked.identifier,
        details: { from: 'UNMARRIED', to: 'MARRIED', validFrom: '2019-05-05' },
      },
    ]),
  );
  runtime = { db, gatewayPublicKey: keys.publicKey, cursors: new CursorCodec(Buffer.alloc(32, 7)) };
  const started = await Promise.all(SUBGRAPH_NAMES.map((name) => startSubgraph(subgraphs[name], runtime)));
  servers = Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, started[i]!])) as Record<SubgraphName, RunningServer>;
  issuer = await ephemeralDevIssuer();
});

afterAll(async () => {
  await Promise.all(Object.values(servers ?? {}).map((s) => s.close()));
  await database?.dispose();
});

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name { givenNames } } } }`;

/** POSTs `body` to a subgraph with a given gateway token. */
async function send(url: string, token: string, body: string): Promise<GraphQLResponse> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [GATEWAY_TOKEN_HEADER]: token }, body });
  return { status: res.status, ...((await res.json()) as object) };
}

const reasons = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.reason);

describe.each(SUBGRAPH_NAMES)('subgraph %s refuses requests that do not come from the gateway', (name) => {
  const body = JSON.stringify({ query: '{ __typename }' });

  it('without a gateway token', async () => {
    const res = await graphql(servers[name].url, '{ __typename }');
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(reasons(res)).toEqual(['GATEWAY_TOKEN_MISSING']);
    expect(res.data).toBeUndefined();
  });

  it('with a token signed by another key, even a well-formed one', async () => {
    const stranger = await generateKeyPair('EdDSA');
    const res = await send(servers[name].url, signGatewayToken(ANONYMOUS, stranger.privateKey, { subgraph: name, body }), body);
    expect(res.status).toBe(401);
    expect(reasons(res)).toEqual(['GATEWAY_TOKEN_INVALID']);
    expect(res.data).toBeUndefined();
  });

  it('with an expired gateway token', async () => {
    const expired = signGatewayToken(ANONYMOUS, keys.privateKey, { subgraph: name, body, now: Date.now() - 60_000 });
    const res = await send(servers[name].url, expired, body);
    expect(res.status).toBe(401);
    expect(reasons(res)).toEqual(['GATEWAY_TOKEN_EXPIRED']);
  });

  it('with a client bearer token in Authorization instead', async () => {
    const res = await graphql(
      servers[name].url,
      '{ __typename }',
      {},
      { authorization: `Bearer ${signGatewayToken(ANONYMOUS, keys.privateKey, { subgraph: name, body })}` },
    );
    expect(res.status).toBe(401);
  });

  it('over GET, even with a valid token (the gateway only POSTs; a query string is not what the token binds)', async () => {
    const res = await fetch(`${servers[name].url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { [GATEWAY_TOKEN_HEADER]: signGatewayToken(ANONYMOUS, keys.privateKey, { subgraph: name, body: '' }) },
    });
    expect(res.status).toBe(405);
    expect(((await res.json()) as GraphQLResponse).errors?.[0]?.extensions?.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('with the gateway token', () => {
  it('the person subgraph resolves a Person entity reference (_entities)', async () => {
    const res = await asGateway(servers.person.url, 'person', ANONYMOUS, keys.privateKey, ENTITIES, { r: [{ __typename: 'Person', id: person.id }] });
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

/** One request the gateway sent to a subgraph, as a man in the middle would have seen it. */
interface Captured {
  token: string;
  body: string;
}

/** A real HTTP proxy in front of one subgraph that keeps a copy of every request it forwards. */
async function capturingProxy(target: string, captured: Captured[]): Promise<{ url: string; server: Server }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      captured.push({ token: String(req.headers[GATEWAY_TOKEN_HEADER]), body: body.toString('utf8') });
      const upstream = httpRequest({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${to.pathname}`, server };
}

/** What an attacker holding a captured token would ask each subgraph instead: the marked person's hidden data. */
const ATTACKS: Record<SubgraphName, (p: FixturePerson) => { query: string; variables?: Record<string, unknown> }> = {
  person: (p) => ({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { civilStatus citizenships contactDetails { phone } } } }`,
    variables: { r: [{ __typename: 'Person', id: p.id }] },
  }),
  address: (p) => ({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { address { streetName houseNumber postalCode } } } }`,
    variables: { r: [{ __typename: 'Person', id: p.id }] },
  }),
  family: (p) => ({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { familyRelations(first: 20) { totalCount } } } }`,
    variables: { r: [{ __typename: 'Person', id: p.id }] },
  }),
  'reserve-id': (p) => ({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { reserveIdentities { value givenNames } } } }`,
    variables: { r: [{ __typename: 'Person', id: p.id, identifierValues: [p.identifier] }] },
  }),
  subscription: () => ({ query: `{ changeEvents(first: 50) { edges { node { type identifier municipalityBefore municipalityAfter } } } }` }),
};

describe('a gateway token captured from a real gateway → subgraph fetch', () => {
  const captured = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, [] as Captured[]])) as Record<SubgraphName, Captured[]>;
  const proxies: Server[] = [];
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let answer: GraphQLResponse;

  beforeAll(async () => {
    const urls = {} as Record<SubgraphName, string>;
    for (const name of SUBGRAPH_NAMES) {
      const proxy = await capturingProxy(servers[name].url, captured[name]);
      proxies.push(proxy.server);
      urls[name] = proxy.url;
    }
    gateway = await startGateway({ supergraphSdl: readSupergraph(), subgraphUrls: urls, signingKey: keys.privateKey, auth: issuer.authOptions, port: 0 });
    // A reader: the marked person's address, civil status and family are hidden from them.
    const token = await issuer.issue({ scope: 'folkreg:read', sub: 'reader' });
    answer = await graphql(
      gateway.url,
      /* GraphQL */ `
        query Everything($id: String!) {
          person(identifier: $id) {
            name {
              givenNames
            }
            civilStatus
            address {
              streetName
              postalCode
            }
            familyRelations(first: 5) {
              totalCount
            }
            reserveIdentities {
              value
            }
          }
          changeEvents(first: 50) {
            edges {
              node {
                type
                municipalityAfter
                person {
                  id
                }
                details {
                  ... on CivilStatusChangeDetails {
                    civilStatusAfter
                    validFrom
                  }
                }
              }
            }
          }
        }
      `,
      { id: marked.identifier },
      { authorization: `Bearer ${token}` },
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(proxies.map((p) => new Promise((ok) => p.close(ok))));
  });

  it('the gateway itself masks for this caller, and fetched from every subgraph through the proxies', () => {
    expect(answer.status).toBe(200);
    expect(answer.data.person.name).toEqual({ givenNames: 'Hemlig' });
    expect(answer.data.person.address).toBeNull();
    expect(answer.data.person.civilStatus).toBeNull();
    expect(codes(answer)).toContain('PROTECTED_IDENTITY');
    for (const name of SUBGRAPH_NAMES) expect(captured[name].length, name).toBeGreaterThan(0);
  });

  it(`lives ${GATEWAY_TOKEN_TTL_SECONDS} s and names its one subgraph and its body`, () => {
    for (const name of SUBGRAPH_NAMES) {
      const claims = JSON.parse(Buffer.from(captured[name][0]!.token.split('.')[1]!, 'base64url').toString('utf8'));
      expect(claims.exp - claims.iat).toBe(GATEWAY_TOKEN_TTL_SECONDS);
      expect(claims.aud).toBe(`subgraph:${name}`);
      expect(typeof claims.req).toBe('string');
    }
  });

  describe.each(SUBGRAPH_NAMES)('replayed to %s', (name) => {
    it('with a different query (for the hidden data) is refused before anything resolves', async () => {
      const { token } = captured[name][0]!;
      const res = await send(servers[name].url, token, JSON.stringify(ATTACKS[name](marked)));
      expect(res.status).toBe(401);
      expect(reasons(res)).toEqual(['GATEWAY_TOKEN_WRONG_REQUEST']);
      expect(res.data).toBeUndefined();
    });

    it('exactly as the gateway sent it, to the same process, is refused: a token answers once', async () => {
      const { token, body } = captured[name][0]!;
      const res = await send(servers[name].url, token, body);
      expect(res.status).toBe(401);
      expect(reasons(res)).toEqual(['GATEWAY_TOKEN_REPLAYED']);
    });

    it.each(SUBGRAPH_NAMES.filter((other) => other !== name))('to subgraph %s instead, with its own body or an attack, is refused', async (other) => {
      const { token, body } = captured[name][0]!;
      for (const attempt of [body, JSON.stringify(ATTACKS[other](marked))]) {
        const res = await send(servers[other].url, token, attempt);
        expect(res.status).toBe(401);
        expect(reasons(res)).toEqual(['GATEWAY_TOKEN_WRONG_SUBGRAPH']);
      }
    });
  });

  /**
   * What is left: the exact fetch, within the token's seconds, at another replica of the same subgraph
   * (replicas do not share the ids they have seen). The subgraph's second line answers it with no more
   * than the caller may see.
   */
  describe('replayed exactly to another replica of the same subgraph', () => {
    let replicas: Partial<Record<SubgraphName, RunningServer>> = {};
    beforeAll(async () => {
      for (const name of ['person', 'address', 'family', 'subscription'] as const) replicas[name] = await startSubgraph(subgraphs[name], runtime);
    });
    afterAll(async () => {
      await Promise.all(Object.values(replicas).map((r) => r!.close()));
      replicas = {};
    });

    it('address: the marked person’s address comes back null, as the gateway would mask it', async () => {
      const fetches = captured.address.filter((c) => c.body.includes('address'));
      expect(fetches.length).toBeGreaterThan(0);
      for (const { token, body } of fetches) {
        const res = await send(replicas.address!.url, token, body);
        expect(res.status).toBe(200);
        expect(res.data._entities).toEqual([expect.objectContaining({ address: null })]);
        expect(JSON.stringify(res)).not.toContain('Storgatan');
      }
    });

    it('person: civil status comes back null, the name (not hidden from this caller) and the markers the gateway masks by stay', async () => {
      const fetch = captured.person.find((c) => c.body.includes('civilStatus'))!;
      const res = await send(replicas.person!.url, fetch.token, fetch.body);
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.data);
      expect(text).not.toContain('MARRIED');
      expect(text).toContain('Hemlig');
      expect(text).toContain('SE_CONFIDENTIALITY_MARKING');
    });

    it('subscription: the marked person’s move comes without its municipality, their civil-status change without its details', async () => {
      const fetch = captured.subscription.find((c) => c.body.includes('municipalityAfter'))!;
      const res = await send(replicas.subscription!.url, fetch.token, fetch.body);
      expect(res.status).toBe(200);
      const moves = res.data.changeEvents.edges.map((e: { node: Record<string, unknown> }) => e.node).filter((n: Record<string, unknown>) => n.type === 'MOVE');
      expect(moves).toEqual([expect.objectContaining({ type: 'MOVE', municipalityAfter: null })]);
      expect(JSON.stringify(res)).not.toContain('1480');
      // The details' own second line: the civil-status change comes without its facts.
      const civil = res.data.changeEvents.edges
        .map((e: { node: Record<string, unknown> }) => e.node)
        .filter((n: Record<string, unknown>) => n.type === 'CIVIL_STATUS_CHANGE');
      expect(civil).toEqual([expect.objectContaining({ details: expect.objectContaining({ civilStatusAfter: null, validFrom: null }) })]);
      expect(JSON.stringify(res)).not.toContain('2019-05-05');
    });

    it('family: the marked person’s relations come back null', async () => {
      const fetch = captured.family.find((c) => c.body.includes('familyRelations'))!;
      const res = await send(replicas.family!.url, fetch.token, fetch.body);
      expect(res.status).toBe(200);
      expect(res.data._entities).toEqual([{ familyRelations: null }]);
    });
  });
});

describe('expiry: no acceptance past exp beyond the documented clock tolerance', () => {
  let clock = Date.now();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSubgraph(subgraphs.person, { ...runtime, now: () => clock });
  });
  afterAll(() => server?.close());

  const body = JSON.stringify({ query: ENTITIES, variables: { r: [{ __typename: 'Person', id: '00000000-0000-4000-8000-000000000001' }] } });

  it('a token answered once is refused as expired (not served from any cache) once its lifetime and the tolerance are over', async () => {
    const signedAt = clock;
    const token = signGatewayToken(ANONYMOUS, keys.privateKey, { subgraph: 'person', body, now: signedAt });
    expect((await send(server.url, token, body)).status).toBe(200);
    clock = signedAt + (GATEWAY_TOKEN_TTL_SECONDS + GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS) * 1000;
    const res = await send(server.url, token, body);
    expect(res.status).toBe(401);
    expect(reasons(res)).toEqual(['GATEWAY_TOKEN_EXPIRED']);
  });

  it(`an unused token is accepted up to ${GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS} s past exp (clock skew), and not a second later`, async () => {
    const signedAt = Math.floor(Date.now() / 1000) * 1000;
    const exp = signedAt + GATEWAY_TOKEN_TTL_SECONDS * 1000;
    clock = exp + (GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS - 1) * 1000;
    const within = await send(server.url, signGatewayToken(ANONYMOUS, keys.privateKey, { subgraph: 'person', body, now: signedAt }), body);
    expect(within.status).toBe(200);
    clock = exp + GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS * 1000;
    const past = await send(server.url, signGatewayToken(ANONYMOUS, keys.privateKey, { subgraph: 'person', body, now: signedAt }), body);
    expect(reasons(past)).toEqual(['GATEWAY_TOKEN_EXPIRED']);
  });
});

describe('TLS between gateway and subgraphs', () => {
  let certs: TestCertificates;
  let tlsServers: RunningServer[] = [];
  let urls: Record<SubgraphName, string>;
  let token: string;
  beforeAll(async () => {
    certs = createTestCertificates();
    tlsServers = await Promise.all(SUBGRAPH_NAMES.map((name) => startSubgraph(subgraphs[name], runtime, { tls: { cert: certs.cert, key: certs.key } })));
    urls = Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, tlsServers[i]!.url])) as Record<SubgraphName, string>;
    token = await issuer.issue({ scope: 'folkreg:read', sub: 'reader' });
  });
  afterAll(async () => {
    await Promise.all(tlsServers.map((s) => s.close()));
    certs?.dispose();
  });

  const QUERY = `query($id: String!) { person(identifier: $id) { name { givenNames } address { postalCode } } }`;

  it('a gateway trusting the test CA reads across subgraphs over https, and reports them ready', async () => {
    expect(Object.values(urls).every((u) => u.startsWith('https://127.0.0.1:'))).toBe(true);
    const gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      subgraphUrls: urls,
      subgraphTls: { ca: certs.ca },
      signingKey: keys.privateKey,
      auth: issuer.authOptions,
      port: 0,
    });
    try {
      const res = await graphql(gateway.url, QUERY, { id: person.identifier }, { authorization: `Bearer ${token}` });
      expect(res.errors).toBeUndefined();
      expect(res.data.person).toEqual({ name: { givenNames: 'Åsa' }, address: { postalCode: '111 22' } });
      expect((await fetch(new URL('/readyz', gateway.url))).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('a gateway that does not trust the CA gets nothing from them (the certificate is verified)', async () => {
    const gateway = await startGateway({ supergraphSdl: readSupergraph(), subgraphUrls: urls, signingKey: keys.privateKey, auth: issuer.authOptions, port: 0 });
    try {
      const res = await graphql(gateway.url, QUERY, { id: person.identifier }, { authorization: `Bearer ${token}` });
      expect(res.data?.person ?? null).toBeNull();
      expect(codes(res)).toContain('SUBGRAPH_UNAVAILABLE');
    } finally {
      await gateway.close();
    }
  });

  it('a subgraph with TLS configured does not answer plain http', async () => {
    const plain = urls.person.replace('https://', 'http://');
    const body = JSON.stringify({ query: '{ __typename }' });
    const attempt = request(plain, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [GATEWAY_TOKEN_HEADER]: signGatewayToken(ANONYMOUS, keys.privateKey, { subgraph: 'person', body }) },
      body,
    }).then(async (r) => ({ status: r.statusCode, text: await r.body.text() }));
    // Node's TLS server answers a plain-text request with a bare 400 and closes, or drops the connection.
    const outcome = await attempt.catch((err: Error) => ({ status: 0, text: err.message }));
    expect(outcome.status === 0 || outcome.status === 400).toBe(true);
    expect(outcome.text).not.toContain('__typename');
    expect(outcome.text).not.toContain('"data"');
  });
});

describe('a subgraph started alone (npm run start:subgraph)', () => {
  /** Starts launch/subgraph.ts with `env` and resolves with the URL it prints, then stops it. */
  async function startAlone(env: Record<string, string>): Promise<{ url: string | null; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'launch/subgraph.ts', 'person'], {
      // The database is opened lazily and never asked: no migration, no request reaches it.
      env: {
        ...withoutHost(process.env),
        DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
        MIGRATE_ON_START: 'false',
        PORT: '0',
        GATEWAY_PUBLIC_KEY: JSON.stringify(await exportPublic()),
        CURSOR_SECRET: Buffer.alloc(32, 1).toString('base64'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const url = await new Promise<string | null>((resolve) => {
      child.stdout.on('data', () => {
        const match = /on (\S+\/graphql)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('exit', () => resolve(null));
    });
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    return { url, stderr };
  }
  const withoutHost = ({ HOST: _host, TLS_CERT_FILE: _cert, TLS_KEY_FILE: _key, ...rest }: NodeJS.ProcessEnv) => rest;
  const exportPublic = async () => (await import('jose')).exportJWK(keys.publicKey);

  it('listens on 127.0.0.1 when HOST is not set', async () => {
    const { url } = await startAlone({});
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  });

  it('listens where HOST says (another loopback address here)', async () => {
    const { url } = await startAlone({ HOST: '127.0.0.2' });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/graphql$/);
  });

  it('refuses to start with half a TLS configuration', async () => {
    const { url, stderr } = await startAlone({ TLS_CERT_FILE: '/nonexistent.pem' });
    expect(url).toBeNull();
    expect(stderr).toContain('TLS_KEY_FILE');
  });
});
