import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ErrorCode } from '../kernel/errors.js';
import type { Logger } from '../kernel/log.js';

/**
 * The gateway's one log line per GraphQL request (README "Logs"), at `info`: the access log an operator
 * reads first. What the request was is told by its operation name and its client, how it ended by the
 * HTTP status, the `extensions.code`s of its errors and an outcome; never its variables, the caller's
 * subject, a name or an identifier (error messages are left out: they may quote what was sent).
 */

/** What the request's handling learned for its log line; filled as it goes. */
export interface RequestRecord {
  /** The token's client id, once authenticated. */
  client?: string;
  /** The operation's name as resolved in the document. */
  operation?: string;
  /** Distinct `extensions.code`s of the errors answered (the error catalogue's values). */
  codes: Set<string>;
  /** Whether the answer carried some data (an answer refused before Apollo has none). */
  hadData?: boolean;
}

/** The part of the gateway context this module owns. */
export interface RequestRecordContext {
  record?: RequestRecord;
}

/**
 * How a request ended, for the log line: `ok`; `partial` (data and errors); `refused` (the request's own
 * fault: a 4xx, or errors of the caller's making without data); `failed` (a 5xx, or a fault of a service
 * behind the gateway).
 */
export type Outcome = 'ok' | 'partial' | 'refused' | 'failed';

/** Codes that are the system's fault, not the request's. */
const FAULTS = new Set<ErrorCode>([
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  'SUBGRAPH_REQUEST_TOO_LARGE',
  'DATABASE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'OVERLOADED',
]);

/** The outcome of a response with `status` whose errors had `codes` (`hadData`: some data came back). */
export function outcomeOf(status: number, codes: ReadonlySet<string>, hadData: boolean): Outcome {
  if (status >= 500) return 'failed';
  if (status >= 400) return 'refused';
  if (!codes.size) return 'ok';
  if (hadData) return 'partial';
  return [...codes].some((c) => FAULTS.has(c as ErrorCode)) ? 'failed' : 'refused';
}

/** Apollo plugin: the operation name and error codes of each request into its `record`. */
export function requestRecordPlugin<C extends RequestRecordContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const record = contextValue.record;
      if (!record) return;
      return {
        async didResolveOperation({ operationName }) {
          if (operationName) record.operation = operationName;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          for (const e of errors ?? []) record.codes.add(String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          record.hadData = !!data && Object.values(data).some((v) => v !== null);
        },
      };
    },
  };
}

/** Writes the request's line with `log` (its request id, and trace id when tracing is on) when its response is finished. */
export function logWhenFinished(log: Logger, req: IncomingMessage, res: ServerResponse, record: RequestRecord): void {
  const started = performance.now();
  res.once('finish', () => {
    const status = res.statusCode;
    log.info(
      {
        method: req.method,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(record.client ? { client: record.client } : {}),
        ...(record.operation ? { operation: record.operation } : {}),
        outcome: outcomeOf(status, record.codes, record.hadData ?? false),
        ...(record.codes.size ? { codes: [...record.codes] } : {}),
      },
      'request',
    );
  });
}
