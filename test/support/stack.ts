import { readSupergraph } from '../../schema/compose.js';
import { startStack, type RunningStack } from '../../gateway/stack.js';
import { ephemeralSecrets } from '../../subgraphs/shared/secrets.js';
import type { Db } from '../../db/client.js';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The whole stack on free loopback ports (gateway included), over `db`. */
export async function startTestStack(db: Db): Promise<RunningStack> {
  return startStack({ db, secrets: await ephemeralSecrets(), supergraphSdl: readSupergraph(), port: 0 });
}

/** POSTs a GraphQL operation over real HTTP. */
export async function graphql<T = any>(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: res.status, ...body };
}

export function codes(response: GraphQLResponse): unknown[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}
