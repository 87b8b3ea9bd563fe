import { serverAudits } from 'graphql-http';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../support/stack.js';

/**
 * The gateway follows the GraphQL-over-HTTP specification: the `graphql-http` package's own server
 * audits run against the real gateway over HTTP. Every audit passes — MUST, SHOULD and MAY.
 */
let token: string;

const env = useTestStack({});

beforeAll(async () => {
  token = await env.stack.issue({ scope: 'folkreg:read', sub: 'http-audit' });
});

const audits = serverAudits({
  url: () => env.stack.gateway.url,
  fetchFn: (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  },
});

describe('GraphQL over HTTP (graphql-http audits)', () => {
  it.each(audits.map((a) => [a.name, a] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
  });
});

describe('on purpose', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(env.stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });

  it('GET runs queries, never mutations', async () => {
    const get = (query: string) => fetch(`${env.stack.gateway.url}?query=${encodeURIComponent(query)}`, { headers: { authorization: `Bearer ${token}` } });
    const query = await get('{ __typename }');
    expect(query.status).toBe(200);
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
    const mutation = await get('mutation { __typename }');
    expect(mutation.status).toBe(405);
  });

  it('batched requests are refused with a clear error: send operations one by one (HTTP/1.1 keep-alive or HTTP/2 makes that cheap)', async () => {
    const res = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[0].message).toMatch(/batch/i);
    // Refused before Apollo, where the limits and trusted documents are checked, whatever Apollo's batching setting.
    expect(body.errors[0].extensions.code).toBe('BATCHING_NOT_SUPPORTED');
  });

  it('answers application/graphql-response+json with that media type and 400 for a broken document', async () => {
    const res = await post({ query: '{ person(' }, { accept: 'application/graphql-response+json' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});
