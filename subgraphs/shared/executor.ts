/**
 * A subgraph's executor: graphql-jit for the queries the gateway sends again and again, graphql-js for
 * everything else and whenever the compiled answer could differ from graphql-js's.
 *
 * It is handed to Apollo Server through its `gateway` seam (`subgraphExecutorGateway`), so parsing,
 * validation (cached per document text by Apollo's document store), plugins, error formatting and
 * serialisation stay Apollo's: only `execute` is swapped. What a caller receives is graphql-js's answer,
 * byte for byte (test/integration/subgraph-executor.test.ts sends the same documents through both):
 * - a document runs compiled from its second sight (compiling the address entity fetch took 1.2 ms,
 *   some ten executions of it; one-off documents never pay it), one compiled query per document text
 *   and operation, in a bounded cache;
 * - only queries: mutations write, and run as graphql-js runs them, field after field;
 * - a variable graphql-jit cannot coerce is an answer with errors, answered again by graphql-js in its
 *   own words (graphql-jit words them otherwise); coercing them with graphql-js first, to be sure, cost
 *   as much CPU as compiling saved (a profile of the bench's person lookup: 438 ms against 440);
 * - an answer with errors is answered again by graphql-js, with the same context (the request's
 *   DataLoaders keep what the first run read, so the second run mostly reads no rows): graphql-jit's
 *   errors are its own `GraphQLError` objects, and Apollo's formatting of them loses `path` and
 *   `locations` (a masked internal error, a non-null violation: found by the test); errors are rare on
 *   the hot path, so their second run does not show in its cost.
 */
import { execute, getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { parsedDocumentBytes, SizedLru } from '../../kernel/cache.js';

/** Compiled queries a subgraph keeps, by the heap their source text suggests. @default 16_000_000 // 16 MB */
const COMPILED_QUERY_BYTES = 16_000_000;

/** Sightings before a document is compiled. @default 2 */
const COMPILE_AT_SIGHTING = 2;

/**
 * A compiled query's heap with its document, against the parsed document alone: measured 14.1 KB against
 * 10.8 KB for the gateway's address entity fetch (170 characters), so 1.5 with a margin.
 */
const COMPILED_PER_PARSED = 1.5;

/** What one document text has become: seen so often, compiled, or not compilable. */
interface Entry {
  document: DocumentNode;
  sightings: number;
  compiled?: CompiledQuery | null;
}

export interface SubgraphExecutorOptions {
  /** Off: every request runs on graphql-js (the reference the test compares with). @default true */
  compiled?: boolean;
}

/** What one execution needs (Apollo's request context, narrowed). */
export interface ExecutionRequest {
  document: DocumentNode;
  operation?: OperationDefinitionNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
  contextValue: unknown;
}

/** The executor of one subgraph's schema. */
export class SubgraphExecutor {
  private readonly entries = new SizedLru<Entry>({
    maxBytes: COMPILED_QUERY_BYTES,
    sizeOf: (entry, key) => parsedDocumentBytes(entry.document, key) * (entry.compiled ? COMPILED_PER_PARSED : 1),
  });
  /** Executions answered by compiled queries, and by graphql-js: for tests and profiles. */
  readonly counts = { compiled: 0, reference: 0 };

  constructor(
    readonly schema: GraphQLSchema,
    private readonly options: SubgraphExecutorOptions = {},
  ) {}

  execute(request: ExecutionRequest): Promise<ExecutionResult> | ExecutionResult {
    const compiled = this.options.compiled === false ? null : this.compiledFor(request);
    if (compiled) {
      const answer = compiled.query(undefined, request.contextValue, request.variables ?? {});
      return isThenable(answer) ? answer.then((result) => this.checked(result, request)) : this.checked(answer, request);
    }
    return this.reference(request);
  }

  /** graphql-js, as Apollo Server runs it without a gateway. */
  private reference(request: ExecutionRequest): Promise<ExecutionResult> | ExecutionResult {
    this.counts.reference++;
    return execute({
      schema: this.schema,
      document: request.document,
      contextValue: request.contextValue,
      variableValues: request.variables,
      operationName: request.operationName,
    });
  }

  private checked(result: ExecutionResult, request: ExecutionRequest): Promise<ExecutionResult> | ExecutionResult {
    if (result.errors?.length) return this.reference(request);
    this.counts.compiled++;
    return result;
  }

  /** The compiled query for this request, when it may run compiled. */
  private compiledFor(request: ExecutionRequest): CompiledQuery | null {
    const operation = request.operation ?? getOperationAST(request.document, request.operationName);
    if (operation?.operation !== 'query') return null;
    const source = request.document.loc?.source.body;
    if (source === undefined) return null;
    const key = `${request.operationName ?? ''}\n${source}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { document: request.document, sightings: 0 };
      this.entries.set(key, entry);
    }
    if (entry.compiled === undefined && ++entry.sightings >= COMPILE_AT_SIGHTING) {
      const compiled = compileQuery(this.schema, request.document, request.operationName ?? undefined, { disablingCapturingStackErrors: true });
      entry.compiled = isCompiledQuery(compiled) ? compiled : null;
      this.entries.set(key, entry); // its size is now the compiled query's
    }
    return entry.compiled ?? null;
  }
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Apollo Server's `gateway` option over a fixed schema: Apollo then runs its whole pipeline (document
 * store, validation, plugins, formatting) and calls `executor` where it would call graphql-js's `execute`.
 */
export function subgraphExecutorGateway(executor: SubgraphExecutor): GatewayInterface {
  const run: GatewayExecutor = (context) =>
    Promise.resolve(
      executor.execute({
        document: context.document,
        operation: context.operation,
        operationName: context.request.operationName,
        variables: context.request.variables,
        contextValue: context.context,
      }),
    );
  return {
    async load() {
      return { schema: executor.schema, executor: run };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: executor.schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
  };
}
