import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { IDE_CSP, isLoopbackRequest } from '../ide/serve.js';
import { SCOPE_BUNDLES } from '../authorization.js';
import type { Db } from '../../db/client.js';
import { createOidcSignIn, type OidcOptions } from './oidc.js';
import { databaseOneTimeIds } from './sealed-cookies.js';

/**
 * The administration UI at /admin (README "Administration UI"): a React app built by Vite (admin/, its
 * `dist/`), served as files from one folder with the IDE's Content-Security-Policy (same origin only, no
 * inline scripts). The app is only a client: every GraphQL request it makes carries the user's bearer
 * token and a registered document id, and the gateway decides as for any other client.
 */
export const ADMIN_PATH = '/admin';
/** The client id of the app's tokens: its operations are registered trusted documents, and only those are accepted from it. */
export const ADMIN_CLIENT_ID = 'folkreg-admin';

/** A development sign-in profile: a name the page shows and the claims of the token it gets. */
export interface AdminProfile {
  id: string;
  scope: string;
  role?: string;
}

/**
 * The development stack's sign-in profiles (`npm start`): one per kind of user the UI is for. Each is a
 * set of scopes the API already knows; the UI shows what they allow, the gateway enforces it.
 */
export const DEV_PROFILES: readonly AdminProfile[] = [
  { id: 'reader', scope: 'folkreg:read' },
  { id: 'clerk', scope: 'folkreg:read person:write reserve-id:write' },
  { id: 'registrar', scope: 'folkreg:read register:write address:write family:write person:write' },
  { id: 'integrator', scope: 'events:read events:subscribe person:read' },
  { id: 'auditor', scope: 'audit:read person:read' },
  { id: 'entitled', scope: 'folkreg:read person:unrestricted', role: 'public-authority' },
];

export interface AdminOptions {
  /** The built app (index.html and assets/): admin/dist, `npm run build:admin`. */
  dir: string;
  /**
   * Development sign-in: mints a token for a profile. Only `npm start` sets it, and the gateway answers
   * it for loopback requests only (as the IDE's pre-filled token), so `HOST=0.0.0.0 npm start` hands no
   * token to the network.
   */
  devToken?: (profile: AdminProfile) => Promise<string>;
  /** Claim names the page reads the user's scopes and role from (the gateway's own AUTH_* claims). */
  scopeClaim?: string;
  roleClaim?: string;
  /** Production sign-in: OpenID Connect authorization code with PKCE (gateway/admin/oidc.ts). */
  oidc?: OidcOptions | null;
  /**
   * The gateway's database (DATABASE_URL): the sign-in's one-time ids are recorded there, so a replayed
   * callback or token handle is refused by every gateway on it. @default undefined // this gateway's memory: one gateway only
   */
  db?: Db | null;
}

interface File {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

function securityHeaders(): Record<string, string> {
  return { 'content-security-policy': IDE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders(), 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

const notFound = (res: ServerResponse) => send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');

/** Serves /admin: the page, its built assets (an allow-list read once from `dir`), its public configuration and the development sign-in. */
export function createAdmin(options: AdminOptions) {
  const signIn = options.oidc ? createOidcSignIn(options.oidc, options.db ? databaseOneTimeIds(options.db) : undefined) : null;
  let files: Map<string, File> | null = null;
  // Read on first use: `npm start` builds the app before the gateway starts, a production image has it built in.
  const load = (): Map<string, File> | null => {
    if (files) return files;
    const index = join(options.dir, 'index.html');
    if (!existsSync(index)) return null;
    const map = new Map<string, File>();
    const add = (name: string, path: string, type: string) => {
      const body = readFileSync(path);
      map.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    };
    add('', index, 'text/html; charset=utf-8');
    const assets = join(options.dir, 'assets');
    for (const name of existsSync(assets) ? readdirSync(assets) : []) {
      const type = TYPES[name.slice(name.lastIndexOf('.'))];
      if (type && !name.endsWith('.map')) add(`assets/${name}`, join(assets, name), `${type}${type.startsWith('text/') ? '; charset=utf-8' : ''}`);
    }
    files = map;
    return files;
  };

  const config = (req: IncomingMessage) => ({
    devSignIn: Boolean(options.devToken) && isLoopbackRequest(req),
    profiles: options.devToken && isLoopbackRequest(req) ? DEV_PROFILES : [],
    oidc: signIn?.publicConfig() ?? null,
    scopeClaim: options.scopeClaim ?? 'scope',
    roleClaim: options.roleClaim ?? 'role',
    bundles: SCOPE_BUNDLES,
  });

  async function devToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Development only, loopback only, and same-origin only: a page of another site cannot get a token
    // from the developer's browser (its fetch carries its Origin; a form post cannot send JSON).
    const origin = req.headers.origin;
    const sameOrigin = origin === undefined || origin === `http://${req.headers.host}`;
    if (!options.devToken || !isLoopbackRequest(req) || !sameOrigin || req.headers['sec-fetch-site'] === 'cross-site') return notFound(res);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain; charset=utf-8', 'Send JSON\n');
    let raw = '';
    for await (const chunk of req) {
      raw += chunk;
      if (raw.length > 1_000) return send(res, 413, 'text/plain; charset=utf-8', 'Too large\n');
    }
    let id: unknown;
    try {
      id = (JSON.parse(raw) as { profile?: unknown }).profile;
    } catch {
      id = undefined;
    }
    const profile = DEV_PROFILES.find((p) => p.id === id);
    if (!profile) return send(res, 400, 'application/json; charset=utf-8', JSON.stringify({ error: 'unknown profile' }));
    const token = await options.devToken(profile);
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ token }), { 'cache-control': 'no-store' });
  }

  return {
    /** True for a path this serves. */
    owns(path: string): boolean {
      return path === ADMIN_PATH || path.startsWith(`${ADMIN_PATH}/`);
    },

    async serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
      // Relative asset URLs resolve under /admin/ only.
      if (path === ADMIN_PATH) {
        res.writeHead(308, { location: `${ADMIN_PATH}/`, ...securityHeaders() });
        return void res.end();
      }
      const name = path.slice(ADMIN_PATH.length + 1);
      if (name === 'dev-token' && req.method === 'POST') return devToken(req, res);
      if (signIn && name === 'oidc/start' && req.method === 'GET') return signIn.start(req, res);
      if (signIn && name === 'oidc/callback' && req.method === 'GET') return signIn.callback(req, res);
      if (signIn && name === 'oidc/token' && req.method === 'POST') return signIn.token(req, res);
      if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res);
      if (name === 'config.json') return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(config(req)), { 'cache-control': 'no-store' });
      const built = load();
      if (!built) return send(res, 503, 'text/plain; charset=utf-8', 'The administration UI is not built: run `npm run build:admin` (npm start builds it).\n');
      const file = built.get(name);
      if (!file) return notFound(res);
      const headers = { ...securityHeaders(), 'content-type': file.type, etag: file.etag, 'cache-control': 'no-cache' };
      if (req.headers['if-none-match'] === file.etag) {
        res.writeHead(304, headers);
        return void res.end();
      }
      res.writeHead(200, { ...headers, 'content-length': file.body.length });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    },
  };
}
