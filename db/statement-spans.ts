import type { PGlite } from '@electric-sql/pglite';
import { ATTR_DB_COLLECTION_NAME, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, DB_SYSTEM_NAME_VALUE_POSTGRESQL } from '@opentelemetry/semantic-conventions';
import type postgres from 'postgres';
import { inSpan, SpanKind } from '../kernel/tracing.js';

/**
 * One span per SQL statement (README "Tracing"), named by its kind and first table (`SELECT persons`,
 * `INSERT audit_events`) as OTel's database conventions name them. The statement's text and parameters are
 * never recorded: parameters are identifiers and names, and a raw text could hold values.
 *
 * Applied by `openDatabase` only while tracing is on, around the driver (below drizzle, whose own
 * `logQuery` hook runs before a statement is sent and so cannot time it).
 */

/** `select … from "persons" …` → SELECT and persons; a table-valued function (`json_to_recordset(…)`) is skipped. */
const VERB = /^\s*(?:\(\s*)?([a-z]+)/i;
const TABLE = /\b(?:from|into|update|join)\s+"?([a-z_][a-z0-9_]*)"?(?!\s*[(…]|[a-z0-9_])/i;

/** `text` with each parenthesised part (innermost first) replaced by `…`: the main statement's clauses, not a subquery's. */
function outermost(text: string): string {
  let flat = text;
  for (let before = ''; before !== flat;) [before, flat] = [flat, flat.replace(/\([^()]*\)/g, '…')];
  return flat;
}

/** The span name and attributes of statement `text`: the table of its main clause, else of its first subquery. */
export function statementSpan(text: string): { name: string; attributes: Record<string, string> } {
  const verb = (VERB.exec(text)?.[1] ?? 'sql').toUpperCase();
  const table = TABLE.exec(outermost(text))?.[1] ?? TABLE.exec(text)?.[1];
  const attributes: Record<string, string> = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL, [ATTR_DB_OPERATION_NAME]: verb };
  if (table) attributes[ATTR_DB_COLLECTION_NAME] = table;
  return { name: table ? `${verb} ${table}` : verb, attributes };
}

/** Span names per statement text: a service runs a few hundred distinct texts (its prepared statements). */
const named = new Map<string, ReturnType<typeof statementSpan>>();
/** @default 1_000 // distinct statement texts remembered; past it, names are worked out again */
const MAX_NAMED = 1_000;

function traced<T>(text: unknown, run: () => Promise<T>): Promise<T> {
  const sql = typeof text === 'string' ? text : '';
  let span = named.get(sql);
  if (!span) {
    span = statementSpan(sql);
    if (named.size < MAX_NAMED) named.set(sql, span);
  }
  const { name, attributes } = span;
  return inSpan(name, { kind: SpanKind.CLIENT, attributes }, run);
}

/** PGlite with a span around each `query` (also inside transactions, which get a handle of their own). */
export function tracedPglite(client: PGlite): PGlite {
  const wrap = <C extends object>(target: C): C =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'query') return (...args: unknown[]) => traced(args[0], () => (value as (...a: unknown[]) => Promise<unknown>).apply(t, args));
        if (prop === 'transaction')
          return (run: (tx: object) => Promise<unknown>) => (value as (r: typeof run) => Promise<unknown>).call(t, (tx: object) => run(wrap(tx)));
        return (value as (...a: unknown[]) => unknown).bind(t);
      },
    });
  return wrap(client);
}

/**
 * postgres.js with a span around each `unsafe` statement (drizzle runs every statement through it), also
 * inside `begin` transactions. A postgres.js query is a lazy promise with builder methods (`values()`):
 * the span starts when it is awaited and ends when it settles.
 */
export function tracedPostgres(client: postgres.Sql): postgres.Sql {
  const spanned = <Q extends PromiseLike<unknown>>(query: Q, text: unknown): Q => {
    const then = query.then.bind(query);
    let settled: Promise<unknown> | null = null;
    Object.defineProperty(query, 'then', {
      configurable: true,
      value: (onOk?: (v: unknown) => unknown, onFail?: (e: unknown) => unknown) =>
        (settled ??= traced(text, () => new Promise((ok, fail) => then(ok, fail)))).then(onOk, onFail),
    });
    return query;
  };
  const wrap = (sql: postgres.Sql | postgres.TransactionSql): postgres.Sql =>
    new Proxy(sql as postgres.Sql, {
      get(target, prop, receiver) {
        if (prop === 'unsafe') return (...args: Parameters<postgres.Sql['unsafe']>) => spanned(target.unsafe(...args), args[0]);
        if (prop === 'begin') {
          return (...args: unknown[]) => {
            const run = args.pop() as (tx: postgres.TransactionSql) => Promise<unknown>;
            return (target.begin as (...a: unknown[]) => Promise<unknown>)(...args, (tx: postgres.TransactionSql) =>
              run(wrap(tx) as unknown as postgres.TransactionSql),
            );
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return wrap(client);
}
