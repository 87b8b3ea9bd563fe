import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdmin } from '../../admin/build.js';
import { adminDocuments } from '../../admin/manifest.js';
import { ADMIN_CLIENT_ID, type AdminOptions } from '../../gateway/admin/serve.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { trustedDocumentsOf } from '../../gateway/trusted-documents.js';
import { ephemeralSecrets, type StackSecrets } from '../../kernel/secrets.js';
import type { SubgraphName } from '../../kernel/subgraph-names.js';
import { readSupergraph } from '../../schema/compose.js';
import { insertPerson } from '../support/fixtures.js';
import { graphql, bearer, useTestStack, type StackFixture } from '../support/stack.js';

/**
 * The administration UI's production sign-in against a real OpenID Connect provider (`oidc-provider`,
 * in this process on 127.0.0.1): authorization code with PKCE, the code exchanged by the gateway, and the
 * provider's JWT access token accepted by the gateway's own verification (issuer, audience, JWKS).
 *
 * Two gateways on one database, behind one address (`front`, a proxy in this test) that sends the
 * callback to the second and everything else to the first, with no stickiness: a sign-in started on one
 * completes on the other, because it lives in the browser's sealed cookie, not in a gateway's memory.
 */

const AUDIENCE = 'https://folkreg.example/api';
const dist = mkdtempSync(join(tmpdir(), 'folkreg-admin-oidc-'));
let providerServer: Server;
let issuer: string;
let front: Server;
let frontPort: number;
let second: RunningGateway | undefined;
let secrets: StackSecrets;
let adminOptions: AdminOptions;
/** ADMIN_OIDC_COOKIE_SECRET, the same for both gateways. */
const COOKIE_SECRET = randomBytes(32).toString('base64');
/** The Set-Cookie headers the gateways sent through `front`, by path. */
const setCookies: { path: string; cookies: string[] }[] = [];

/**
 * One address in front of both gateways, as a load balancer without sticky sessions: the callback goes
 * to the second gateway, everything else (the page, the start, the token's redemption, GraphQL) to the
 * first. It notes the cookies the gateways set, for the replay tests.
 */
async function startFront(): Promise<void> {
  front = createServer((req, res) => {
    const path = req.url ?? '/';
    const to = path.startsWith('/admin/oidc/callback') ? second!.url : env.stack.gateway.url;
    const upstream = request({ host: '127.0.0.1', port: new URL(to).port, path, method: req.method, headers: req.headers }, (answer) => {
      const cookies = answer.headers['set-cookie'];
      if (cookies) setCookies.push({ path: path.split('?')[0]!, cookies });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((ok) => front.listen(0, '127.0.0.1', ok));
  frontPort = (front.address() as AddressInfo).port;
}

async function startProvider(redirectUri: string): Promise<void> {
  providerServer = createServer();
  await new Promise<void>((ok) => providerServer.listen(0, '127.0.0.1', ok));
  issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: ADMIN_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
    cookies: { keys: ['folkreg-admin-oidc-test'] },
    scopes: ['openid', 'folkreg:read'],
    pkce: { required: () => true },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
    features: {
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'folkreg:read',
          audience: AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  } as any);
  providerServer.on('request', provider.callback());
}

const env: StackFixture<void> = useTestStack({
  seed: async (db) => {
    await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
  },
  stack: async (_seeded, db) => {
    await startFront();
    const redirectUrl = `http://127.0.0.1:${frontPort}/admin/oidc/callback`;
    await startProvider(redirectUrl);
    await buildAdmin(dist);
    secrets = await ephemeralSecrets();
    adminOptions = {
      dir: dist,
      oidc: { issuer, clientId: ADMIN_CLIENT_ID, redirectUrl, scope: 'openid folkreg:read', resource: AUDIENCE, cookieSecret: COOKIE_SECRET },
      // The one-time ids are recorded in the database both gateways share.
      db,
    };
    return { secrets, auth: gatewayAuth(), admin: adminOptions, trustedDocuments: trustedDocuments() };
  },
});

const gatewayAuth = () => ({ jwksUrl: `${issuer}/jwks`, issuer, audience: AUDIENCE, algorithms: ['RS256'] });
const trustedDocuments = () => trustedDocumentsOf({ trustedDocumentsEnforce: [] }, { client: ADMIN_CLIENT_ID, documents: adminDocuments() });

/** The second gateway: another replica over the same subgraphs and database, with the same secrets. */
beforeAll(async () => {
  second = await startGateway({
    supergraphSdl: readSupergraph(),
    subgraphUrls: Object.fromEntries(Object.entries(env.stack.subgraphs).map(([name, s]) => [name, s.url])) as Record<SubgraphName, string>,
    signingKey: secrets.gatewayKeys.privateKey,
    auth: gatewayAuth(),
    port: 0,
    loadShedding: false,
    admin: adminOptions,
    trustedDocuments: trustedDocuments(),
  });
});

afterAll(async () => {
  await second?.close();
  await new Promise((ok) => providerServer?.close(ok));
  await new Promise((ok) => front?.close(ok));
  rmSync(dist, { recursive: true, force: true });
});

const admin = (path = '') => `http://127.0.0.1:${frontPort}/admin/${path}`;
/** The same path on one gateway, past `front`. */
const on = (gateway: 'first' | 'second', path: string) => (gateway === 'first' ? env.stack.gateway.url : second!.url).replace(/\/graphql$/, `/admin/${path}`);
const cookieValue = (header: string) => header.slice(header.indexOf('=') + 1, header.indexOf(';'));
/** `sealed` with one character in its middle changed. */
const tampered = (sealed: string) => {
  const i = Math.floor(sealed.length / 2);
  return `${sealed.slice(0, i)}${sealed[i] === 'A' ? 'B' : 'A'}${sealed.slice(i + 1)}`;
};

describe('OpenID Connect sign-in, without a browser', () => {
  it('start sends the browser to the provider with a PKCE challenge (S256), and seals the state, nonce and verifier into its cookie', async () => {
    const res = await fetch(admin('oidc/start'), { redirect: 'manual' });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(issuer);
    expect(to.searchParams.get('client_id')).toBe(ADMIN_CLIENT_ID);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(to.searchParams.get('resource')).toBe(AUDIENCE);
    const state = to.searchParams.get('state')!;
    const nonce = to.searchParams.get('nonce')!;
    expect(nonce).toMatch(/^[\w-]{43}$/);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^folkreg_admin_oidc=[\w-]+; HttpOnly; SameSite=Lax; Path=\/admin\/oidc; Max-Age=600$/);
    // Sealed: the cookie shows neither the state nor the nonce (nor the verifier, which only it holds).
    const sealed = cookieValue(cookie);
    expect(sealed).not.toContain(state);
    expect(sealed).not.toContain(nonce);
    // A callback with that state but without the browser's cookie, or with the cookie but another state, is refused.
    const callback = (query: string, value: string | null) =>
      fetch(on('second', `oidc/callback?${query}`), value === null ? {} : { headers: { cookie: `folkreg_admin_oidc=${value}` } });
    for (const refused of [await callback(`code=x&state=${state}`, null), await callback('code=x&state=forged', sealed)]) {
      expect(refused.status).toBe(400);
      expect(await refused.text()).toBe('Sign-in expired or started in another browser: sign in again.\n');
    }
    // A cookie changed by one character, or sealed with another key, does not open: said so.
    const other = await fetch(on('first', `oidc/callback?code=x&state=${state}`), { headers: { cookie: `folkreg_admin_oidc=${tampered(sealed)}` } });
    expect(other.status).toBe(400);
    expect(await other.text()).toMatch(/^The sign-in cookie does not open: it was altered, or sealed by a gateway with another ADMIN_OIDC_COOKIE_SECRET/);
    // No sign-in finished: nothing to hand over; a made-up token cookie is refused as altered.
    expect((await fetch(admin('oidc/token'), { method: 'POST' })).status).toBe(204);
    const forged = await fetch(on('second', 'oidc/token'), { method: 'POST', headers: { cookie: `folkreg_admin_token=${tampered(sealed)}` } });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/^The sign-in cookie does not open/);
    // A state cookie is no token cookie: each is sealed for its own name.
    const swapped = await fetch(on('second', 'oidc/token'), { method: 'POST', headers: { cookie: `folkreg_admin_token=${sealed}` } });
    expect(swapped.status).toBe(400);
  });

  it('the page learns the provider from its configuration, and no development sign-in is offered', async () => {
    const config = (await (await fetch(admin('config.json'))).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ devSignIn: false, profiles: [], oidc: { issuer, clientId: ADMIN_CLIENT_ID } });
    expect((await fetch(admin('dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"profile":"reader"}' })).status).toBe(
      404,
    );
  });
});

const CHROMIUM = '/usr/bin/chromium';
const runBrowser = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runBrowser) console.warn(`\n*** admin-oidc.test.ts: the browser sign-in does NOT run: ${CHROMIUM} is missing (apt-get install -y chromium) ***\n`);

describe.skipIf(!runBrowser)('OpenID Connect sign-in in headless Chromium', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it(
    'signs in at the provider through two gateways, comes back signed in with the provider’s access token, and searches with it; replays are refused on either',
    { timeout: 120_000 },
    async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      });
      const context = await browser.newContext({ locale: 'en-GB' });
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      const urls: string[] = [];
      page.on('request', (r) => urls.push(r.url()));
      await page.goto(admin());
      await page.getByRole('link', { name: 'Sign in with your organisation' }).click();
      // oidc-provider's own development login form: any login name.
      await page
        .locator('input[name=login]')
        .waitFor()
        .catch(async () => {
          throw new Error(`provider page: ${page.url()} ${await page.locator('body').innerText()}`);
        });
      await page.locator('input[name=login]').fill('clerk-1');
      await page.locator('input[name=password]').fill('anything');
      await page.locator('button[type=submit]').click();
      // … and its consent page for the scopes the UI asks for.
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/admin\/$/).catch(async () => {
        throw new Error(`after consent: ${page.url()} ${await page.locator('body').innerText()}`);
      });
      await page.getByText('Signed in as clerk-1').waitFor();
      const token = await page.evaluate(() => sessionStorage.getItem('folkreg:admin:token'));
      const claims = JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString());
      expect(claims).toMatchObject({ iss: issuer, aud: AUDIENCE, sub: 'clerk-1', client_id: ADMIN_CLIENT_ID, scope: 'folkreg:read' });
      await page.getByLabel('Name', { exact: true }).fill('Ostlund');
      await page.locator('form[role=search] button[type=submit]').click();
      await page.getByRole('button', { name: '19121212-1212' }).waitFor();
      // The token never travelled in a URL, and the callback's code was good once only.
      expect(urls.filter((u) => u.includes(token!))).toEqual([]);
      const callback = urls.find((u) => u.includes('/admin/oidc/callback?'))!;
      expect((await fetch(callback)).status).toBe(400);
      // It completed on the second gateway (front sends callbacks there) and was started and redeemed on the first.
      const started = setCookies.filter((c) => c.path === '/admin/oidc/start').at(-1)!.cookies[0]!;
      const completed = setCookies.find((c) => c.path === '/admin/oidc/callback')!.cookies;
      const tokenCookie = completed.find((c) => c.startsWith('folkreg_admin_token=') && !c.startsWith('folkreg_admin_token=;'))!;
      expect(completed).toContain('folkreg_admin_oidc=; HttpOnly; SameSite=Lax; Path=/admin/oidc; Max-Age=0');
      expect(tokenCookie).toMatch(/; HttpOnly; SameSite=Strict; Path=\/admin\/oidc\/token; Max-Age=60$/);
      expect(tokenCookie).not.toContain(token!);
      // Replayed with the browser's own cookie, on the other gateway: the callback is good once.
      const replayed = await fetch(on('first', callback.slice(callback.indexOf('oidc/callback'))), {
        headers: { cookie: `folkreg_admin_oidc=${cookieValue(started)}` },
      });
      expect(replayed.status).toBe(400);
      expect(await replayed.text()).toBe('This sign-in was completed already: its callback is good once. Sign in again.\n');
      // … and so is the token's handle, redeemed by the first gateway: the second refuses it too.
      for (const gateway of ['second', 'first'] as const) {
        const again = await fetch(on(gateway, 'oidc/token'), { method: 'POST', headers: { cookie: `folkreg_admin_token=${cookieValue(tokenCookie)}` } });
        expect(again.status).toBe(400);
        expect(await again.text()).toBe('This sign-in token was handed over already: its handle is good once. Sign in again.\n');
      }
      // The gateway verifies the provider's token like any caller's: it runs the app's registered documents.
      const other = await graphql(env.stack.gateway.url, '{ person(identifier: "191212121212") { name { familyName } } }', undefined, bearer(token!));
      expect(other.errors?.[0]?.extensions?.code).toBe('DOCUMENT_NOT_REGISTERED');
      await context.close();
    },
  );
});

// Functions given to page.evaluate run in the browser, which has this.
declare const sessionStorage: { getItem(key: string): string | null };
