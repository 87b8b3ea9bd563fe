/**
 * `POST /ingest/cpr` and `POST /ingest/ndjson` on the gateway (README "Keeping the register current"): the caller's bearer token
 * (scope `register:ingest`), the file as the body (at most `INGEST_MAX_BYTES`), forwarded to the person
 * subgraph's route of the same path, which runs the ingest and records the run (`ingest_runs`: who, which file, what
 * came of it). The gateway writes no register table itself; it answers the subgraph's report as JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, request } from 'undici';
import type { Caller } from '../kernel/caller.js';
import { GATEWAY_TOKEN_HEADER, type GatewayTokenSigner } from '../kernel/gateway-token.js';
import { readRawBody, sendError, type BodyError } from '../kernel/http.js';
import { forwardedIngestBody, INGEST_MAX_BYTES, INGEST_SCOPE } from '../kernel/ingest-route.js';
import { REQUEST_ID_HEADER, type Logger } from '../kernel/log.js';
import { AuthenticationError, type Authenticate } from './auth.js';
import type { CallerIdentity } from './policy.js';
import type { SubgraphTlsOptions } from './subgraph-client.js';

export interface IngestRouteOptions {
  authenticate: Authenticate;
  toCaller(identity: CallerIdentity, purpose: string | string[] | undefined): Caller;
  signer: GatewayTokenSigner;
  /** The person subgraph's GraphQL URL; the route is on the same origin. */
  personUrl: string;
  /** The route's path, the same on the person subgraph (`INGEST_CPR_PATH`, `INGEST_NDJSON_PATH`). */
  path: string;
  subgraphTls?: SubgraphTlsOptions;
  /** @default INGEST_MAX_BYTES */
  maxBytes?: number;
  log: Logger;
}

/** The handler of one ingest path. */
export function ingestRoute(options: IngestRouteOptions) {
  // An ingest of a large file runs for minutes: no header or body timeout on the forward.
  const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0, ...(options.subgraphTls?.ca ? { connect: { ca: options.subgraphTls.ca } } : {}) });
  const target = new URL(options.path, options.personUrl);
  const maxBytes = options.maxBytes ?? INGEST_MAX_BYTES;
  return async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${options.path} takes POST with the file as the body.`);
    }
    let caller: Caller;
    try {
      caller = options.toCaller(await options.authenticate(req.headers.authorization), req.headers['folkreg-purpose']);
    } catch (err) {
      if (!(err instanceof AuthenticationError)) throw err;
      res.setHeader('www-authenticate', 'Bearer');
      return sendError(res, 401, 'UNAUTHENTICATED', err.message);
    }
    if (!caller.scopes.includes(INGEST_SCOPE)) {
      req.resume();
      return sendError(res, 403, 'FORBIDDEN', `Ingesting needs the scope ${INGEST_SCOPE}.`, { reason: 'MISSING_SCOPE', requiredScopes: [[INGEST_SCOPE]] });
    }
    let file: Buffer;
    try {
      file = await readRawBody(req, maxBytes);
    } catch (err) {
      const { status, code, message } = err as BodyError;
      // Do not read the rest of an oversized body: answer and close.
      res.setHeader('connection', 'close');
      return sendError(res, status ?? 400, code ?? 'BAD_REQUEST', message);
    }
    if (file.length === 0) return sendError(res, 400, 'BAD_REQUEST', 'The body is empty: send the extract file as the body.');
    const url = new URL(req.url ?? '', 'http://x');
    const force = url.searchParams.get('force') === 'true' || url.searchParams.get('force') === '1';
    const body = forwardedIngestBody({ force }, file);
    const answer = await request(target, {
      method: 'POST',
      body,
      dispatcher,
      headers: {
        'content-type': 'application/octet-stream',
        [GATEWAY_TOKEN_HEADER]: options.signer.tokenFor(caller, 'person', body, options.path),
        [REQUEST_ID_HEADER]: requestId,
      },
    });
    const text = await answer.body.text();
    options.log.info({ status: answer.statusCode, bytes: file.length, client: caller.client }, 'ingest forwarded');
    res.statusCode = answer.statusCode;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(text);
  };
}
