import { bigint, bigserial, boolean, date, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The change extracts the ingest has applied (ingest/): per source and task (CPR OPGAVENR), every
 * production date read, so the next file's previous production date (PRODDTOFORRIG) can be checked against
 * the last one and a file read again is known as such.
 */
export const ingestedExtracts = pgTable(
  'ingested_extracts',
  {
    /** 'CPR' or 'NDJSON'. */
    source: text('source').notNull(),
    /** CPR OPGAVENR (the subscription task the file belongs to); the NDJSON file's `task`. */
    task: text('task').notNull(),
    productionDate: date('production_date', { mode: 'string' }).notNull(),
    previousProductionDate: date('previous_production_date', { mode: 'string' }),
    ingestedAt: timestamp('ingested_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The summary of the first ingest of this file (persons created, updated, unchanged, refused; events). */
    summary: jsonb('summary').notNull(),
  },
  (t) => [primaryKey({ name: 'ingested_extracts_pkey', columns: [t.source, t.task, t.productionDate] })],
);

/**
 * Every ingest run, accepted or refused: who ran it (the token's subject and client at `POST /ingest/cpr`;
 * `cli` and the operating-system user for `npm run ingest`), which file (its SHA-256 and size; no
 * content), what it said and what came of it. Written after the run, in a transaction of its own.
 */
export const ingestRuns = pgTable('ingest_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  subject: text('subject').notNull(),
  client: text('client'),
  format: text('format').notNull(),
  fileSha256: text('file_sha256').notNull(),
  fileBytes: bigint('file_bytes', { mode: 'number' }).notNull(),
  task: text('task'),
  productionDate: date('production_date', { mode: 'string' }),
  accepted: boolean('accepted').notNull(),
  forced: boolean('forced').notNull(),
  summary: jsonb('summary').notNull(),
});
