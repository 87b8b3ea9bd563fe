/**
 * `npm run seed -- --persons N --seed S`: writes a synthetic population into the database named by
 * the environment (DATABASE_URL, or the embedded PGlite database in DATA_DIR), after applying
 * migrations. Refuses a database that already has persons. Exits 0 on success, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { databaseOptionsOf, openDatabase, type Database } from '../client.js';
import { loadConfig } from '../../kernel/config.js';
import { countPersons, seedPopulation } from './index.js';
import { resolve } from 'node:path';

const USAGE = 'Usage: npm run seed -- --persons N [--seed S]   (DATABASE_URL, or DATA_DIR for the embedded database)';

function positiveInteger(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${value ?? 'nothing'}`);
  return n;
}

class UsageError extends Error {}

async function main(): Promise<void> {
  let values: { persons?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { persons: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const persons = positiveInteger('persons', values.persons);
  const seed = positiveInteger('seed', values.seed, 1);

  const options = databaseOptionsOf(loadConfig('tool').database);
  const where = options.url ? 'DATABASE_URL' : `embedded database in ${resolve(options.dataDir ?? './.data')}`;
  let database: Database | undefined;
  try {
    // Bulk inserts of a large population may outlast the serving statement timeout.
    database = await openDatabase({ ...options, timeouts: { ...options.timeouts, statementTimeoutMs: 0 } });
    await database.migrate();
    const existing = await countPersons(database.db);
    if (existing > 0) {
      console.error(`Refusing to seed: the ${where} already has ${existing} persons. Seed an empty database (drop it, or point DATA_DIR at a new folder).`);
      process.exitCode = 1;
      return;
    }
    console.log(`Seeding ${persons.toLocaleString('en')} persons (seed ${seed}) into the ${where} …`);
    let lastReport = 0;
    const summary = await seedPopulation(database.db, {
      persons,
      seed,
      onProgress(done, total) {
        const now = performance.now();
        if (now - lastReport > 2_000 || done === total) {
          lastReport = now;
          process.stdout.write(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')}\n`);
        }
      },
    });
    const seconds = summary.milliseconds / 1000;
    const rate = seconds > 0 ? Math.round(summary.persons / seconds) : summary.persons;
    console.log(`Seeded ${summary.persons.toLocaleString('en')} persons in ${seconds.toFixed(1)} s: ${rate.toLocaleString('en')} persons/s.`);
    for (const [table, n] of Object.entries(summary.rows)) console.log(`  ${table.padEnd(24)} ${n.toLocaleString('en').padStart(12)}`);
    console.log(`  protected persons        ${summary.protectedPersons.toLocaleString('en').padStart(12)}`);
  } finally {
    await database?.close();
  }
}

try {
  await main();
} catch (err) {
  console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : `Seeding failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
