import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';
import type { ErrorCode, ErrorExtensions } from './errors.js';

/** Largest request body accepted, in bytes. @default 1_000_000 // 1 MB */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * Serves one HTTP request with an Apollo Server instance. Apollo Server 5 ships no Node adapter of its
 * own beyond `startStandaloneServer`, which owns the whole server; the gateway and the subgraphs need
 * other routes (health, websocket upgrade) on the same port, hence this small bridge.
 */
export async function serveGraphQL<C extends BaseContext>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  context: ContextThunk<C>,
  /** Rewrites or refuses (throwing a `BodyError`-shaped error) the request's parameters first. */
  prepare?: (params: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>,
  /** The body, when the caller had to read it first (a subgraph checks its digest against the gateway token). */
  raw?: Buffer,
): Promise<void> {
  let body: unknown;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  let search = q >= 0 ? url.slice(q) : '';
  try {
    body = parseBody(req, raw ?? (await readRawBody(req)));
    // Batched operations (a JSON array) are off in Apollo Server; each would need `prepare` of its own, so
    // an array is refused here too, whatever Apollo's setting: the checks in `prepare` cannot be skipped.
    if (prepare && Array.isArray(body))
      throw Object.assign(new Error('Operation batching is not supported: send one operation per request.'), { status: 400, code: 'BATCHING_NOT_SUPPORTED' });
    if (prepare && body && typeof body === 'object') body = await prepare(body as Record<string, unknown>);
    if (prepare && (req.method === 'GET' || req.method === 'HEAD') && search) search = await prepareSearch(search, prepare);
  } catch (err) {
    const { status, code, message, extensions, headers } = err as BodyError;
    for (const [name, value] of headers ?? []) res.setHeader(name, value);
    return sendError(res, status ?? 400, code ?? 'BAD_REQUEST', message, extensions);
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search, body },
    context,
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** GET parameters through `prepare`: JSON-valued ones (`variables`, `extensions`) decoded and re-encoded. */
async function prepareSearch(
  search: string,
  prepare: (params: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>,
): Promise<string> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (key === 'variables' || key === 'extensions') {
      try {
        params[key] = JSON.parse(value);
      } catch {
        params[key] = value; // Apollo Server rejects it with its own message
      }
    } else params[key] = value;
  }
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(await prepare(params))) {
    if (value !== undefined) out.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `?${out}`;
}

export interface BodyError extends Error {
  status?: number;
  code?: ErrorCode;
  /** More of `extensions` beside the code (e.g. a limit's measured and allowed values). */
  extensions?: Record<string, unknown>;
  /** Response headers of the refusal (a 429's `Retry-After` and RateLimit fields). */
  headers?: Iterable<[string, string]>;
}

function bodyError(status: number, code: ErrorCode, message: string): BodyError {
  return Object.assign(new Error(message), { status, code });
}

/** The request body's bytes (empty for GET and HEAD), refused past `maxBytes`. */
export async function readRawBody(req: IncomingMessage, maxBytes: number = MAX_BODY_BYTES): Promise<Buffer> {
  if (req.method === 'GET' || req.method === 'HEAD') return Buffer.alloc(0);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw bodyError(413, 'PAYLOAD_TOO_LARGE', `Request body over ${maxBytes} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw bodyError(413, 'PAYLOAD_TOO_LARGE', `Request body over ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const text = raw.toString('utf8');
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    if (text.length === 0) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw bodyError(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    }
  }
  // Apollo Server answers other media types with its own 4xx; hand it the raw text.
  return text;
}

/** Writes a GraphQL-shaped error response outside of execution (auth, body, routing). */
export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, extensions: ErrorExtensions = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { ...extensions, code } }] }));
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(value));
}
