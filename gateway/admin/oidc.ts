import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as Oidc from 'openid-client';
import type { AdminOidcConfig } from '../../kernel/config.js';
import { CookieSeal, memoryOneTimeIds, type OneTimeIds } from './sealed-cookies.js';

/**
 * Production sign-in of the administration UI: OpenID Connect authorization code with PKCE (S256)
 * against the configured issuer, with openid-client. The code is exchanged here, by the gateway, because
 * the page's CSP lets it talk to its own origin only. The access token then reaches the page without ever
 * being in a URL: the callback seals it under a one-time handle into an HttpOnly cookie scoped to
 * `/admin/oidc/token`, which the page redeems once with a same-origin POST.
 *
 * Nothing of a sign-in under way is kept in a gateway's memory, so it needs no sticky routing: the state,
 * nonce and PKCE verifier travel sealed (AES-256-GCM, ADMIN_OIDC_COOKIE_SECRET) in the browser's cookie,
 * and the ids that must be good once (the state at the callback, the handle at its redemption) are
 * recorded as used in the gateway's database, where every gateway sees them (sealed-cookies.ts).
 *
 * The gateway accepts the provider's access tokens like any other caller's (AUTH_JWKS_URL, AUTH_ISSUER,
 * AUTH_AUDIENCE): the provider must issue JWT access tokens for that audience (`resource`).
 */
/** The configuration's ADMIN_OIDC_* (kernel/config.ts documents each). */
export type OidcOptions = AdminOidcConfig;

/** How long a sign-in may take at the provider, and how long its token waits for the page. */
const PENDING_TTL_MS = 10 * 60_000;
const HANDLE_TTL_MS = 60_000;
const STATE_COOKIE = 'folkreg_admin_oidc';
const TOKEN_COOKIE = 'folkreg_admin_token';

/** True for a loopback http issuer (a provider on this machine, as in the tests); any other must be https. */
function insecureAllowed(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function cookies(req: IncomingMessage): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) map.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return map;
}

/** What a refused callback or redemption says: the browser shows it as it is. */
const REFUSED = {
  expired: 'Sign-in expired or started in another browser: sign in again.',
  altered: 'The sign-in cookie does not open: it was altered, or sealed by a gateway with another ADMIN_OIDC_COOKIE_SECRET. Sign in again.',
  used: 'This sign-in was completed already: its callback is good once. Sign in again.',
  redeemed: 'This sign-in token was handed over already: its handle is good once. Sign in again.',
};

/** A sealed cookie's value: the sealed object, or why it is refused. */
function opened(seal: CookieSeal, name: string, raw: string | undefined): Record<string, unknown> | 'missing' | 'altered' | 'expired' {
  if (!raw) return 'missing';
  const value = seal.open(name, raw);
  if (!value) return 'altered';
  return typeof value.exp === 'number' && Date.now() < value.exp ? value : 'expired';
}

/**
 * `used`: where one-time ids are recorded (the gateway's database, for every gateway on it); without
 * one, this gateway's memory, which holds for one gateway only.
 */
export function createOidcSignIn(options: OidcOptions, used: OneTimeIds = memoryOneTimeIds()) {
  const seal = new CookieSeal(Buffer.from(options.cookieSecret, 'base64'));
  const issuer = new URL(options.issuer);
  const redirect = new URL(options.redirectUrl);
  const secure = redirect.protocol === 'https:' ? '; Secure' : '';
  // openid-client is loaded with the first sign-in: a gateway without OIDC never loads it.
  const library = () => import('openid-client');
  let configuration: Promise<Oidc.Configuration> | null = null;
  const discover = () => {
    configuration ??= library()
      .then((oidc) =>
        oidc.discovery(
          issuer,
          options.clientId,
          options.clientSecret ? { client_secret: options.clientSecret } : { token_endpoint_auth_method: 'none' },
          options.clientSecret ? undefined : oidc.None(),
          insecureAllowed(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
        ),
      )
      .catch((err: unknown) => {
        configuration = null; // try again at the next sign-in
        throw err;
      });
    return configuration;
  };
  const redirectTo = (res: ServerResponse, location: string, cookies: string[]) => {
    res.writeHead(303, { location, 'set-cookie': cookies, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
  };
  const refuse = (res: ServerResponse, status: number, message: string, cookies: string[] = []) => {
    res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'set-cookie': cookies,
    });
    res.end(`${message}\n`);
  };
  const clearState = `${STATE_COOKIE}=; HttpOnly; SameSite=Lax; Path=/admin/oidc; Max-Age=0${secure}`;
  const clearToken = `${TOKEN_COOKIE}=; HttpOnly; SameSite=Strict; Path=/admin/oidc/token; Max-Age=0${secure}`;

  return {
    /** The part of the page's configuration that names the provider. */
    publicConfig: () => ({ issuer: options.issuer, clientId: options.clientId, scope: options.scope ?? 'openid folkreg:read' }),

    /** GET /admin/oidc/start: to the provider, with a fresh state and PKCE challenge. */
    async start(_req: IncomingMessage, res: ServerResponse): Promise<void> {
      const config = await discover();
      const oidc = await library();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUrl,
        scope: options.scope ?? 'openid folkreg:read',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...(options.resource ? { resource: options.resource } : {}),
      });
      // The sign-in lives in this browser's cookie, sealed: a callback carrying another browser's state is
      // refused, and any gateway holding the secret completes it.
      const sealed = seal.seal(STATE_COOKIE, { state, nonce, verifier, exp: Date.now() + PENDING_TTL_MS });
      redirectTo(res, url.href, [`${STATE_COOKIE}=${sealed}; HttpOnly; SameSite=Lax; Path=/admin/oidc; Max-Age=${PENDING_TTL_MS / 1000}${secure}`]);
    },

    /** GET /admin/oidc/callback: the code exchanged (state and PKCE checked by openid-client), then back to the page. */
    async callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const current = new URL(req.url ?? '/', redirect);
      const state = current.searchParams.get('state') ?? '';
      const pending = opened(seal, STATE_COOKIE, cookies(req).get(STATE_COOKIE));
      if (pending === 'altered') return refuse(res, 400, REFUSED.altered, [clearState]);
      if (typeof pending === 'string' || !state || pending.state !== state) return refuse(res, 400, REFUSED.expired);
      // Good once, on whichever gateway the callback reaches.
      if (!(await used.use(`state:${state}`, new Date(pending.exp as number)))) return refuse(res, 400, REFUSED.used, [clearState]);
      let token: string;
      const oidc = await library();
      try {
        const tokens = await oidc.authorizationCodeGrant(
          await discover(),
          current,
          { pkceCodeVerifier: String(pending.verifier), expectedState: state, expectedNonce: String(pending.nonce) },
          options.resource ? { resource: options.resource } : undefined,
        );
        token = tokens.access_token;
      } catch {
        return refuse(res, 400, 'The identity provider refused the sign-in: sign in again.', [clearState]);
      }
      // The token waits for its page sealed in a cookie of its own, under a handle that is good once.
      const handle = randomBytes(32).toString('base64url');
      const sealed = seal.seal(TOKEN_COOKIE, { handle, token, exp: Date.now() + HANDLE_TTL_MS });
      redirectTo(res, '../', [
        clearState,
        `${TOKEN_COOKIE}=${sealed}; HttpOnly; SameSite=Strict; Path=/admin/oidc/token; Max-Age=${HANDLE_TTL_MS / 1000}${secure}`,
      ]);
    },

    /** POST /admin/oidc/token: the token of the sign-in that just finished, once; then the cookie is cleared. */
    async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== redirect.origin) return refuse(res, 403, 'Cross-origin');
      const waiting = opened(seal, TOKEN_COOKIE, cookies(req).get(TOKEN_COOKIE));
      if (waiting === 'altered') return refuse(res, 400, REFUSED.altered, [clearToken]);
      // Good once, on whichever gateway the page reaches; an expired or missing one: nothing to hand over.
      if (typeof waiting !== 'string' && !(await used.use(`handle:${String(waiting.handle)}`, new Date(waiting.exp as number))))
        return refuse(res, 400, REFUSED.redeemed, [clearToken]);
      const token = typeof waiting === 'string' ? undefined : String(waiting.token);
      res.writeHead(token ? 200 : 204, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'set-cookie': clearToken });
      res.end(token ? JSON.stringify({ token }) : undefined);
    },
  };
}
