import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The GraphQL IDE (GraphiQL) a browser gets at GET /graphql: a public page and its assets, all served
 * from the project's own node_modules (UMD builds, no bundling step), so it works offline and the
 * Content-Security-Policy can forbid every other origin. The page holds no data; its GraphQL requests
 * carry the caller's bearer token like any other client's.
 */
export interface IdeOptions {
  /**
   * Mints a token pre-filled into the page. Only the development stack (`npm start`) sets this:
   * anyone who can load the page gets the token, so production (launch/gateway.ts) never does, and even
   * the development stack gives it only to loopback clients (`isLoopbackAddress` of the socket's remote
   * address, never a header): `HOST=0.0.0.0 npm start` does not hand tokens to the network.
   */
  token?: () => Promise<string>;
}

/**
 * True for an address of this machine's loopback interface: 127.0.0.0/8, ::1, or either mapped into
 * IPv6 (`::ffff:127.0.0.1`). A connection from another host, or from this host's own network address,
 * is not loopback.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

/**
 * A browser on this machine asking for this machine: the socket comes from loopback, the Host header
 * names loopback (a page on another site that DNS-rebinds its name to 127.0.0.1 still sends its own
 * name), and no proxy forwarded the request (a proxy on this host makes every remote client look like
 * loopback).
 */
export function isLoopbackRequest(req: IncomingMessage): boolean {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return false;
  if (req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined || req.headers['x-real-ip'] !== undefined) return false;
  const host = (req.headers.host ?? '').toLowerCase();
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name === 'localhost' || name === '[::1]' || isLoopbackAddress(name);
}

export const IDE_ASSET_PREFIX = '/graphql/ide/';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The only files served under /graphql/ide/: name → [file, media type]. A Map, so no prototype keys match. */
const ASSETS = new Map<string, [() => string, string]>([
  ['react.production.min.js', [() => join(packageDir('react'), 'umd/react.production.min.js'), 'text/javascript']],
  ['react-dom.production.min.js', [() => join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), 'text/javascript']],
  ['graphiql.min.js', [() => join(packageDir('graphiql'), 'graphiql.min.js'), 'text/javascript']],
  ['graphiql.min.css', [() => join(packageDir('graphiql'), 'graphiql.min.css'), 'text/css']],
  ['page.js', [() => join(here, 'page.js'), 'text/javascript']],
  ['page.css', [() => join(here, 'page.css'), 'text/css']],
]);

/**
 * Same origin only. Styles allow 'unsafe-inline' because GraphiQL sets style attributes from script;
 * fonts and icons come as data: URLs inside graphiql.min.css. Scripts: only the files above.
 */
export const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** True for a browser navigating to /graphql: it asks for HTML and sends no GraphQL `query` parameter. */
export function wantsIde(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!(req.headers.accept ?? '').includes('text/html')) return false;
  return !new URLSearchParams((req.url ?? '').split('?')[1] ?? '').has('query');
}

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** Serves the page (`servePage`) and its allow-listed assets (`serveAsset`); files are read once, on first use. */
export function createIde(options: IdeOptions = {}) {
  const cache = new Map<string, Asset>();
  const load = (name: string): Asset | null => {
    const entry = ASSETS.get(name);
    if (!entry) return null;
    let asset = cache.get(name);
    if (!asset) {
      const body = readFileSync(entry[0]());
      asset = { body, type: `${entry[1]}; charset=utf-8`, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      cache.set(name, asset);
    }
    return asset;
  };

  return {
    async servePage(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const devToken = options.token && isLoopbackRequest(req) ? await options.token() : null;
      const body = page({ devToken });
      res.writeHead(200, {
        ...securityHeaders(),
        'content-type': 'text/html; charset=utf-8',
        // A fresh development token per load; never cached by the browser or a proxy.
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },

    /** `path` starts with IDE_ASSET_PREFIX. Anything but an allow-listed name (traversal included) is 404. */
    serveAsset(req: IncomingMessage, res: ServerResponse, path: string): void {
      const asset = req.method === 'GET' || req.method === 'HEAD' ? load(path.slice(IDE_ASSET_PREFIX.length)) : null;
      if (!asset) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
        res.end('Not found\n');
        return;
      }
      const headers = { ...securityHeaders(), 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache' };
      if (req.headers['if-none-match'] === asset.etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': asset.body.length });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    },
  };
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': IDE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** JSON inside <script type="application/json">: `<` escaped so no value can close the element. */
function jsonData(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function page(config: { devToken: string | null }): string {
  const asset = (name: string) => `graphql/ide/${name}`; // relative, so a path prefix in front of the gateway still works
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>folkreg GraphQL IDE</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<link rel="stylesheet" href="${asset('page.css')}">
</head>
<body>
<form id="token-bar" autocomplete="off">
  <label for="token">Bearer token</label>
  <input id="token" name="token" type="password" spellcheck="false" placeholder="Paste a JWT (npm run -s token -- --scope &quot;folkreg:read&quot;)">
  <button id="token-save" type="submit">Use this token</button>
  <button id="token-clear" type="button">Forget</button>
  <span id="token-status" role="status"></span>
</form>
<div id="graphiql">Loading the GraphQL IDE …</div>
<script id="folkreg-ide-config" type="application/json">${jsonData(config)}</script>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('page.js')}"></script>
</body>
</html>
`;
}
