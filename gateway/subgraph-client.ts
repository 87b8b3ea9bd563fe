import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GraphQLError } from 'graphql';
import { apiError } from '../kernel/errors.js';
import { Pool } from 'undici';
import { collectSubgraphCounters, countSubgraphRequest, type CountersContext } from './counters.js';
import { GATEWAY_TOKEN_HEADER, type GatewayTokenSigner } from '../kernel/gateway-token.js';
import { type Caller } from '../kernel/caller.js';
import { REQUEST_ID_HEADER } from '../kernel/log.js';
import { inSpan, injectTraceContext, SpanKind, tracingOn, type Span } from '../kernel/tracing.js';
import { DEFAULT_SUBGRAPH_TIMEOUT_MS, fetchBound, type TimeBoundContext } from './time-bounds.js';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** What a subgraph request needs from the gateway's per-request context. */
export interface SubgraphRequestContext extends CountersContext, TimeBoundContext {
  caller: Caller;
  /** Sent on as `x-request-id`, so the subgraph's log lines carry the gateway's request id. */
  requestId?: string;
}

/** undici's own timeouts (no response headers, or a body that stalls) end a fetch like our signal does. */
const TIMEOUT_ERRORS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** How the gateway trusts subgraphs served over https. */
export interface SubgraphTlsOptions {
  /** PEM CA certificate(s) that signed the subgraphs' certificates. @default Node's trusted roots */
  ca?: string | Buffer;
}

/**
 * How the gateway talks to one subgraph: a POST of the planned fetch over a pool of kept-alive
 * connections (undici's request API), carrying the gateway token for the verified caller.
 *
 * It replaces @apollo/gateway's RemoteGraphQLDataSource, whose fetch path (WHATWG Request/Headers,
 * body streams) cost more gateway CPU per request than everything the protection guard does.
 */
export class SubgraphClient implements GraphQLDataSource<SubgraphRequestContext> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly signer: GatewayTokenSigner,
    tls: SubgraphTlsOptions = {},
    /** Longest one fetch may take, within the request's deadline. @default 8_000 // 8 seconds */
    private readonly timeoutMs = DEFAULT_SUBGRAPH_TIMEOUT_MS,
    /** Times each fetch (gateway/metrics.ts); the function it returns ends the timing, with the error code of a failure. */
    private readonly timed: (subgraph: string) => (errorCode?: string) => void = () => () => {},
  ) {
    const parsed = new URL(url);
    this.path = parsed.pathname + parsed.search;
    // Connections are opened on demand up to the bound and kept alive between requests. An https URL
    // is verified against `tls.ca` when given (a private CA), else against Node's trusted roots.
    this.pool = new Pool(parsed.origin, { connections: 128, keepAliveTimeout: 30_000, ...(tls.ca ? { connect: { ca: tls.ca } } : {}) });
  }

  /** One fetch, in a CLIENT span `subgraph.fetch` whose context the subgraph continues (`traceparent`), timed for the metrics. */
  process(options: GraphQLDataSourceProcessOptions<SubgraphRequestContext>): Promise<GatewayGraphQLResponse> {
    // Tracing off: no span closure per fetch ("off and costless otherwise", kernel/tracing.ts).
    if (!tracingOn()) return this.timedFetch(options, undefined);
    return inSpan('subgraph.fetch', { kind: SpanKind.CLIENT, attributes: { 'folkreg.subgraph': this.subgraph } }, (span) => this.timedFetch(options, span));
  }

  private async timedFetch(options: GraphQLDataSourceProcessOptions<SubgraphRequestContext>, span: Span | undefined): Promise<GatewayGraphQLResponse> {
    const done = this.timed(this.subgraph);
    try {
      const result = await this.fetch(options, span ? (status) => span.setAttribute('http.response.status_code', status) : undefined);
      done();
      return result;
    } catch (err) {
      done(String((err as GraphQLError).extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
      throw err;
    }
  }

  private async fetch(options: GraphQLDataSourceProcessOptions<SubgraphRequestContext>, answered?: (status: number) => void): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const caller = context?.caller;
    if (!caller) throw new Error('Subgraph request without a verified caller');
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      // A token for this fetch alone: this subgraph, this body (see gateway-token.ts).
      [GATEWAY_TOKEN_HEADER]: this.signer.tokenFor(caller, this.subgraph, body),
    };
    if (context.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
    injectTraceContext(headers);
    countSubgraphRequest(context, headers);
    let status: number;
    let text: string;
    const bound = fetchBound(context, this.timeoutMs);
    try {
      if (bound.signal.aborted) throw bound.signal.reason;
      const response = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers,
        body,
        signal: bound.signal,
        headersTimeout: bound.timeoutMs,
        bodyTimeout: bound.timeoutMs,
      });
      status = response.statusCode;
      answered?.(status);
      text = await response.body.text();
    } catch (err) {
      if (bound.signal.aborted || TIMEOUT_ERRORS.has((err as { code?: string }).code ?? '')) throw this.timedOut(bound.timeoutMs, bound.byDeadline);
      throw this.unavailable();
    } finally {
      bound.release();
    }
    if (status === 413) {
      throw apiError(
        'SUBGRAPH_REQUEST_TOO_LARGE',
        `The ${this.subgraph} service refused the gateway's request as too large (${Buffer.byteLength(body)} bytes); fields it provides are null. Ask for fewer entities at once.`,
        { subgraph: this.subgraph, bytes: Buffer.byteLength(body) },
      );
    }
    let result: GatewayGraphQLResponse;
    try {
      result = JSON.parse(text) as GatewayGraphQLResponse;
    } catch {
      throw this.unavailable();
    }
    // A GraphQL answer (200, or 400 for a document the subgraph refused) is passed on; anything else is a fault.
    if ((status !== 200 && status !== 400) || typeof result !== 'object' || result === null) {
      throw apiError(
        status === 401 ? 'UNAUTHENTICATED' : 'SUBGRAPH_UNAVAILABLE',
        `The ${this.subgraph} service answered HTTP ${status}; fields it provides are null.`,
        {
          subgraph: this.subgraph,
        },
      );
    }
    collectSubgraphCounters(context, result as { extensions?: Record<string, unknown> });
    return result;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** A fetch that ran out of time: the subgraph's own bound, or the request's deadline. */
  private timedOut(limitMs: number, byDeadline: boolean): GraphQLError {
    const what = byDeadline ? "the request's deadline" : 'the subgraph time limit';
    return apiError('SUBGRAPH_TIMEOUT', `The ${this.subgraph} service did not answer within ${limitMs} ms (${what}); fields it provides are null.`, {
      subgraph: this.subgraph,
      reason: byDeadline ? 'REQUEST_DEADLINE' : 'SUBGRAPH_TIMEOUT',
      limitMs,
    });
  }

  /** A subgraph that is down yields an error naming it, never its internal address. */
  private unavailable(): GraphQLError {
    return apiError('SUBGRAPH_UNAVAILABLE', `The ${this.subgraph} service is unavailable; fields it provides are null.`, { subgraph: this.subgraph });
  }
}
