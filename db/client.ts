import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { Logger, SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { claimDataDir, DataDirError } from './data-dir.js';
import { countSqlStatement } from '../kernel/cost-counters.js';
import { tracingOn } from '../kernel/tracing.js';
import { tracedPglite, tracedPostgres } from './statement-spans.js';
import type { DatabaseConfig } from '../kernel/config.js';
import * as schema from './schema/index.js';

export { DataDirError };
export type Schema = typeof schema;
/** The drizzle handle every domain uses, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: 'postgres' | 'pglite';
  /** Applies pending migrations (idempotent; serialised across processes on Postgres). */
  migrate(): Promise<void>;
  /** LISTENs on `channel` (a dedicated connection on Postgres); resolves to the function that stops. */
  listen: Listen;
  /** How busy the pool is now (the `db_client_connection_*` gauges). */
  pool: PoolUsage;
  close(): Promise<void>;
}

/**
 * How busy a database handle's connections are, now. postgres.js exposes no pool counters, so the handle
 * counts its own work: each statement run outside a transaction, and each transaction from BEGIN to
 * COMMIT, holds one connection while it runs. `used` is that work up to `max`, `pending` what is beyond
 * it: postgres.js queues it, or pipelines it behind another statement on a busy connection, and either
 * way it waits. LISTEN has a connection of its own outside the pool and is not counted.
 */
export interface PoolUsage {
  /** Connections the pool may open: DATABASE_POOL_SIZE, or 1 on the embedded database (one backend). */
  readonly max: number;
  /** Statements and transactions running now, at most `max`. */
  readonly used: number;
  /** Statements and transactions waiting for a connection. */
  readonly pending: number;
}

/** Counts work in flight on a pool of `max` connections. */
class PoolCounter implements PoolUsage {
  private running = 0;

  constructor(readonly max: number) {}

  get used(): number {
    return Math.min(this.running, this.max);
  }

  get pending(): number {
    return Math.max(0, this.running - this.max);
  }

  /** Counts `work` from now until it settles. */
  track<T>(work: () => PromiseLike<T>): Promise<T> {
    this.running++;
    const done = () => void this.running--;
    let pending: PromiseLike<T>;
    try {
      pending = work();
    } catch (err) {
      done();
      return Promise.reject(err);
    }
    return Promise.resolve(pending).finally(done);
  }
}

const pools = new WeakMap<Db, PoolUsage>();

/** The pool usage of the database behind a drizzle handle (undefined for a handle `openDatabase` did not open). */
export function poolOf(db: Db): PoolUsage | undefined {
  return pools.get(db);
}

export type Listen = (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;

const listeners = new WeakMap<Db, Listen>();

/**
 * The LISTEN of the database behind a drizzle handle: code that gets only `db` (a subgraph's resolvers)
 * reaches the notifications of the connection it came from.
 */
export function listenerOf(db: Db): Listen {
  const listen = listeners.get(db);
  if (!listen) throw new Error('This drizzle handle was not opened by openDatabase: it has no LISTEN.');
  return listen;
}

export interface DatabaseOptions {
  /** postgres:// URL. When absent, the embedded PGlite database in `dataDir` is used. */
  url?: string;
  /** Folder of the embedded database. @default './.data' */
  dataDir?: string;
  /** In-memory PGlite (tests): nothing is written to disk. */
  inMemory?: boolean;
  /** Connections in the postgres.js pool. @default 10 */
  maxConnections?: number;
  /** Time bounds of a Postgres server; the embedded database runs in-process and needs none. */
  timeouts?: DatabaseTimeouts;
}

/**
 * How long folkreg waits for a Postgres server. Without bounds, a database that stops answering (a
 * network blackhole, not a refused connection) stalled every request for about 30 s and more.
 */
export interface DatabaseTimeouts {
  /** Longest a new connection may take to be ready (TCP, TLS, authentication). @default 5_000 // 5 seconds */
  connectTimeoutMs?: number;
  /**
   * Longest one statement may run: the server cancels it (`statement_timeout`), and folkreg stops waiting
   * for an answer 1 s after that (a server that does not answer cannot cancel). 0 turns both off (seeding,
   * benchmarks). @default 5_000 // 5 seconds
   */
  statementTimeoutMs?: number;
  /** A transaction left idle this long is ended by the server (`idle_in_transaction_session_timeout`). @default 10_000 // 10 seconds */
  idleInTransactionTimeoutMs?: number;
  /** A pooled connection unused this long is closed. @default 60_000 // 1 minute */
  idleConnectionTimeoutMs?: number;
}

/**
 * The database did not answer in time, or could not be reached: the request failed as a whole, its
 * outcome (for a write) is what the database made of it. Clients see `DATABASE_UNAVAILABLE`.
 */
export class DatabaseUnavailableError extends Error {
  constructor(
    message: string,
    /** `TIMEOUT` (no answer in time) or `UNREACHABLE` (connection refused, closed or not ready in time). */
    readonly reason: 'TIMEOUT' | 'UNREACHABLE',
  ) {
    super(message);
  }
}

/** postgres.js connection failures and Postgres's own "stop" codes: the database, not the request, is at fault. */
const CONNECTION_FAULTS = new Set([
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/**
 * The database fault behind `err` (a statement's rejection, possibly wrapped by drizzle as `cause`), or
 * null for any other error. Statement timeouts (SQLSTATE 57014) and server shutdown (57P0x, 08xxx) count.
 */
export function databaseFault(err: unknown): DatabaseUnavailableError | null {
  for (let e = err as (Error & { code?: unknown; cause?: unknown }) | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e instanceof DatabaseUnavailableError) return e;
    const code = typeof e.code === 'string' ? e.code : '';
    if (code === '57014') return new DatabaseUnavailableError('A database statement ran past its time limit.', 'TIMEOUT');
    if (code === 'CONNECT_TIMEOUT') return new DatabaseUnavailableError('The database did not accept a connection in time.', 'TIMEOUT');
    if (CONNECTION_FAULTS.has(code) || /^57P0|^08/.test(code)) return new DatabaseUnavailableError('The database cannot be reached.', 'UNREACHABLE');
  }
  return null;
}

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

const countingLogger: Logger = { logQuery: () => countSqlStatement() };

/** Arbitrary constant naming folkreg's migration lock. */
const MIGRATION_LOCK_KEY = 0x0f01c8e6;

/** Opens the database named by the options (see DatabaseOptions). */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options.maxConnections ?? 10, options.timeouts) : openPglite(options);
}

/** The options of DATABASE_URL (or the embedded database in DATA_DIR), DATABASE_POOL_SIZE and the DATABASE_*_TIMEOUT_MS. */
export function databaseOptionsOf(config: DatabaseConfig): DatabaseOptions {
  return { url: config.url, dataDir: config.dataDir, maxConnections: config.poolSize, timeouts: databaseTimeoutsOf(config) };
}

/** DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS. */
export function databaseTimeoutsOf(config: DatabaseConfig): DatabaseTimeouts {
  return {
    connectTimeoutMs: config.connectTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
    idleInTransactionTimeoutMs: config.idleInTransactionTimeoutMs,
  };
}

/** Slack between the server's statement timeout and folkreg giving up on an answer. @default 1_000 // 1 second */
const ANSWER_GRACE_MS = 1_000;

async function openPostgres(url: string, max: number, timeouts: DatabaseTimeouts = {}): Promise<Database> {
  const statementMs = timeouts.statementTimeoutMs ?? 5_000;
  const idleTxMs = timeouts.idleInTransactionTimeoutMs ?? 10_000;
  const client = postgres(url, {
    max,
    onnotice: () => {},
    // postgres.js counts these in seconds.
    connect_timeout: (timeouts.connectTimeoutMs ?? 5_000) / 1000,
    idle_timeout: (timeouts.idleConnectionTimeoutMs ?? 60_000) / 1000,
    connection: { statement_timeout: statementMs, idle_in_transaction_session_timeout: idleTxMs },
  });
  const pool = new PoolCounter(max);
  const bounded = countedPool(statementMs > 0 ? answerBound(client, statementMs + ANSWER_GRACE_MS) : client, pool);
  // A span per statement only while tracing is on (decided at open: the launcher starts tracing first).
  const db = drizzlePostgres(tracingOn() ? tracedPostgres(bounded) : bounded, { schema, logger: countingLogger }) as unknown as Db;
  pools.set(db, pool);
  const listen: Listen = async (channel, onNotify) => {
    // postgres.js keeps one extra connection for all LISTENs and re-listens after a reconnect.
    const { unlisten } = await client.listen(channel, onNotify);
    return unlisten;
  };
  listeners.set(db, listen);
  return {
    db,
    driver: 'postgres',
    listen,
    pool,
    async migrate() {
      // Migrations (an index on a large table) may outlast the serving statement timeout: their own
      // connections have none.
      const migrator = postgres(url, { max: 2, onnotice: () => {}, connection: { statement_timeout: 0, idle_in_transaction_session_timeout: 0 } });
      // Several processes may start at once against one server: let one migrate, the others wait.
      const lock = await migrator.reserve();
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres(migrator, { schema }), { migrationsFolder });
      } finally {
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        lock.release();
        await migrator.end({ timeout: 5 });
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  let client: PGlite;
  if (options.inMemory) {
    client = new PGlite();
  } else {
    const dir = resolve(options.dataDir ?? './.data');
    claimDataDir(dir);
    try {
      client = new PGlite(join(dir, 'pgdata'));
      await client.waitReady;
    } catch (err) {
      throw new DataDirError(
        `The embedded database in ${dir} could not be opened (${(err as Error).message}). ` +
          `It may be corrupt or from an incompatible version: move it away, or set DATA_DIR to another folder.`,
      );
    }
  }
  await client.waitReady;
  // Spans inside the queue: a statement's span times the statement, not its wait for the one backend.
  const pool = new PoolCounter(1);
  const serial = serialised(tracingOn() ? tracedPglite(client) : client, pool);
  const db = drizzlePglite(serial, { schema, logger: countingLogger }) as unknown as Db;
  pools.set(db, pool);
  // One backend: a NOTIFY of its own transactions reaches its own LISTEN at commit.
  const listen: Listen = (channel, onNotify) => serial.listen(channel, onNotify);
  listeners.set(db, listen);
  return {
    db,
    driver: 'pglite',
    listen,
    pool,
    migrate: () => migratePglite(drizzlePglite(serial, { schema }), { migrationsFolder }),
    close: () => client.close(),
  };
}

/**
 * PGlite is one single-user backend. Statements issued concurrently (five subgraphs in one process)
 * interleave their protocol messages and fail ("invalid message format", parameters of another
 * statement), so every statement and transaction waits for the previous one to finish.
 */
function serialised(client: PGlite, pool: PoolCounter): PGlite {
  let tail: Promise<unknown> = Promise.resolve();
  // Counted from the moment it joins the queue: the one running is `used`, the rest `pending`.
  const queue = <T>(run: () => Promise<T>): Promise<T> =>
    pool.track(() => {
      const next = tail.then(run, run);
      tail = next.catch(() => undefined);
      return next;
    });
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'query' || prop === 'exec' || prop === 'transaction' || prop === 'listen') {
        const method = Reflect.get(target, prop, target) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => queue(() => method.apply(target, args));
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The client, with every statement (and a transaction's BEGIN and COMMIT) failing with
 * `DatabaseUnavailableError` when no answer came within `limitMs`. The server's own statement timeout
 * ends slow statements; this bound is for a server that cannot answer at all. A late answer, when the
 * path comes back, is read and dropped by postgres.js, so its connections stay usable: no restart.
 */
function answerBound(client: postgres.Sql, limitMs: number): postgres.Sql {
  const timedOut = () => new DatabaseUnavailableError(`The database did not answer within ${limitMs} ms.`, 'TIMEOUT');
  const race = <T>(pending: PromiseLike<T>): Promise<T> =>
    new Promise<T>((ok, fail) => {
      const timer = setTimeout(() => fail(timedOut()), limitMs);
      pending.then(
        (value) => (clearTimeout(timer), ok(value)),
        (err) => (clearTimeout(timer), fail(err)),
      );
    });
  /** A postgres.js query is a lazy promise with builder methods: keep those, bound its `then`. */
  const boundQuery = <Q extends PromiseLike<unknown>>(query: Q): Q => {
    const then = query.then.bind(query);
    let raced: Promise<unknown> | null = null;
    // Configurable: statement spans (statement-spans.ts) wrap this `then` in turn.
    Object.defineProperty(query, 'then', {
      configurable: true,
      value: (onOk?: (v: unknown) => unknown, onFail?: (e: unknown) => unknown) => (raced ??= race({ then })).then(onOk, onFail),
    });
    return query;
  };
  const wrap = (sql: postgres.Sql | postgres.TransactionSql): postgres.Sql =>
    new Proxy(sql as postgres.Sql, {
      get(target, prop, receiver) {
        if (prop === 'unsafe') return (...args: Parameters<postgres.Sql['unsafe']>) => boundQuery(target.unsafe(...args));
        if (prop === 'begin') {
          return (...args: unknown[]) => {
            const run = args.pop() as (tx: postgres.TransactionSql) => Promise<unknown>;
            // BEGIN, then each statement (bounded by the wrapped handle), then COMMIT: each phase has the bound.
            let phase: { timer: NodeJS.Timeout; fail: (e: Error) => void } | null = null;
            const arm = (fail: (e: Error) => void) => (phase = { timer: setTimeout(() => fail(timedOut()), limitMs), fail });
            const disarm = () => phase && clearTimeout(phase.timer);
            return new Promise((ok, fail) => {
              arm(fail);
              (target.begin as (...a: unknown[]) => Promise<unknown>)(...args, async (tx: postgres.TransactionSql) => {
                disarm();
                try {
                  return await run(wrap(tx) as unknown as postgres.TransactionSql);
                } finally {
                  arm(fail);
                }
              }).then(
                (value) => (disarm(), ok(value)),
                (err) => (disarm(), fail(err)),
              );
            });
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return wrap(client);
}

/**
 * The client, counting in `pool` each statement it runs (from the first `then`, when postgres.js sends a
 * lazy query, to its answer) and each transaction (`begin` to its end). Statements inside a transaction
 * run on its connection and are not counted again.
 */
function countedPool(client: postgres.Sql, pool: PoolCounter): postgres.Sql {
  const counted = <Q extends PromiseLike<unknown>>(query: Q): Q => {
    const then = query.then.bind(query);
    let tracked: Promise<unknown> | null = null;
    // Configurable: statement spans (statement-spans.ts) wrap this `then` in turn.
    Object.defineProperty(query, 'then', {
      configurable: true,
      value: (onOk?: (v: unknown) => unknown, onFail?: (e: unknown) => unknown) => (tracked ??= pool.track(() => ({ then }))).then(onOk, onFail),
    });
    return query;
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') return (...args: Parameters<postgres.Sql['unsafe']>) => counted(target.unsafe(...args));
      if (prop === 'begin') return (...args: unknown[]) => pool.track(() => (target.begin as (...a: unknown[]) => Promise<unknown>)(...args));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Runs a raw statement and returns its rows (postgres.js returns an array, PGlite `{ rows }`). */
export async function selectRows<T>(db: Pick<Db, 'execute'>, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

const dialect = new PgDialect();

/**
 * `selectRows` as a prepared statement: on Postgres each connection parses a text once and, after five
 * runs, keeps a generic plan when it costs no more than planning anew (postgres.js names the statement by
 * its text). For statements built from few shapes whose values are all parameters, where planning costs
 * more than running (person search at 1,000,000 persons: 0.8 ms of planning for 0.1 ms of execution).
 * PGlite runs it as `selectRows` does.
 */
export async function selectPreparedRows<T>(db: Db, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, 'prepared', false).execute());
}

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
