import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Log levels, most severe first; `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of `LOG_LEVELS`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Where log lines go: stdout, one JSON object a line. Writes to a pipe or file are synchronous on Linux,
 * so a line logged just before `process.exit` is not lost. Tests point it elsewhere (`logTo`).
 */
const sink: { target: { write(line: string): unknown } } = { target: process.stdout };

const root = pino(
  {
    level: 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    // `"level":"warn"` rather than pino's numbers: what people grep for.
    formatters: { level: (label) => ({ level: label }) },
  },
  { write: (line: string) => sink.target.write(line) },
);

/** Every component logger made so far: `setLogLevel` reaches them (a pino child keeps its own level). */
const components = new Map<string, Logger>();

/**
 * The logger of one component (`gateway`, `person`, `lifecycle`, …): its lines carry `component`. Made
 * once per module; per request, `.child({ requestId })` of it.
 *
 * No personal data in logs: never a request body, its variables, an identifier or a name, and no error
 * message that might quote them (SQL parameters, values sent): log errors with `errorFields`.
 */
export function componentLog(component: string): Logger {
  let log = components.get(component);
  if (!log) components.set(component, (log = root.child({ component })));
  return log;
}

/** LOG_LEVEL: set once at start by the launcher (`loadConfig`), for every component. */
export function setLogLevel(level: LogLevel): void {
  root.level = level;
  for (const log of components.values()) log.level = level;
}

/** Sends log lines to `target` instead of stdout (tests capture them); returns what undoes it. */
export function logTo(target: { write(line: string): unknown }): () => void {
  const before = sink.target;
  sink.target = target;
  return () => {
    sink.target = before;
  };
}

/** Header carrying a request's id: taken from the client, returned to it, passed to every subgraph fetch. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What a request id a client sends may be: a proxy's or a client's own id, nothing that could inject. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request id of a request: the `x-request-id` it came with when that is well-formed (≤ 64 of [A-Za-z0-9._-]), else a new UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  const sent = Array.isArray(header) ? header[0] : header;
  return sent && REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * An error as log fields: its class, its code and where it was raised, and the same of its cause. Not its
 * message: a database error quotes the statement's parameters, a validation error the value sent.
 */
export function errorFields(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & { code?: unknown; cause?: unknown };
  return {
    type: e.name,
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    // The stack without its first line, which is the message.
    ...(e.stack
      ? {
          stack: e.stack
            .split('\n')
            .slice(1, 8)
            .map((frame) => frame.trim()),
        }
      : {}),
    ...(e.cause !== undefined && depth < 3 ? { cause: errorFields(e.cause, depth + 1) } : {}),
  };
}
