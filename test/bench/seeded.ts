/**
 * The benchmark's seeded population, paid for once. Seeding 1,000,000 persons takes about a quarter of an
 * hour on the shared two-core machine (≈1,100 persons/s while other helpers run), so a full run never
 * seeds twice for the same population:
 *
 * - Postgres: one template database per persons, seed and `SEED_VERSION` on the server of DATABASE_URL,
 *   `folkreg_bench_<persons>_s<seed>_v<version>`. It is seeded under the name `…_building` and renamed only
 *   when the seed has committed, so a run killed mid-seed leaves nothing that looks complete. Each run
 *   migrates the template (a migration added since is applied once, not per run) and measures a copy of
 *   its own (`CREATE DATABASE … TEMPLATE`, `folkreg_bench_run_<pid>`, dropped at the end): every run starts
 *   from the same rows, whatever the run before wrote (events, contact updates).
 * - Embedded: one PGlite data directory per persons, seed and version under `--data-dir`, seeded as
 *   `…-building` and renamed when done; reused in place (copying a 1M-person data directory costs more
 *   than what a run writes into it).
 *
 * An advisory lock on the server keeps two runs (helpers share one Postgres) from seeding the same template
 * at once or copying it while the other migrates it.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../db/client.js';
import { countPersons, seedPopulation, SEED_VERSION } from '../../db/seed/index.js';
import { withDatabase } from '../support/global-setup.js';

export interface SeededOptions {
  /** Postgres server (its database only names where to connect); embedded when absent. */
  url: string | undefined;
  /** Parent folder of the embedded data directories. */
  dataDir: string;
  persons: number;
  seed: number;
  log(message: string): void;
}

export interface SeededDatabase {
  database: Database;
  /** The run's own copy on Postgres (what the subgraph processes connect to), undefined when embedded. */
  url: string | undefined;
  /** Closes the database and drops the run's copy (once; later calls wait for the first). */
  dispose(): Promise<void>;
}

/** Name of the seeded population (database name on Postgres, folder name when embedded). */
export function populationKey(persons: number, seed: number): string {
  return `folkreg_bench_${persons}_s${seed}_v${SEED_VERSION}`;
}

export async function seededDatabase(options: SeededOptions): Promise<SeededDatabase> {
  return options.url ? onPostgres(options.url, options) : embedded(options);
}

async function onPostgres(serverUrl: string, options: SeededOptions): Promise<SeededDatabase> {
  const { persons, seed, log } = options;
  const template = populationKey(persons, seed);
  const building = `${template}_building`;
  const copy = `folkreg_bench_run_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const exists = async (name: string) => (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
  // One session holds the lock: a second run waits here until the first has its copy.
  const [lock] = await admin`select hashtext(${template})::bigint as key`;
  await admin`select pg_advisory_lock(${lock!.key})`;
  try {
    if (!(await exists(template))) {
      await admin.unsafe(`drop database if exists ${building} with (force)`);
      await admin.unsafe(`create database ${building}`);
      const database = await openDatabase({ url: withDatabase(serverUrl, building), maxConnections: 4, timeouts: { statementTimeoutMs: 0 } });
      try {
        await database.migrate();
        log(`seeding ${persons.toLocaleString('en')} persons into ${template} (once; later runs copy it)`);
        await seedPopulation(database.db, { persons, seed });
        // VACUUM sets the visibility map a long-running database's autovacuum would have (index-only
        // scans then skip the table), and ANALYZE the statistics; both go with every copy. 10 s at 1M.
        await database.db.execute(sql`vacuum (analyze)`);
      } finally {
        await database.close();
      }
      await admin.unsafe(`alter database ${building} rename to ${template}`);
    } else {
      // Migrations added since the template was seeded (an index, say) are built once, in the template.
      const database = await openDatabase({ url: withDatabase(serverUrl, template), maxConnections: 2, timeouts: { statementTimeoutMs: 0 } });
      try {
        await database.migrate();
        // A migration that rebuilt a table leaves its visibility map unset (index-only scans would visit
        // the table): what autovacuum does in a running database, once, in the template. Seconds when
        // nothing changed.
        await database.db.execute(sql`vacuum (analyze)`);
      } finally {
        await database.close();
      }
    }
    await admin.unsafe(`drop database if exists ${copy} with (force)`);
    const started = performance.now();
    // FILE_COPY (Postgres 15+) copies the files after one checkpoint; WAL_LOG, the default, logs every
    // block of a database of several GB.
    const [{ server_version_num: version } = { server_version_num: '0' }] = await admin<{ server_version_num: string }[]>`show server_version_num`;
    await admin.unsafe(`create database ${copy} template ${template}${Number(version) >= 150000 ? ' strategy file_copy' : ''}`);
    log(`copied ${template} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await admin`select pg_advisory_unlock(${lock!.key})`;
  }
  const url = withDatabase(serverUrl, copy);
  const database = await openDatabase({ url, maxConnections: 20, timeouts: { statementTimeoutMs: 0 } });
  const found = await countPersons(database.db);
  if (found !== persons) log(`${template} holds ${found.toLocaleString('en')} persons, not ${persons.toLocaleString('en')}`);
  let disposed: Promise<void> | undefined;
  return {
    database,
    url,
    // Once, whether the run ended or failed: the copy is several GB at 1,000,000 persons.
    dispose: () =>
      (disposed ??= (async () => {
        await database.close().catch(() => {});
        await admin.unsafe(`drop database if exists ${copy} with (force)`);
        await admin.end();
      })()),
  };
}

async function embedded(options: SeededOptions): Promise<SeededDatabase> {
  const { persons, seed, log } = options;
  const dir = resolve(options.dataDir, populationKey(persons, seed));
  if (!existsSync(dir)) {
    const building = `${dir}-building`;
    rmSync(building, { recursive: true, force: true });
    const database = await openDatabase({ dataDir: building });
    try {
      await database.migrate();
      log(`seeding ${persons.toLocaleString('en')} persons into ${join(options.dataDir, populationKey(persons, seed))} (once; later runs reuse it)`);
      await seedPopulation(database.db, { persons, seed });
      await database.db.execute(sql`vacuum (analyze)`);
    } finally {
      await database.close();
    }
    renameSync(building, dir);
  }
  const database = await openDatabase({ dataDir: dir });
  await database.migrate();
  return { database, url: undefined, dispose: closeOnce(database) };
}

/** `dispose` of a database that has nothing to drop: closes it once. */
export function closeOnce(database: Database): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () => (closed ??= database.close());
}
