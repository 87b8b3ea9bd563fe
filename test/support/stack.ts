import { readSupergraph } from '../../schema/compose.js';
import { startStack, type RunningStack, type StackOptions } from '../../launch/stack.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import type { Db } from '../../db/client.js';
import { ephemeralDevIssuer, type DevIssuer } from '../../gateway/dev-auth.js';
import type { CryptoKey } from 'jose';
import { GATEWAY_TOKEN_HEADER, signGatewayToken } from '../../kernel/gateway-token.js';
import { type Caller } from '../../kernel/caller.js';
import { parseLimitsConfig } from '../../gateway/limits/index.js';

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
  /** A GraphQL request through the gateway as an authenticated caller with no special scopes. */
  query<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
}

/**
 * The whole stack on free loopback ports (gateway included), over `db`, trusting an in-memory issuer.
 * Stacks given the same `secrets` and `issuer` act as replicas of one deployment (scale-out tests).
 * Load shedding is off unless asked for: a CPU shared by parallel test files lags the event loop, and a
 * shed request would fail a test about something else (test/e2e/time-bounds.test.ts tests shedding).
 */
export async function startTestStack(db: Db, options: Partial<StackOptions> & { issuer?: DevIssuer } = {}): Promise<TestStack> {
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
    query: (q, variables, headers = {}) => graphql(stack.gateway.url, q, variables, { authorization: `Bearer ${token}`, ...headers }),
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

export function codes(response: GraphQLResponse): unknown[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}
