import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { limitsConfigOf, parseLimitsConfig } from '../../gateway/limits/index.js';
import { readConfig } from '../../kernel/config.js';
import { SubscriptionCloseCode } from '../../gateway/websocket/protocol.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { reserveIdentities, reserveIdentityLinks } from '../../db/schema/index.js';
import { nationalReserveIdFor } from '../../kernel/identifiers.js';
import { insertPerson, relate, type FixturePerson } from '../support/fixtures.js';
import { graphql, useTestStack, type GraphQLResponse } from '../support/stack.js';
import { README_PERSON } from '../support/documents.js';
import { Collector, connect } from '../support/subscriptions.js';

let anna: FixturePerson;
/** Tokens of other clients: each has its own budget. */
let bystander: string;
let deepClient: string;

/** `familyRelations(first: 20) { edges { node { relative { … } } } }` nested `levels` deep. */
function nestedFamilyPages(levels: number): string {
  let inner = 'name { givenNames }';
  for (let i = 0; i < levels; i++) inner = `familyRelations(first: 20) { edges { node { relative { ${inner} } } } }`;
  return `query Nested($i: String!) { person(identifier: $i) { ${inner} } }`;
}

const LOOKUP = 'query Lookup($i: String!) { person(identifier: $i) { name { givenNames familyName } } }';

async function post(body: unknown, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(env.stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Omit<GraphQLResponse, 'status'> & { extensions?: Record<string, unknown> } };
}

let reader: string;

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
    const child = await insertPerson(db, { identifier: '195002020201', givenNames: 'Barn', familyName: 'Östlund' });
    await relate(db, anna.id, 'CHILD', child);
    await relate(db, child.id, 'MOTHER', anna);
  },
  stack: () => ({
    limits: {
      config: parseLimitsConfig({
        // A client allowed deep documents: its nested pages are refused by their cost instead.
        clients: { 'deep-client': { maxDepth: 1_000, maxTokens: 20_000 }, 'tiny-budget': { costPerMinute: 60 }, 'invalid-flood': { costPerMinute: 10 } },
        sockets: { maxSubscriptionsPerSocket: 3, maxSocketsPerClient: 2, maxRefusedSubscribesPerSocket: 3 },
      }),
    },
  }),
});

beforeAll(async () => {
  reader = await env.stack.issue({ scope: 'folkreg:read', sub: 'attacker', client: 'attacker-app' });
  bystander = await env.stack.issue({ scope: 'folkreg:read', sub: 'bystander', client: 'bystander-app' });
  deepClient = await env.stack.issue({ scope: 'folkreg:read', sub: 'deep', client: 'deep-client' });
});

/** Another client's ordinary lookup is served right after a refusal. */
async function bystanderServed() {
  const ok = await post({ query: LOOKUP, variables: { i: anna.identifier } }, bystander);
  expect(ok.status).toBe(200);
  expect(ok.body.data?.person.name.givenNames).toBe('Anna');
}

describe('operation limits over HTTP', () => {
  const shapes: { name: string; body: () => unknown; token?: () => string; code: string; limit: string; measured: (m: unknown) => void; allowed: number }[] = [
    {
      name: 'six nested family pages (depth)',
      body: () => ({ query: nestedFamilyPages(6), variables: { i: anna.identifier } }),
      code: 'DEPTH_LIMIT_EXCEEDED',
      limit: 'maxDepth',
      measured: (m) => expect(m).toBe(27),
      allowed: 15,
    },
    {
      name: 'six nested family pages from a client allowed any depth (cost: what they would fetch)',
      body: () => ({ query: nestedFamilyPages(6), variables: { i: anna.identifier } }),
      token: () => deepClient,
      code: 'COST_LIMIT_EXCEEDED',
      limit: 'maxCost',
      // 20^6 relatives at the deepest level alone.
      measured: (m) => expect(m as number).toBeGreaterThan(20 ** 6),
      allowed: 20_000,
    },
    {
      name: 'family pages nested 150 deep (7 KB)',
      body: () => ({ query: nestedFamilyPages(150), variables: { i: anna.identifier } }),
      code: 'DEPTH_LIMIT_EXCEEDED',
      limit: 'maxDepth',
      measured: (m) => expect(m).toBe(603),
      allowed: 15,
    },
    {
      name: '3,000 aliased lookups with family pages (huge document)',
      body: () => ({
        query: `{ ${Array.from({ length: 3_000 }, (_, i) => `p${i}: person(identifier: "${anna.identifier}") { name { givenNames } familyRelations(first: 20) { edges { node { relative { name { givenNames } } } } } }`).join(' ')} }`,
      }),
      code: 'DOCUMENT_TOO_LARGE',
      limit: 'maxDocumentBytes',
      measured: (m) => expect(m as number).toBeGreaterThan(400_000),
      allowed: 65_536,
    },
    {
      name: '300 aliases',
      body: () => ({
        query: `{ person(identifier: "${anna.identifier}") { ${Array.from({ length: 300 }, (_, i) => `n${i}: name { givenNames }`).join(' ')} } }`,
      }),
      code: 'ALIAS_LIMIT_EXCEEDED',
      limit: 'maxAliases',
      measured: (m) => expect(m).toBe(300),
      allowed: 256,
    },
    {
      name: 'a token flood',
      body: () => ({ query: `{ ${'a '.repeat(12_000)}}` }),
      code: 'TOO_MANY_TOKENS',
      limit: 'maxTokens',
      measured: (m) => expect(m).toBe(12_002),
      allowed: 10_000,
    },
    {
      name: "a token flood past every client's limit (parsing stops there)",
      body: () => ({ query: `{ ${'a '.repeat(30_000)}}` }),
      token: () => deepClient,
      code: 'TOO_MANY_TOKENS',
      limit: 'maxTokens',
      // deep-client's 20,000 is the largest token limit configured: the parser stopped one past it.
      measured: (m) => expect(m).toBe(20_001),
      allowed: 20_000,
    },
    {
      name: 'too many directives',
      body: () => ({ query: `{ person(identifier: "${anna.identifier}") { id ${'@include(if: true) '.repeat(60)} } }` }),
      code: 'DIRECTIVE_LIMIT_EXCEEDED',
      limit: 'maxDirectives',
      measured: (m) => expect(m).toBe(60),
      allowed: 50,
    },
    {
      name: 'too many root fields',
      body: () => ({ query: `{ ${Array.from({ length: 25 }, (_, i) => `h${i}: changeEventsHead`).join(' ')} }` }),
      code: 'ROOT_FIELD_LIMIT_EXCEEDED',
      limit: 'maxRootFields',
      measured: (m) => expect(m).toBe(25),
      allowed: 20,
    },
  ];

  for (const shape of shapes) {
    it(`refuses ${shape.name} with ${shape.code} and serves another client right after`, async () => {
      const res = await post(shape.body(), shape.token?.() ?? reader);
      expect(res.status).toBe(400);
      expect(res.body.data).toBeUndefined();
      const [error] = res.body.errors!;
      expect(error!.extensions).toMatchObject({ code: shape.code, limit: shape.limit, allowed: shape.allowed });
      shape.measured(error!.extensions!.measured);
      await bystanderServed();
    });
  }

  it('prices a fragment spread exponentially many times at what it expands to, without walking it each time', async () => {
    const levels = 12;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Person { name { givenNames } }`
        : `fragment F${i} on Person { ...F${i + 1} ...F${i + 1} ...F${i + 1} ...F${i + 1} }`,
    );
    const res = await post({ query: `{ person(identifier: "${anna.identifier}") { ...F0 } } ${fragments.join(' ')}`, variables: {} }, reader);
    expect(res.status).toBe(400);
    // 4^11 copies of `name { givenNames }` (1 each), the person and the operation.
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', measured: 4 ** 11 + 2, allowed: 20_000 });
    await bystanderServed();
  });

  it('applies the same limits to GET', async () => {
    const url = new URL(env.stack.gateway.url);
    url.searchParams.set('query', nestedFamilyPages(6));
    url.searchParams.set('variables', JSON.stringify({ i: anna.identifier }));
    const res = await fetch(url, { headers: { authorization: `Bearer ${reader}`, accept: 'application/graphql-response+json' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as GraphQLResponse).errors![0]!.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', measured: 27, allowed: 15 });
  });

  it('applies them to APQ documents, registered or looked up by hash alone', async () => {
    const deep = nestedFamilyPages(6);
    const hash = createHash('sha256').update(deep).digest('hex');
    const registering = await post(
      { query: deep, variables: { i: anna.identifier }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
      deepClient,
    );
    expect(registering.body.errors![0]!.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED' });
    // Registered by a client with looser limits, then sent by hash alone by another: its own limits apply.
    const twoDeep = nestedFamilyPages(2);
    const twoHash = createHash('sha256').update(twoDeep).digest('hex');
    const ok = await post(
      { query: twoDeep, variables: { i: anna.identifier }, extensions: { persistedQuery: { version: 1, sha256Hash: twoHash } } },
      deepClient,
    );
    expect(ok.status).toBe(200);
    const tight = await env.stack.issue({ scope: 'folkreg:read', sub: 'tight' });
    const byHash = await post({ variables: { i: anna.identifier }, extensions: { persistedQuery: { version: 1, sha256Hash: twoHash } } }, tight, {
      'folkreg-cost': '1',
    });
    expect(byHash.status).toBe(200);
    expect(byHash.body.extensions?.cost).toMatchObject({ estimated: expect.any(Number), maxCost: 20_000 });
  });

  it("an APQ hash that is not the query's is PERSISTED_QUERY_HASH_MISMATCH (400), not an internal error", async () => {
    const res = await post(
      { query: LOOKUP, variables: { i: anna.identifier }, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
      reader,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'PERSISTED_QUERY_HASH_MISMATCH' });
  });

  it('an operationName that is not in the document is 400 OPERATION_RESOLUTION_FAILURE', async () => {
    const res = await post({ query: LOOKUP, operationName: 'Elsewhere', variables: { i: anna.identifier } }, reader);
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'OPERATION_RESOLUTION_FAILURE', operationName: 'Elsewhere' });
    const two = await post({ query: `${LOOKUP} query Other { changeEventsHead }`, variables: { i: anna.identifier } }, reader);
    expect(two.status).toBe(400);
    expect(two.body.errors![0]!.extensions).toMatchObject({ code: 'OPERATION_RESOLUTION_FAILURE' });
  });

  it('passes the README query and tells its cost on request (folkreg-cost: 1)', async () => {
    const res = await post({ query: README_PERSON, variables: { identifier: anna.identifier } }, bystander, { 'folkreg-cost': '1' });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const cost = res.body.extensions?.cost as { estimated: number; maxCost: number; budget: { limit: number; remaining: number } };
    // person + family page of 20 (each edge, node, relative, name, address) + 10 events …
    expect(cost.estimated).toBe(190);
    expect(cost.maxCost).toBe(20_000);
    expect(cost.budget.limit).toBe(300_000);
    expect(res.headers.get('ratelimit-limit')).toBe('300000');
    // Without the header, no cost in the response.
    const plain = await post({ query: LOOKUP, variables: { i: anna.identifier } }, bystander);
    expect(plain.body.extensions?.cost).toBeUndefined();
  });
});

describe('link history', () => {
  /** `links(includeHistoric: true…) { targetReserveIdentity { links … } }` `hops` deep, from `value`. */
  function linkHops(value: string, hops: number, args = 'includeHistoric: true'): string {
    let inner = 'value';
    for (let i = 0; i < hops; i++) inner = `links(${args}) { target { value } targetReserveIdentity { ${inner} } }`;
    return `{ reserveIdentity(identifier: "${value}", followLinks: false) { value ${inner} } }`;
  }

  it('linked and unlinked 30 times each way, six nested hops are refused by cost; first: bounds each list', async () => {
    const [r1, r2] = [
      nationalReserveIdFor({ birthDate: '1981-01-01', sex: 'MALE', serialLetters: 'LA' }),
      nationalReserveIdFor({ birthDate: '1981-01-02', sex: 'MALE', serialLetters: 'LB' }),
    ];
    const [a, b] = await env.db
      .insert(reserveIdentities)
      .values([r1, r2].map((value) => ({ kind: 'NATIONAL_RESERVE_ID' as const, value, givenNames: 'Okänd', familyName: 'Reserv' })))
      .returning({ id: reserveIdentities.id });
    // What a writer gets with link, unlink, link back… (the cycle check sees only the current chain).
    const ended = new Date('2026-01-01T00:00:00Z');
    await env.db.insert(reserveIdentityLinks).values(
      Array.from({ length: 30 }, (_, i) => [
        {
          reserveIdentityId: a!.id,
          targetKind: 'NATIONAL_RESERVE_ID' as const,
          targetValue: r2,
          linkedAt: new Date(ended.getTime() - (i + 1) * 60_000),
          unlinkedAt: ended,
        },
        {
          reserveIdentityId: b!.id,
          targetKind: 'NATIONAL_RESERVE_ID' as const,
          targetValue: r1,
          linkedAt: new Date(ended.getTime() - (i + 1) * 60_000),
          unlinkedAt: ended,
        },
      ]).flat(),
    );
    // 30⁶ objects if each hop returned the whole history; priced at first: 10 a hop now.
    const six = await post({ query: linkHops(r1, 6) }, deepClient);
    expect(six.status).toBe(400);
    expect(six.body.errors![0]!.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', allowed: 20_000 });
    expect(six.body.errors![0]!.extensions!.measured as number).toBeGreaterThan(1_000_000);
    // Asking for 2 a hop, the answer holds exactly 2 at every level (2⁶ at the bottom), newest first.
    const two = await post({ query: linkHops(r1, 6, 'includeHistoric: true, first: 2') }, deepClient);
    expect(two.status).toBe(200);
    let level: { links: unknown[] }[] = [two.body.data!.reserveIdentity];
    for (let hop = 0; hop < 6; hop++) {
      expect(level.every((identity) => identity.links.length === 2)).toBe(true);
      level = level.flatMap((identity) => (identity.links as { targetReserveIdentity: { links: unknown[] } }[]).map((l) => l.targetReserveIdentity));
    }
    expect(level).toHaveLength(64);
    // Outside 1..50 the subgraph refuses it, as family pages do.
    const many = await post({ query: linkHops(r1, 1, 'includeHistoric: true, first: 51') }, deepClient);
    expect(many.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PAGE_SIZE' });
    await bystanderServed();
  });
});

describe('cost budgets', () => {
  it('an over-budget client gets 429 with Retry-After and RateLimit headers while another client is served', async () => {
    const tiny = await env.stack.issue({ scope: 'folkreg:read', sub: 'tiny', client: 'tiny-budget' });
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    // A lookup costs 3 (person, name, the operation): the 60-unit budget lasts 20 of them.
    for (let i = 0; i < 25 && !refused; i++) {
      const res = await post({ query: LOOKUP, variables: { i: anna.identifier } }, tiny);
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(refused!.status).toBe(429);
    // Refused at its floor (1: charged before the document is parsed), the rest is never reached.
    expect(refused!.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', budget: 60, measured: 1 });
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused!.headers.get('ratelimit-limit')).toBe('60');
    expect(refused!.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(refused!.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(refused!.headers.get('ratelimit-policy')).toBe('60;w=60');
    await bystanderServed();
  });

  it('documents that fail validation draw on the budget too: a client sending only invalid ones gets 429', async () => {
    const flood = await env.stack.issue({ scope: 'folkreg:read', sub: 'invalid-flood', client: 'invalid-flood' });
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    // Each is refused by validation (unknown field) and charged its floor of 1: the 10-unit budget lasts 10.
    for (let i = 0; i < 15 && !refused; i++) {
      const res = await post({ query: `{ nope${i} }` }, flood);
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(refused?.status).toBe(429);
    expect(refused!.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', budget: 10 });
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    // A valid lookup is refused as well now, and another client is served.
    expect((await post({ query: LOOKUP, variables: { i: anna.identifier } }, flood)).status).toBe(429);
    await bystanderServed();
  });
});

describe('websocket subscribe', () => {
  const SUBSCRIBE = 'subscription { changeEvents { type person { name { givenNames } } } }';

  it('refuses the same shapes with the same codes, before planning', async () => {
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${reader}` });
    try {
      let inner = 'name { givenNames }';
      for (let i = 0; i < 6; i++) inner = `familyRelations(first: 20) { edges { node { relative { ${inner} } } } }`;
      const deep = new Collector(client, `subscription { changeEvents { person { ${inner} } } }`);
      const ending = await deep.ended;
      expect(ending).toMatchObject({ kind: 'errors', errors: [{ extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 'maxDepth', allowed: 15 } }] });
      expect((ending as { errors: { extensions: Record<string, unknown> }[] }).errors[0]!.extensions.http).toBeUndefined();
      const query = new Collector(client, `{ ${Array.from({ length: 25 }, (_, i) => `h${i}: changeEventsHead`).join(' ')} }`);
      expect(await query.ended).toMatchObject({ kind: 'errors', errors: [{ extensions: { code: 'ROOT_FIELD_LIMIT_EXCEEDED', measured: 25, allowed: 20 } }] });
    } finally {
      await client.dispose();
    }
  });

  it("prices subscriptions per event: a deep client's nested pages are refused by cost", async () => {
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${deepClient}` });
    try {
      let inner = 'name { givenNames }';
      for (let i = 0; i < 4; i++) inner = `familyRelations(first: 20) { edges { node { relative { ${inner} } } } }`;
      const sub = new Collector(client, `subscription { changeEvents { person { ${inner} } } }`);
      expect(await sub.ended).toMatchObject({ kind: 'errors', errors: [{ extensions: { code: 'COST_LIMIT_EXCEEDED', allowed: 20_000 } }] });
    } finally {
      await client.dispose();
    }
  });

  it("sizes a subscription's batches so one costs at most maxCost, and delivers every event", async () => {
    // Two nested family pages per event: 1,685 an event, so the feed's batch of 100 would cost 168,602.
    let inner = 'name { givenNames }';
    for (let i = 0; i < 2; i++) inner = `familyRelations(first: 20) { edges { node { relative { ${inner} } } } }`;
    const write = (n: number) =>
      env.db.transaction((tx) =>
        appendChangeEvents(
          tx,
          Array.from({ length: n }, () => ({ type: 'MOVE' as const, personId: anna.id, identifier: anna.identifier })),
        ),
      );
    // A cursor to replay from (an empty log has none: `after: null` is live from the head).
    await write(1);
    const start = (await env.stack.query('{ changeEventsHead }')).data.changeEventsHead as string;
    await write(40);
    const before = env.stack.gateway.subscriptions.stats().batches;
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${deepClient}` });
    try {
      const sub = new Collector(client, `subscription($after: String) { changeEvents(after: $after) { cursor person { name { givenNames } ${inner} } } }`, {
        after: start,
      });
      const events = await Promise.race([
        sub.take(40),
        sub.ended.then((e) => {
          throw new Error(JSON.stringify(e));
        }),
      ]);
      expect(events.every((e) => e.data?.changeEvents.person.name.givenNames === 'Anna')).toBe(true);
      expect(new Set(events.map((e) => e.data!.changeEvents.cursor)).size).toBe(40);
      // 11 events a batch (18,548 ≤ 20,000), so 40 events take at least 4 batches (one batch of 100 before).
      expect(env.stack.gateway.subscriptions.stats().batches - before).toBeGreaterThanOrEqual(4);
      sub.stop();
    } finally {
      await client.dispose();
    }
  });

  it('a socket that keeps sending refused subscribes is closed with 4432; its open subscription ends with it', async () => {
    const token = await env.stack.issue({ scope: 'folkreg:read', sub: 'prober', client: 'prober-app' });
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${token}` });
    try {
      const kept = new Collector(client, SUBSCRIBE);
      await env.stack.gateway.subscriptions.until((s) => s.subscribers >= 1);
      // Invalid documents, each answered with its own error; the fourth passes the limit of 3.
      for (let i = 0; i < 3; i++) expect(await new Collector(client, `subscription { nope${i} }`).ended).toMatchObject({ kind: 'errors' });
      void new Collector(client, 'subscription { nope }').ended;
      expect(await kept.ended).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.TooManyRefusals });
    } finally {
      await client.dispose();
    }
  });

  it("an over-budget client's subscribe is refused with RATE_LIMITED", async () => {
    const tiny = await env.stack.issue({ scope: 'folkreg:read', sub: 'tiny-ws', client: 'tiny-budget' });
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${tiny}` });
    try {
      // The HTTP test spent this client's budget for the window (shared by client id across transports).
      for (let i = 0; i < 25; i++) if ((await post({ query: LOOKUP, variables: { i: anna.identifier } }, tiny)).status === 429) break;
      const sub = new Collector(client, SUBSCRIBE);
      expect(await sub.ended).toMatchObject({ kind: 'errors', errors: [{ extensions: { code: 'RATE_LIMITED', budget: 60 } }] });
    } finally {
      await client.dispose();
    }
  });

  it('a subscribe flood closes the socket with 4430; other sockets go on', async () => {
    const other = connect(env.stack.gateway.url, { authorization: `Bearer ${bystander}` });
    const flood = connect(env.stack.gateway.url, { authorization: `Bearer ${reader}` });
    try {
      const kept = new Collector(other, SUBSCRIBE);
      await env.stack.gateway.subscriptions.until((s) => s.subscribers >= 1);
      const subs = Array.from({ length: 4 }, () => new Collector(flood, SUBSCRIBE));
      const ending = await subs[3]!.ended;
      expect(ending).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.TooManySubscriptions });
      for (const s of subs.slice(0, 3)) expect(await s.ended).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.TooManySubscriptions });
      await env.stack.gateway.subscriptions.until((s) => s.subscribers === 1);
      kept.stop();
    } finally {
      await flood.dispose();
      await other.dispose();
    }
  });

  it('a client with as many sockets open as allowed gets the next one closed with 4431', async () => {
    const token = await env.stack.issue({ scope: 'folkreg:read', sub: 'many-sockets', client: 'socket-app' });
    const clients = Array.from({ length: 3 }, () => connect(env.stack.gateway.url, { authorization: `Bearer ${token}` }));
    try {
      const first = [new Collector(clients[0]!, SUBSCRIBE), new Collector(clients[1]!, SUBSCRIBE)];
      await env.stack.gateway.subscriptions.until((s) => s.subscribers >= 2);
      const third = new Collector(clients[2]!, SUBSCRIBE);
      expect(await third.ended).toMatchObject({ kind: 'closed', code: SubscriptionCloseCode.TooManySockets });
      // Once one closes, the client may open another.
      first[0]!.stop();
      await clients[0]!.dispose();
      await env.stack.gateway.subscriptions.until((s) => s.sockets === 1);
      const again = connect(env.stack.gateway.url, { authorization: `Bearer ${token}` });
      const later = new Collector(again, SUBSCRIBE);
      await env.stack.gateway.subscriptions.until((s) => s.subscribers === 2);
      later.stop();
      first[1]!.stop();
      await again.dispose();
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });
});

describe('limits configuration', () => {
  it('refuses unknown keys and values that are not whole numbers', () => {
    expect(() => parseLimitsConfig({ defaults: { maxDepht: 3 } })).toThrow(/unknown key 'maxDepht'/);
    expect(() => parseLimitsConfig({ client: {} })).toThrow(/Unknown key 'client'/);
    expect(() => parseLimitsConfig({ clients: { a: { maxCost: -1 } } })).toThrow(/whole number/);
    const config = parseLimitsConfig({ scopes: { 'bulk:read': { maxCost: 100_000 } }, clients: { a: { maxDepth: 3 } } });
    expect(config.scopes['bulk:read']).toEqual({ maxCost: 100_000 });
    expect(config.defaults.maxCost).toBe(20_000);
  });

  it('reads LIMITS_FILE and RATE_LIMIT_COST_PER_MINUTE, and names the file in what stops the start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'folkreg-limits-'));
    const file = join(dir, 'limits.json');
    writeFileSync(file, JSON.stringify({ clients: { 'partner-etl': { costPerMinute: 5_000_000 } } }));
    const config = limitsConfigOf(readConfig({ LIMITS_FILE: file, RATE_LIMIT_COST_PER_MINUTE: '0' }, 'stack').gateway);
    expect(config.defaults.costPerMinute).toBe(0);
    expect(config.clients['partner-etl']).toEqual({ costPerMinute: 5_000_000 });
    writeFileSync(file, JSON.stringify({ defaults: { maxCots: 1 } }));
    expect(() => limitsConfigOf(readConfig({ LIMITS_FILE: file }, 'stack').gateway)).toThrow(`LIMITS_FILE ${file}: defaults: unknown key 'maxCots'`);
    expect(() => readConfig({ RATE_LIMIT_COST_PER_MINUTE: 'lots' }, 'stack')).toThrow(/RATE_LIMIT_COST_PER_MINUTE/);
  });
});

void graphql;
