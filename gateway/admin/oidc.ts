import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as Oidc from 'openid-client';
import { CountedLru } from '../../kernel/cache.js';

/**
 * Production sign-in of the administration UI: OpenID Connect authorization code with PKCE (S256)
 * against the configured issuer, with openid-client. The code is exchanged here, by the gateway, because
 * the page's CSP lets it talk to its own origin only. The access token then reaches the page without ever
 * being in a URL: the callback keeps it under a one-time handle in an HttpOnly cookie scoped to
 * `/admin/oidc/token`, which the page redeems once with a same-origin POST.
 *
 * The gateway accepts the provider's access tokens like any other caller's (AUTH_JWKS_URL, AUTH_ISSUER,
 * AUTH_AUDIENCE): the provider must issue JWT access tokens for that audience (`resource`).
 */
export interface OidcOptions {
  /** ADMIN_OIDC_ISSUER: the provider's issuer URL (discovery at `/.well-known/openid-configuration`). */
  issuer: string;
  /** ADMIN_OIDC_CLIENT_ID: the UI's client at the provider; also the client id its tokens carry. */
  clientId: string;
  /** ADMIN_OIDC_CLIENT_SECRET: for a confidential client; without it a public client (PKCE only). */
  clientSecret?: string;
  /** ADMIN_OIDC_REDIRECT_URL: the public URL of `/admin/oidc/callback`, as registered at the provider. */
  redirectUrl: string;
  /** ADMIN_OIDC_SCOPE: the scopes asked for. @default 'openid folkreg:read' */
  scope?: string;
  /** ADMIN_OIDC_RESOURCE: the `resource` (RFC 8707) the access token is for, e.g. AUTH_AUDIENCE. */
  resource?: string;
}

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

export function createOidcSignIn(options: OidcOptions) {
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
  // Sign-ins under way (state → PKCE verifier) and tokens waiting for their page: bounded, short-lived, in
  // this gateway's memory (one replica: behind several, route /admin/oidc/ to one, or sticky by cookie).
  const pending = new CountedLru<string, string>(10_000);
  const handles = new CountedLru<string, string>(10_000);

  const redirectTo = (res: ServerResponse, location: string, cookie: string) => {
    res.writeHead(303, { location, 'set-cookie': cookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
  };
  const refuse = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(`${message}\n`);
  };

  return {
    /** The part of the page's configuration that names the provider. */
    publicConfig: () => ({ issuer: options.issuer, clientId: options.clientId, scope: options.scope ?? 'openid folkreg:read' }),

    /** GET /admin/oidc/start: to the provider, with a fresh state and PKCE challenge. */
    async start(_req: IncomingMessage, res: ServerResponse): Promise<void> {
      const config = await discover();
      const oidc = await library();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      pending.set(state, verifier, Date.now() + PENDING_TTL_MS);
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUrl,
        scope: options.scope ?? 'openid folkreg:read',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        ...(options.resource ? { resource: options.resource } : {}),
      });
      // The state is bound to this browser too: a callback carrying another browser's state is refused.
      redirectTo(res, url.href, `${STATE_COOKIE}=${state}; HttpOnly; SameSite=Lax; Path=/admin/oidc; Max-Age=600${secure}`);
    },

    /** GET /admin/oidc/callback: the code exchanged (state and PKCE checked by openid-client), then back to the page. */
    async callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const current = new URL(req.url ?? '/', redirect);
      const state = current.searchParams.get('state') ?? '';
      const verifier = state ? pending.get(state) : undefined;
      if (!state || !verifier || cookies(req).get(STATE_COOKIE) !== state)
        return refuse(res, 400, 'Sign-in expired or started in another browser: sign in again.');
      pending.set(state, '', 0); // once only
      let token: string;
      const oidc = await library();
      try {
        const tokens = await oidc.authorizationCodeGrant(
          await discover(),
          current,
          { pkceCodeVerifier: verifier, expectedState: state },
          options.resource ? { resource: options.resource } : undefined,
        );
        token = tokens.access_token;
      } catch {
        return refuse(res, 400, 'The identity provider refused the sign-in: sign in again.');
      }
      const handle = randomBytes(32).toString('base64url');
      handles.set(handle, token, Date.now() + HANDLE_TTL_MS);
      redirectTo(res, '../', `${TOKEN_COOKIE}=${handle}; HttpOnly; SameSite=Strict; Path=/admin/oidc/token; Max-Age=60${secure}`);
    },

    /** POST /admin/oidc/token: the token of the sign-in that just finished, once; then the cookie is cleared. */
    token(req: IncomingMessage, res: ServerResponse): void {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== redirect.origin) return refuse(res, 403, 'Cross-origin');
      const handle = cookies(req).get(TOKEN_COOKIE);
      const token = handle ? handles.get(handle) : undefined;
      if (handle) handles.set(handle, '', 0); // once only
      res.writeHead(token ? 200 : 204, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'set-cookie': `${TOKEN_COOKIE}=; HttpOnly; SameSite=Strict; Path=/admin/oidc/token; Max-Age=0${secure}`,
      });
      res.end(token ? JSON.stringify({ token }) : undefined);
    },
  };
}
