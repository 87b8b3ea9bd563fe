import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAdmin } from '../../admin/build.js';
import { adminDocuments } from '../../admin/manifest.js';
import { ADMIN_CLIENT_ID } from '../../gateway/admin/serve.js';
import { trustedDocumentsOf } from '../../gateway/trusted-documents.js';
import { insertPerson } from '../support/fixtures.js';
import { graphql, bearer, useTestStack, type StackFixture } from '../support/stack.js';

/**
 * The administration UI's production sign-in against a real OpenID Connect provider (`oidc-provider`,
 * in this process on 127.0.0.1): authorization code with PKCE, the code exchanged by the gateway, and the
 * provider's JWT access token accepted by the gateway's own verification (issuer, audience, JWKS).
 */

const AUDIENCE = 'https://folkreg.example/api';
const dist = mkdtempSync(join(tmpdir(), 'folkreg-admin-oidc-'));
let providerServer: Server;
let issuer: string;
let gatewayPort: number;

/** A free loopback port: the gateway's redirect URL must be known before it starts. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
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
  stack: async () => {
    gatewayPort = await freePort();
    const redirectUrl = `http://127.0.0.1:${gatewayPort}/admin/oidc/callback`;
    await startProvider(redirectUrl);
    await buildAdmin(dist);
    return {
      port: gatewayPort,
      auth: { jwksUrl: `${issuer}/jwks`, issuer, audience: AUDIENCE, algorithms: ['RS256'] },
      admin: { dir: dist, oidc: { issuer, clientId: ADMIN_CLIENT_ID, redirectUrl, scope: 'openid folkreg:read', resource: AUDIENCE } },
      trustedDocuments: trustedDocumentsOf({ trustedDocumentsEnforce: [] }, { client: ADMIN_CLIENT_ID, documents: adminDocuments() }),
    };
  },
});

afterAll(async () => {
  await new Promise((ok) => providerServer?.close(ok));
  rmSync(dist, { recursive: true, force: true });
});

const admin = (path = '') => `http://127.0.0.1:${gatewayPort}/admin/${path}`;

describe('OpenID Connect sign-in, without a browser', () => {
  it('start sends the browser to the provider with a PKCE challenge (S256) and a state bound to a cookie', async () => {
    const res = await fetch(admin('oidc/start'), { redirect: 'manual' });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(issuer);
    expect(to.searchParams.get('client_id')).toBe(ADMIN_CLIENT_ID);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(to.searchParams.get('resource')).toBe(AUDIENCE);
    const state = to.searchParams.get('state')!;
    expect(res.headers.get('set-cookie')).toContain(`folkreg_admin_oidc=${state}; HttpOnly; SameSite=Lax; Path=/admin/oidc`);
    // A callback with that state but without the browser's cookie, or with another state, is refused.
    expect((await fetch(admin(`oidc/callback?code=x&state=${state}`))).status).toBe(400);
    expect((await fetch(admin('oidc/callback?code=x&state=forged'), { headers: { cookie: 'folkreg_admin_oidc=forged' } })).status).toBe(400);
    // No sign-in finished: nothing to hand over.
    expect((await fetch(admin('oidc/token'), { method: 'POST' })).status).toBe(204);
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

  it('signs in at the provider, comes back signed in with the provider’s access token, and searches with it', { timeout: 120_000 }, async () => {
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
    // The gateway verifies the provider's token like any caller's: it runs the app's registered documents.
    const other = await graphql(env.stack.gateway.url, '{ person(identifier: "191212121212") { name { familyName } } }', undefined, bearer(token!));
    expect(other.errors?.[0]?.extensions?.code).toBe('DOCUMENT_NOT_REGISTERED');
    await context.close();
  });
});

// Functions given to page.evaluate run in the browser, which has this.
declare const sessionStorage: { getItem(key: string): string | null };
