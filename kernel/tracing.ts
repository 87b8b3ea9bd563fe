import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVICE_NAME, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TracingConfig } from './config.js';

export { SpanKind, type Span };

/**
 * OpenTelemetry traces (README "Tracing"), instrumented by hand: one trace per request, from the
 * gateway's HTTP span through each subgraph fetch (W3C `traceparent` on the hop) to the subgraph's
 * loader batches and SQL statements.
 *
 * Off unless a launcher calls `startTracing` (OTEL_EXPORTER_OTLP_ENDPOINT set): then no provider is
 * registered and every helper here returns after one boolean test, without touching the OTel API.
 *
 * No personal data in spans: names are fixed (`guard.prepare`, `SELECT persons`), attributes are counts,
 * kinds, subgraph and table names, status codes. Never a variable, an identifier, a name, a token, a
 * statement's parameters or an error message (it may quote them).
 */

/** The OTLP export: OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME. */
export interface TracingOptions {
  /** OTLP/HTTP base URL (`http://collector:4318`); spans go to `<endpoint>/v1/traces`, as JSON. */
  endpoint: string;
  /** `service.name` of this process's spans. */
  serviceName: string;
  /** Longest spans wait in memory before they are sent. @default 1_000 // 1 second */
  exportDelayMs?: number;
}

/** A running export: flush it before the process exits. */
export interface Tracing {
  /** Sends every span ended so far. */
  flush(): Promise<void>;
  /** Flushes, then unregisters the provider: tracing is off again (the API's no-op tracer). */
  shutdown(): Promise<void>;
}

let enabled = false;
const tracer = trace.getTracer('folkreg');

/**
 * A tracer of this API copy for a library that takes one (`@apollo/gateway`); with tracing off, the API's
 * no-op tracer.
 */
export function libraryTracer(name: string): Tracer {
  return trace.getTracer(name);
}

/** Whether `startTracing` is in force in this process. */
export function tracingOn(): boolean {
  return enabled;
}

/**
 * Registers the tracer provider (batched OTLP/HTTP JSON export), the AsyncLocalStorage context manager and
 * the W3C trace-context propagator, process-wide. @apollo/gateway's own spans (`gateway.request`,
 * `gateway.plan`, `gateway.fetch`, …) join the same traces through the same global registry.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (enabled) throw new Error('Tracing is already started in this process.');
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: options.exportDelayMs ?? 1_000 })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  enabled = true;
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      if (!enabled) return;
      enabled = false;
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * For a launcher, first thing after the configuration (before the database opens: its statements get
 * spans only if tracing is on by then): tracing started when OTEL_EXPORTER_OTLP_ENDPOINT is set, else
 * null. `serviceName` is this program's default `service.name` (OTEL_SERVICE_NAME wins).
 */
export function tracingOf(config: TracingConfig, serviceName: string): Tracing | null {
  return config.endpoint ? startTracing({ endpoint: config.endpoint, serviceName: config.serviceName ?? serviceName }) : null;
}

/** What a span is: its kind and the attributes known at its start. */
export interface SpanOptions {
  /** @default SpanKind.INTERNAL */
  kind?: SpanKind;
  /** Counts, kinds and names of the schema only (see the module comment). */
  attributes?: Attributes;
  /** The parent: a context extracted from a request's headers. @default the active span */
  parent?: Context;
  /** A new trace, whatever is active (the gateway's requests and websocket batches). @default false */
  root?: boolean;
}

/**
 * Runs `fn` inside a new span `name`, active for everything `fn` awaits, and ends it when `fn` settles; a
 * throw marks it failed with the error's class (`error.type`), never its message. With tracing off, `fn`
 * runs with no span.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => T): T {
  if (!enabled) return fn(undefined);
  const parent = options.root ? ROOT_CONTEXT : (options.parent ?? context.active());
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, root: options.root }, parent);
  const fail = (err: unknown) => {
    markFailed(span, err);
    span.end();
    throw err;
  };
  try {
    const result = context.with(trace.setSpan(parent, span), () => fn(span));
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        span.end();
        return value;
      }, fail) as T;
    }
    span.end();
    return result;
  } catch (err) {
    return fail(err);
  }
}

/**
 * Marks `span` failed by the error's code (a GraphQL error's `extensions.code`, a system error's `code`) or
 * class, never its message (it may quote what was sent).
 */
export function markFailed(span: Span | undefined, err: unknown): void {
  if (!span) return;
  const e = err as { name?: unknown; code?: unknown; extensions?: { code?: unknown } } | null;
  const code = e?.extensions?.code ?? e?.code;
  const type = typeof code === 'string' ? code : typeof e?.name === 'string' ? e.name : 'error';
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute('error.type', type);
}

/** Adds the active trace's `traceparent` (and `tracestate`) to outgoing `headers`. Nothing with tracing off. */
export function injectTraceContext(headers: Record<string, string>): void {
  if (enabled) propagation.inject(context.active(), headers);
}

/** The trace context a request came with (`traceparent`), as the parent of its span; undefined with tracing off. */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context | undefined {
  return enabled ? propagation.extract(ROOT_CONTEXT, headers) : undefined;
}

/** The active span's trace id, for log lines; undefined with tracing off or no span. */
export function activeTraceId(): string | undefined {
  if (!enabled) return undefined;
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** The HTTP paths that get a server span: GraphQL requests, not probes, the IDE or metrics scrapes. */
const TRACED_PATHS = new Set(['/graphql']);

/**
 * `handler` with a SERVER span (`POST /graphql`) around each GraphQL request, active for all its work and
 * ended when its response finishes. `continueTrace`: the span's parent is the request's `traceparent`
 * (a subgraph, called by the gateway); else each request starts a trace of its own (the public gateway).
 * With tracing off, `handler` itself runs.
 */
export function tracedRequests(
  /** `service`: `gateway` or the subgraph's name, as `folkreg.service` (one process may serve them all: `npm start`). */
  options: { continueTrace: boolean; service: string },
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!enabled || !TRACED_PATHS.has(path)) return handler(req, res);
    const method = req.method ?? 'GET';
    const parent = options.continueTrace ? propagation.extract(ROOT_CONTEXT, req.headers) : ROOT_CONTEXT;
    const span = tracer.startSpan(
      `${method} ${path}`,
      { kind: SpanKind.SERVER, attributes: { 'folkreg.service': options.service, [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path } },
      parent,
    );
    res.once('close', () => {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), () => handler(req, res));
  };
}
