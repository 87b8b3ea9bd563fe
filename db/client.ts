import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { Logger, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { claimDataDir, DataDirError } from './data-dir.js';
import { countSqlStatement } from './metrics.js';
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
  close(): Promise<void>;
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
}

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

const countingLogger: Logger = { logQuery: () => countSqlStatement() };

/** Arbitrary constant naming folkreg's migration lock. */
const MIGRATION_LOCK_KEY = 0x0f01c8e6;

/** Opens the database named by the options (see DatabaseOptions). */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options.maxConnections ?? 10) : openPglite(options);
}

/** Options from the environment: DATABASE_URL, DATA_DIR, DATABASE_POOL_SIZE. */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  return {
    url: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || './.data',
    maxConnections: env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined,
  };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema, logger: countingLogger }) as unknown as Db;
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
    async migrate() {
      // Several processes may start at once against one server: let one migrate, the others wait.
      const lock = await client.reserve();
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder });
      } finally {
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        lock.release();
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
  const serial = serialised(client);
  const db = drizzlePglite(serial, { schema, logger: countingLogger }) as unknown as Db;
  // One backend: a NOTIFY of its own transactions reaches its own LISTEN at commit.
  const listen: Listen = (channel, onNotify) => serial.listen(channel, onNotify);
  listeners.set(db, listen);
  return {
    db,
    driver: 'pglite',
    listen,
    migrate: () => migratePglite(drizzlePglite(serial, { schema }), { migrationsFolder }),
    close: () => client.close(),
  };
}

/**
 * PGlite is one single-user backend. Statements issued concurrently (five subgraphs in one process)
 * interleave their protocol messages and fail ("invalid message format", parameters of another
 * statement), so every statement and transaction waits for the previous one to finish.
 */
function serialised(client: PGlite): PGlite {
  let tail: Promise<unknown> = Promise.resolve();
  const queue = <T>(run: () => Promise<T>): Promise<T> => {
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return next;
  };
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

/** Runs a raw statement and returns its rows (postgres.js returns an array, PGlite `{ rows }`). */
export async function selectRows<T>(db: Pick<Db, 'execute'>, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
