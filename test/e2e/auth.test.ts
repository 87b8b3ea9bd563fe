import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../gateway/dev-auth.js';
import { codes, graphql, useTestStack } from '../support/stack.js';

let stranger: CryptoKey;

const env = useTestStack({});

beforeAll(async () => {
  stranger = (await generateKeyPair('ES256')).privateKey;
});

const QUERY = '{ changeEvents(first: 1) { pageInfo { hasNextPage } } }';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function jwt(claims: Record<string, unknown>, key: CryptoKey = stranger, alg = 'ES256') {
  return new SignJWT(claims).setProtectedHeader({ alg, kid: 'folkreg-dev' }).sign(key);
}

describe('every GraphQL operation needs a valid bearer JWT', () => {
  it('accepts a token of the trusted issuer', async () => {
    const res = await env.stack.query(QUERY);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
  });

  const cases: [string, () => Promise<string | undefined>, RegExp][] = [
    ['no token', async () => undefined, /Missing bearer token/],
    ['garbage', async () => 'Bearer not.a.jwt', /well-formed|signature/],
    ['a Basic header', async () => 'Basic dXNlcjpwYXNz', /Malformed Authorization header/],
    ['a wrong signature', async () => `Bearer ${await jwt({ sub: 'x', iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now() + 60 })}`, /signature/],
    ['a wrong issuer', async () => `Bearer ${await env.stack.issue({ issuer: 'https://evil.example' })}`, /wrong issuer/],
    ['a wrong audience', async () => `Bearer ${await env.stack.issue({ audience: 'someone-else' })}`, /wrong audience/],
    ['not yet valid', async () => `Bearer ${await env.stack.issue({ notBeforeSeconds: 600 })}`, /not yet valid/],
    ['expired', async () => `Bearer ${await env.stack.issue({ ttlSeconds: -120 })}`, /expired/],
    [
      'alg none',
      async () => `Bearer ${b64({ alg: 'none' })}.${b64({ sub: 'x', iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now() + 60 })}.`,
      /algorithm|well-formed/,
    ],
  ];
  it.each(cases)('rejects %s with 401 UNAUTHENTICATED', async (_, header, message) => {
    const h = await header();
    const res = await graphql(env.stack.gateway.url, QUERY, {}, h ? { authorization: h } : {});
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.errors![0]!.message).toMatch(message);
    expect(res.data).toBeUndefined();
  });

  it('rejects HS256 signed with the public key as secret', async () => {
    const jwks = (await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)) as object;
    const header = b64({ alg: 'HS256', kid: 'folkreg-dev' });
    const payload = b64({ sub: 'x', iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now() + 60 });
    const sig = createHmac('sha256', JSON.stringify(jwks)).update(`${header}.${payload}`).digest('base64url');
    const res = await graphql(env.stack.gateway.url, QUERY, {}, { authorization: `Bearer ${header}.${payload}.${sig}` });
    expect(res.status).toBe(401);
    expect(res.errors![0]!.message).toMatch(/algorithm/);
  });

  it('rejects a scope claim of the wrong type', async () => {
    const res = await graphql(env.stack.gateway.url, QUERY, {}, { authorization: `Bearer ${await env.stack.issue({ scope: 42 as never })}` });
    expect(res.status).toBe(401);
    expect(res.errors![0]!.message).toMatch(/Claim 'scope'/);
  });

  it('needs no token for /healthz and /readyz', async () => {
    expect((await fetch(env.stack.gateway.url.replace('/graphql', '/healthz'))).status).toBe(200);
    expect((await fetch(env.stack.gateway.url.replace('/graphql', '/readyz'))).status).toBe(200);
  });
});
