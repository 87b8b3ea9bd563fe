import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemeralDevIssuer, type DevIssuer } from '../../gateway/dev-auth.js';
import { parseLimitsConfig } from '../../gateway/limits/index.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/** The machine's Redis (CI starts it); every run counts under a key prefix of its own. */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LOOKUP = 'query Lookup($i: String!) { person(identifier: $i) { name { givenNames } } }';

let database: TestDatabase;
let issuer: DevIssuer;
let anna: FixturePerson;
let replicas: TestStack[] = [];
/** A gateway whose Redis does not answer (nothing listens on port 1). */
let isolated: TestStack;

// A lookup costs 3 (the operation, the person, the name): 30 units are ten lookups a minute.
const config = parseLimitsConfig({ clients: { metered: { costPerMinute: 30 } } });

beforeAll(async () => {
  database = await createTestDatabase();
  anna = await insertPerson(database.db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund' });
  issuer = await ephemeralDevIssuer();
  const secrets = await ephemeralSecrets();
  const keyPrefix = `folkreg:test:${randomUUID()}`;
  replicas = await Promise.all(
    [0, 1].map(() => startTestStack(database.db, { secrets, issuer, limits: { config, budgets: { redisUrl: REDIS_URL, keyPrefix } } })),
  );
  isolated = await startTestStack(database.db, { secrets, issuer, limits: { config, budgets: { redisUrl: 'redis://127.0.0.1:1', keyPrefix } } });
});

afterAll(async () => {
  await Promise.all([...replicas, isolated].map((s) => s?.close()));
  await database?.dispose();
});

const lookup = async (stack: TestStack, token: string) => {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: LOOKUP, variables: { i: anna.identifier } }),
  });
  return {
    status: res.status,
    remaining: res.headers.get('ratelimit-remaining'),
    body: (await res.json()) as { errors?: { extensions?: Record<string, unknown> }[] },
  };
};

describe('cost budgets on Redis', () => {
  it("two gateways on one Redis share a client's budget", async () => {
    const token = await issuer.issue({ scope: 'folkreg:read', sub: 'shared', client: 'metered' });
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    // Alternating replicas: the budget of ten lookups is spent across both, not ten on each.
    for (let i = 0; i < 12; i++) {
      const res = await lookup(replicas[i % 2]!, token);
      statuses.push(res.status);
      remaining.push(res.remaining);
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    expect(remaining.slice(0, 10)).toEqual(['27', '24', '21', '18', '15', '12', '9', '6', '3', '0']);
    // Another client of the same deployment is served by both.
    const other = await issuer.issue({ scope: 'folkreg:read', sub: 'other', client: 'other-app' });
    for (const replica of replicas) expect((await lookup(replica, other)).status).toBe(200);
    const ready = await (await fetch(replicas[0]!.gateway.url.replace('/graphql', '/readyz'))).json();
    expect(ready).toMatchObject({ rateLimiter: 'redis' });
  });

  it('with Redis unreachable a gateway counts in memory (fails open), enforces budgets alone and says so in /readyz', async () => {
    const token = await issuer.issue({ scope: 'folkreg:read', sub: 'isolated', client: 'metered' });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await lookup(isolated, token)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const ready = await (await fetch(isolated.gateway.url.replace('/graphql', '/readyz'))).json();
    expect(ready).toMatchObject({ rateLimiter: 'memory (redis unreachable)' });
  });
});
