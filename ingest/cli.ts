/**
 * `npm run ingest -- --format cpr|ndjson [--force] [--json] FILE…`: ingests CPR change extracts, or NDJSON
 * change imports of Swedish persons (ingest/ndjson.ts), into the database
 * named by the environment (DATABASE_URL, or the embedded PGlite database in DATA_DIR, which only one
 * process can hold: stop `npm start` first, or use `POST /ingest/cpr` on the running gateway). Files are
 * read in the order given. Prints each file's report (README "Keeping the register current"); exits 0
 * when every file was accepted and no person refused, 2 when persons were refused, 1 when a file was
 * refused or the ingest failed.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseOptionsOf, openDatabase, type Database } from '../db/client.js';
import { loadConfig } from '../kernel/config.js';
import { totals } from '../kernel/cost-counters.js';
import type { CprByteSource } from '../kernel/cpr/index.js';
import { ingestCpr } from './cpr.js';
import { ingestNdjson } from './ndjson.js';
import { formatReport, type IngestReport } from './report.js';

const USAGE = 'Usage: npm run ingest -- --format cpr|ndjson [--force] [--json] FILE…   (DATABASE_URL, or DATA_DIR for the embedded database)';

class UsageError extends Error {}

/**
 * A file read at offsets as the ingest asks (CPR: the index pass, then each person's records; NDJSON: two
 * passes line by line): the file is never held whole, so the memory stays the index's (measured in README
 * "Ingesting CPR change extracts" and "The NDJSON change import").
 */
function fileSource(fd: number): CprByteSource {
  return {
    byteLength: fstatSync(fd).size,
    read(start, end) {
      const buffer = Buffer.allocUnsafe(end - start);
      let got = 0;
      while (got < buffer.length) {
        const n = readSync(fd, buffer, got, buffer.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      return buffer.subarray(0, got);
    },
  };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      allowPositionals: true,
      strict: true,
      options: { format: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  }
  try {
    parsed = parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.format !== 'cpr' && values.format !== 'ndjson') throw new UsageError(`--format must be cpr or ndjson, got ${values.format ?? 'nothing'}`);
  if (values.format === 'ndjson' && values.force) throw new UsageError('--force is for CPR extracts (their production-date chain).');
  if (positionals.length === 0) throw new UsageError('Name at least one file.');
  const options = databaseOptionsOf(loadConfig('tool').database);
  let database: Database | undefined;
  const reports: (IngestReport & { file: string })[] = [];
  try {
    database = await openDatabase(options);
    await database.migrate();
    for (const file of positionals) {
      const fd = openSync(resolve(file), 'r');
      const started = performance.now();
      const statements = totals.sqlStatements;
      let report: IngestReport;
      try {
        // Either file is read at offsets, chunk by chunk, never whole (README "Ingesting CPR change extracts",
        // "The NDJSON change import").
        const source = fileSource(fd);
        report = values.format === 'cpr' ? await ingestCpr(database.db, source, { force: values.force }) : await ingestNdjson(database.db, source);
      } finally {
        closeSync(fd);
      }
      const seconds = (performance.now() - started) / 1000;
      const sql = totals.sqlStatements - statements;
      reports.push({ file, ...report });
      if (!values.json) {
        console.log(formatReport(report, file));
        const s = report.summary;
        const persons = s.personsCreated + s.personsUpdated + s.personsUnchanged + s.personsRefused;
        const rate = seconds > 0 ? Math.round(persons / seconds) : persons;
        const perPerson = persons > 0 ? ` (${(sql / persons).toFixed(1)} per person)` : '';
        console.log(`  ${persons} persons in ${seconds.toFixed(1)} s (${rate} persons/s); ${sql} SQL statements${perPerson}`);
      }
    }
  } finally {
    await database?.close();
  }
  if (values.json) console.log(JSON.stringify(reports, null, 2));
  if (reports.some((r) => !r.accepted)) process.exitCode = 1;
  else if (reports.some((r) => r.summary.personsRefused > 0)) process.exitCode = 2;
}

try {
  await main();
} catch (err) {
  console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : `Ingest failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
