import type { CallerIdentity } from '../../kernel/caller.js';
import { bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Postgres `bytea` as a Node Buffer (postgres.js and PGlite both hand one back). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * The gateway's delivery tables (README "Delivery"): base extracts and notification files it produces by
 * reading through its own pipeline as their owner, so masking and audit apply as to any read. They hold
 * what the gateway made, never a subgraph's rows; `ownerClient` is the client that may fetch them.
 */

/** What a job or a file series runs as: the identity of the token that asked, never the token itself. */
type StoredIdentity = CallerIdentity;

/** Bytes of an extract's output or a notification file's part, in order, in rows of at most 1 MB. */
export const deliveryChunks = pgTable(
  'delivery_chunks',
  {
    blobId: uuid('blob_id').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.blobId, t.seq] })],
);

/** A base extract (grunduttag / statusudtræk): criteria, progress, and where its output is. */
export const extractJobs = pgTable(
  'extract_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerClient: text('owner_client').notNull(),
    owner: jsonb('owner').$type<StoredIdentity>().notNull(),
    criteria: jsonb('criteria').$type<Record<string, unknown>>().notNull(),
    format: text('format', { enum: ['ndjson', 'csv', 'cpr'] }).notNull(),
    status: text('status', { enum: ['QUEUED', 'RUNNING', 'DONE', 'CANCELLED', 'FAILED'] })
      .notNull()
      .default('QUEUED'),
    /** Persons written so far, and how many the criteria found when the job started (null until counted). */
    persons: integer('persons').notNull().default(0),
    /** Persons the search gave so far (`persons` is fewer when `lifeStatus` leaves some out); progress is `scanned` of `total`. */
    scanned: integer('scanned').notNull().default(0),
    total: integer('total'),
    /** The register's date the job counts ages on (its creation day). */
    day: text('day').notNull(),
    /** The `searchPersons` cursor after the last page written: a job taken over resumes after it. */
    cursor: text('cursor'),
    /** The output's chunks (`delivery_chunks.blob_id`), the next chunk's number and the bytes so far. */
    blobId: uuid('blob_id').notNull().defaultRandom(),
    chunks: integer('chunks').notNull().default(0),
    bytes: integer('bytes').notNull().default(0),
    /** Records written so far (lines; for the CPR layout every record, start and end included). */
    records: integer('records').notNull().default(0),
    /** SHA-256 of the output, once done. */
    sha256: text('sha256'),
    /** CPR layout only: the values fitted to CPR's field widths so far (persons, fields; never values). */
    valuesAdjusted: jsonb('values_adjusted').$type<ValuesAdjusted>(),
    /** Which gateway works on it, until when: another takes over after that. */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    error: jsonb('error').$type<{ code: string; reason?: string; message: string }>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('extract_jobs_owner_idx').on(t.ownerClient, t.createdAt), index('extract_jobs_status_idx').on(t.status)],
);

/**
 * A durable subscription's series of notification files: its schedule, where its last file ended, and
 * the lease of the one gateway producing its next file (so replicas never produce one file twice).
 */
export const notificationFileSeries = pgTable('notification_file_series', {
  /** The durable subscription (the subscription subgraph's id; no foreign key across domains). */
  subscriptionId: uuid('subscription_id').primaryKey(),
  ownerClient: text('owner_client').notNull(),
  owner: jsonb('owner').$type<StoredIdentity>().notNull(),
  /** Cron expression (croner) and its time zone; null: on demand only. */
  cron: text('cron'),
  timeZone: text('time_zone').notNull().default('Europe/Copenhagen'),
  /** The next scheduled production, and the last one produced (a slot is produced once). */
  nextRunAt: timestamp('next_run_at', { withTimezone: true, mode: 'date' }),
  lastSlot: timestamp('last_slot', { withTimezone: true, mode: 'date' }),
  /** The `changeEvents` cursor the last file ended at (null: none yet, start where the subscription's pull starts). */
  lastCursor: text('last_cursor'),
  lastProducedAt: timestamp('last_produced_at', { withTimezone: true, mode: 'date' }),
  sequence: integer('sequence').notNull().default(0),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Values a CPR-layout output had to fit to CPR's field widths: persons, and counts by `<record>.<field>`. */
export interface ValuesAdjusted {
  persons: number;
  fields: Record<string, { abbreviated: number; cut: number; replaced: number }>;
}

/** One part of a notification file: its bytes' blob, size, record count and checksum. */
export interface FilePart {
  name: string;
  mediaType: string;
  blobId: string;
  chunks: number;
  bytes: number;
  sha256: string;
  persons: number;
  events: number;
  records: number;
  /** The CPR part: values fitted to CPR's field widths (absent in files made before it was reported). */
  valuesAdjusted?: ValuesAdjusted;
}

/** A notification file (CPR Abonnement / Navet style delta) of one subscription. */
export const notificationFiles = pgTable(
  'notification_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriptionId: uuid('subscription_id').notNull(),
    ownerClient: text('owner_client').notNull(),
    sequence: integer('sequence').notNull(),
    trigger: text('trigger', { enum: ['SCHEDULE', 'REQUEST'] }).notNull(),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true, mode: 'date' }),
    fromCursor: text('from_cursor'),
    toCursor: text('to_cursor'),
    producedAt: timestamp('produced_at', { withTimezone: true, mode: 'date' }).notNull(),
    previousProducedAt: timestamp('previous_produced_at', { withTimezone: true, mode: 'date' }),
    /** What it holds: events read, persons per register, events left out (no person, no CPR code). */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    parts: jsonb('parts').$type<FilePart[]>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('notification_files_sequence_idx').on(t.subscriptionId, t.sequence),
    index('notification_files_owner_idx').on(t.ownerClient, t.producedAt),
  ],
);

/** Every fetch of a file or an extract's output (who, what, when): the delivery's own audit trail. */
export const deliveryFetches = pgTable(
  'delivery_fetches',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    subject: text('subject').notNull(),
    client: text('client'),
    purpose: text('purpose'),
    /** `file` or `extract`, its id, and which part (`cpr`, `se`, `metadata`, `data`). */
    kind: text('kind', { enum: ['file', 'extract'] }).notNull(),
    itemId: uuid('item_id').notNull(),
    part: text('part').notNull(),
  },
  (t) => [index('delivery_fetches_item_idx').on(t.itemId, t.at)],
);
