import { afterAll, beforeAll } from 'vitest';
import { readSupergraph } from '../../schema/compose.js';
import { startStack, type RunningStack, type StackOptions } from '../../launch/stack.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import type { Db } from '../../db/client.js';
import { ephemeralDevIssuer, type DevIssuer, type IssueOptions } from '../../gateway/dev-auth.js';
import type { CryptoKey } from 'jose';
import { GATEWAY_TOKEN_HEADER, signGatewayToken } from '../../kernel/gateway-token.js';
import { type Caller } from '../../kernel/caller.js';
import { parseLimitsConfig } from '../../gateway/limits/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/**
 * The product's limits without cost budgets: a test file sends hundreds of priced requests as one client
 * within seconds (the protection tests spend more than the default 300,000 units a minute), which a budget would
 * throttle on a fast machine and not on a slow one. Budgets are tested on their own (limits, rate-limit-redis).
 */
const TEST_LIMITS = { config: parseLimitsConfig({ defaults: { costPerMinute: 0 } }) };

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestStack extends RunningStack {
  /** Signs a caller JWT the stack accepts. */
  issue: DevIssuer['issue'];
  /** A caller JWT with these scopes (space-separated), as `sub` (default the scopes themselves) and any other claims. */
  token(scope: string, claims?: IssueOptions): Promise<string>;
  /** A GraphQL request through the gateway as an authenticated caller with no special scopes. */
  query<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** A GraphQL request through the gateway as the holder of `token` (from `token()` or `issue()`). */
  queryAs<T = any>(token: string, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
}

/** What a test file varies about its stack: anything of launch/stack.ts's options, and the issuer. */
export type TestStackOptions = Partial<StackOptions> & {
  /** Stacks given the same issuer (and `secrets`) accept each other's tokens: replicas of one deployment. */
  issuer?: DevIssuer;
};

/** A test file's database and stack, filled in by its `beforeAll` (read them inside tests and hooks only). */
export interface StackFixture<Seeded> {
  readonly database: TestDatabase;
  readonly db: Db;
  readonly stack: TestStack;
  /** What `seed` returned. */
  readonly seeded: Seeded;
}

/**
 * The one set-up of a test file that needs the stack: before its tests, a database of its own
 * (`database`, default a fresh test database), `seed` run over it, and the stack started with `stack`'s
 * options (a function of the seeded rows when they depend on them); after them, both closed.
 */
export function useTestStack<Seeded = void>(
  setup: {
    seed?: (db: Db) => Promise<Seeded>;
    stack?: TestStackOptions | ((seeded: Seeded, db: Db) => TestStackOptions | Promise<TestStackOptions>);
    database?: () => Promise<TestDatabase>;
  } = {},
): StackFixture<Seeded> {
  let database: TestDatabase | undefined;
  let stack: TestStack | undefined;
  let seeded: Seeded | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useTestStack: the ${what} is made in beforeAll; read it inside a test or hook.`);
    return value;
  };
  beforeAll(async () => {
    database = await (setup.database ?? createTestDatabase)();
    seeded = setup.seed ? await setup.seed(database.db) : (undefined as Seeded);
    const options = typeof setup.stack === 'function' ? await setup.stack(seeded as Seeded, database.db) : setup.stack;
    stack = await startTestStack(database.db, options);
  });
  afterAll(async () => {
    await stack?.close();
    await database?.dispose();
  });
  return {
    get database() {
      return ready(database, 'database');
    },
    get db() {
      return ready(database, 'database').db;
    },
    get stack() {
      return ready(stack, 'stack');
    },
    get seeded() {
      return seeded as Seeded;
    },
  };
}

/** The Authorization header of a bearer token. */
export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });

/**
 * The whole stack on free loopback ports (gateway included), over `db`, trusting an in-memory issuer.
 * Stacks given the same `secrets` and `issuer` act as replicas of one deployment (scale-out tests).
 * Load shedding is off unless asked for: a CPU shared by parallel test files lags the event loop, and a
 * shed request would fail a test about something else (test/e2e/time-bounds.test.ts tests shedding).
 */
export async function startTestStack(db: Db, options: TestStackOptions = {}): Promise<TestStack> {
  const { issuer: given, ...rest } = options;
  const issuer = given ?? (await ephemeralDevIssuer());
  const stack = await startStack({
    db,
    secrets: await ephemeralSecrets(),
    supergraphSdl: readSupergraph(),
    auth: issuer.authOptions,
    port: 0,
    loadShedding: false,
    limits: TEST_LIMITS,
    ...rest,
  });
  const token = await issuer.issue({ scope: 'folkreg:read', sub: 'test-user' });
  return {
    ...stack,
    issue: issuer.issue,
    token: (scope, claims = {}) => issuer.issue({ scope, sub: scope || 'no scopes', ...claims }),
    query: (q, variables, headers = {}) => graphql(stack.gateway.url, q, variables, { ...bearer(token), ...headers }),
    queryAs: (as, q, variables, headers = {}) => graphql(stack.gateway.url, q, variables, { ...bearer(as), ...headers }),
  };
}

/** POSTs a GraphQL operation over real HTTP. */
export async function graphql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: res.status, ...body };
}

/**
 * A GraphQL request straight to a subgraph, as the gateway sends it: a POST whose gateway token is
 * signed for this subgraph and this exact body.
 */
export async function asGateway<T = any>(
  url: string,
  subgraph: string,
  caller: Caller,
  privateKey: CryptoKey,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const body = JSON.stringify({ query, variables });
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [GATEWAY_TOKEN_HEADER]: signGatewayToken(caller, privateKey, { subgraph, body }) },
    body,
  });
  return { status: res.status, ...((await res.json()) as Omit<GraphQLResponse<T>, 'status'>) };
}

/** The `extensions.code` of each error of a response. */
export function codes(response: GraphQLResponse): unknown[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}
