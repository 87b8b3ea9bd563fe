import { ApolloGateway } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import { GraphQLError, getOperationAST, getVariableValues, type GraphQLSchema } from 'graphql';
import type { CountersContext } from './counters.js';
import { apiError } from '../kernel/errors.js';
import type { TimeBoundContext } from './time-bounds.js';
import type { LimitsContext } from './limits/index.js';
import type { RequestRecordContext } from './request-log.js';
import { guardedOperations, queryPlanCache } from './limits/caches.js';
import type { GatewayTokenSigner } from '../kernel/gateway-token.js';
import type { Caller } from '../kernel/caller.js';
import { SubgraphClient, type SubgraphTlsOptions } from './subgraph-client.js';
import type { SubgraphName } from '../kernel/subgraph-names.js';
import type { Policy } from './policy.js';
import type { AuditLog } from './protection/audit.js';
import { readProtectedFields } from '../kernel/protection-marks.js';
import { ProtectionGuard, withholdReleases, type GuardedOperation } from './protection/guard.js';
import { componentLog, errorFields } from '../kernel/log.js';
import { inSpan, libraryTracer, tracingOn } from '../kernel/tracing.js';
import { createRequire } from 'node:module';

/**
 * The federation engine, kept behind this one module: @apollo/gateway executing the static supergraph.
 * Policy, auth and subscriptions talk to `GatewayContext`, not to the engine's internals.
 */
export interface GatewayContext extends CountersContext, TimeBoundContext, LimitsContext, RequestRecordContext {
  caller: Caller;
  /** The request's id (`x-request-id`): in its log lines and passed to every subgraph fetch; none for the websocket layer's own reads. */
  requestId?: string;
  /**
   * Set only by the websocket layer, for the batch queries it derives from a subscription whose scopes
   * it checked at subscribe, and for the gateway's own reads of the log: no second scope check.
   */
  preauthorized?: boolean;
}

export interface EngineOptions {
  supergraphSdl: string;
  /** Where each subgraph answers; the supergraph's own URLs are placeholders. */
  subgraphUrls: Record<SubgraphName, string>;
  signer: GatewayTokenSigner;
  /** Trust for subgraphs served over https. @default {} // Node's trusted roots */
  subgraphTls?: SubgraphTlsOptions;
  policy: Policy;
  /** Where releases to entitled callers are recorded; without one, nothing protected is released. */
  audit: AuditLog | null;
  /** Protected-identity masking. Off only for the benchmark's comparison runs. @default true */
  masking?: boolean;
  /** Longest one subgraph fetch may take. @default 8_000 // 8 seconds */
  subgraphTimeoutMs?: number;
  /** Where masking, audit and subgraph fetches are counted (gateway/metrics.ts). @default null // not counted */
  metrics?: EngineMetrics | null;
}

/** What the engine reports (gateway/metrics.ts counts them): masking, audit, and each subgraph fetch. */
export interface EngineMetrics {
  /** A protected field withheld from the caller, by category. */
  masked(category: string): void;
  /** `fields` protected fields released to an entitled caller and recorded in the audit log. */
  released(fields: number): void;
  /** An audit write failed (the releases were withheld instead). */
  auditFailed(): void;
  /** Starts timing a fetch to `subgraph`; the function returned ends it, with the error code if it failed. */
  subgraphFetch(subgraph: string): (errorCode?: string) => void;
}

/** What Apollo Server needs of a gateway (its interface type lives in a package we don't depend on). */
type GatewayInterface = Pick<ApolloGateway, 'load' | 'stop' | 'onSchemaLoadOrUpdate'>;
type GatewayExecutor = NonNullable<Awaited<ReturnType<ApolloGateway['load']>>['executor']>;

/**
 * The engine as Apollo Server sees it: @apollo/gateway, with every operation passed through the
 * protected-identity guard (markers fetched, protected fields masked, releases audited).
 */
export function createEngine(options: EngineOptions): GatewayInterface {
  const clients: SubgraphClient[] = [];
  const gateway = createApolloGateway(options, clients);
  const protectedFields = readProtectedFields(options.supergraphSdl);
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    async stop() {
      await gateway.stop();
      await Promise.all(clients.map((c) => c.close()));
    },
    async load(config) {
      const { schema, executor } = await gateway.load(config);
      if (options.masking === false) return { schema, executor };
      return { schema, executor: protectExecutor(executor, new ProtectionGuard(schema, protectedFields), schema, options) };
    },
  };
}

function protectExecutor(execute: GatewayExecutor, guard: ProtectionGuard, schema: GraphQLSchema, options: EngineOptions): GatewayExecutor {
  // The guarded form of a document depends on the document and on whether the caller may be released
  // anything (then each person's id is fetched for the audit): cached per query hash and that, bounded
  // by bytes. The two forms differ, so each gets its own key in Apollo's query-plan cache too.
  const prepared = guardedOperations<GuardedOperation>();
  return async (requestContext) => {
    const caller = (requestContext.context as GatewayContext).caller;
    const entitled = options.policy.entitledFor(caller);
    const releases = hasAny(entitled);
    const key = releases ? `${requestContext.queryHash}+releases` : requestContext.queryHash;
    let operation = prepared.get(key);
    if (!operation) {
      try {
        operation = inSpan('guard.prepare', {}, () => guard.prepare(requestContext.document, releases));
      } catch (err) {
        if (err instanceof GraphQLError) return { errors: [err] };
        throw err;
      }
      prepared.set(key, operation);
    }
    const guarded = operation;
    const result = await execute({ ...requestContext, queryHash: key, document: operation.document });
    if (!result.data) return result;

    const definition = getOperationAST(operation.document, requestContext.operationName);
    const rootType = definition && schema.getRootType(definition.operation);
    if (!definition || !rootType) return { errors: [apiError('OPERATION_RESOLUTION_FAILURE', 'Operation not found in the document.')] };
    const variables = () => getVariableValues(schema, definition.variableDefinitions ?? [], requestContext.request.variables ?? {}).coerced ?? {};
    const visibility = { hidden: caller.hidden, entitled };
    const outcome = inSpan('guard.mask', {}, (span) => {
      const masked = guard.mask(
        result.data!,
        rootType,
        definition.selectionSet,
        guarded,
        variables,
        visibility,
        (result.errors ?? []).map((e) => e.path),
      );
      span?.setAttributes({ 'folkreg.guard.withheld': masked.errors.length, 'folkreg.guard.released_persons': masked.releases.size });
      return masked;
    });
    for (const e of outcome.errors) options.metrics?.masked(String(e.extensions?.category));

    const errors = [...(result.errors ?? []).filter((e) => !isGuardPath(e.path)), ...outcome.errors];
    if (outcome.releases.size) {
      try {
        if (!options.audit) throw new Error('no audit log configured');
        await options.audit.record({
          subject: caller.subject,
          client: caller.client,
          purpose: caller.purpose,
          operationName: requestContext.operationName,
          releases: outcome.releases,
        });
        let fields = 0;
        for (const released of outcome.releases.values()) fields += released.size;
        options.metrics?.released(fields);
      } catch (err) {
        options.metrics?.auditFailed();
        componentLog('gateway').error(
          { err: errorFields(err), requestId: (requestContext.context as GatewayContext).requestId },
          'audit write failed; withholding protected fields',
        );
        errors.push(...withholdReleases(result.data, outcome));
      }
    }
    return { ...result, errors: errors.length ? errors : undefined };
  };
}

function hasAny(categories: Record<string, readonly string[]>): boolean {
  for (const kind in categories) if (categories[kind]!.length) return true;
  return false;
}

/** Errors about the guard's own fields: the guard already withheld what they concern. */
function isGuardPath(path: ReadonlyArray<string | number> | undefined): boolean {
  return !!path?.some((step) => typeof step === 'string' && step.startsWith('_folkreg'));
}

/**
 * @apollo/gateway takes its tracer once, as it loads, from its own nested copy of @opentelemetry/api: a
 * tracer of that copy's proxy provider, which a provider registered later (tracing starts after the
 * imports) never reaches, so its spans were lost. Every span it makes reads its module's `tracer`
 * binding: pointed at ours, they join our traces.
 */
function joinApolloGatewaySpans(): void {
  if (!tracingOn()) return;
  const telemetry = createRequire(import.meta.url)('@apollo/gateway/dist/utilities/opentelemetry.js') as { tracer: unknown };
  telemetry.tracer = libraryTracer('@apollo/gateway');
}

function createApolloGateway(options: EngineOptions, clients: SubgraphClient[]): ApolloGateway {
  joinApolloGatewaySpans();
  // @apollo/gateway, unless told otherwise, exports usage metrics to Apollo's servers every minute and
  // first probes every cloud's metadata endpoint (AWS, GCP, Azure, Alibaba) for resource attributes —
  // seen as gcp-metadata warnings in the test logs. A register gateway sends nothing to third parties.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  return new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    // Its OpenTelemetry spans (gateway.request, gateway.plan, gateway.fetch, …) join ours when tracing is on:
    // never the document (it may hold literal identifiers), never exceptions (their messages quote values).
    telemetry: { includeDocument: false, recordExceptions: false },
    // Query plans, keyed by the client's document: bounded by bytes (gateway/limits/caches.ts).
    queryPlannerConfig: { cache: queryPlanCache<QueryPlan>() },
    buildService: ({ name }) => {
      const url = options.subgraphUrls[name as SubgraphName];
      if (!url) throw new Error(`No URL configured for subgraph '${name}'`);
      const client = new SubgraphClient(
        name,
        url,
        options.signer,
        options.subgraphTls,
        options.subgraphTimeoutMs,
        options.metrics?.subgraphFetch.bind(options.metrics),
      );
      clients.push(client);
      return client;
    },
  });
}
