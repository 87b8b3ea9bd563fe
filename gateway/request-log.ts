import type { IncomingMessage, ServerResponse } from 'node:http';
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

/**
 * The operation name and error codes of an answered request into its `record` (the metrics plugin calls
 * it for each response: one plugin, not two, walks the errors; gateway/metrics.ts).
 */
export function recordResponse(
  context: RequestRecordContext,
  operationName: string | null,
  result: { data?: unknown; errors?: readonly { extensions?: { code?: unknown } }[] } | undefined,
): void {
  const record = context.record;
  if (!record) return;
  if (operationName) record.operation = operationName;
  if (!result) return;
  for (const e of result.errors ?? []) record.codes.add(String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  const data = result.data as Record<string, unknown> | null | undefined;
  record.hadData = !!data && Object.values(data).some((v) => v !== null);
}

/** Writes the request's line with `log`, with its `ids` (request id, and trace id when tracing is on), when its response is finished. */
export function logWhenFinished(
  log: Logger,
  ids: { requestId: string; traceId?: string },
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): void {
  const started = performance.now();
  res.once('finish', () => {
    const status = res.statusCode;
    log.info(
      {
        ...ids,
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
