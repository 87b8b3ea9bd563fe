/**
 * Base extracts (grunduttag / statusudtræk): a job per request, run by whichever gateway takes its lease,
 * one `searchPersons` page at a time through the pipeline as the job's owner — so every person is masked
 * and every release audited exactly as in the owner's own query — each page written as one chunk in the
 * same transaction as the job's progress. Nothing of the population is held in memory beyond one page; a
 * gateway that stops mid-job leaves its lease to run out and another continues after the last page.
 */
import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';

import { extractJobs, deliveryChunks } from '../../db/schema/files.js';
import { componentLog, errorFields } from '../../kernel/log.js';
import { chunkRow, deleteBlobs, hashOfBlob } from './blobs.js';
import { failureOf, failures, sleep, type DeliveryContext } from './context.js';
import { searchFilter, type ExtractCriteria, type ExtractFormat } from './criteria.js';
import { csvLine, csvRow, CSV_COLUMNS, PERSON_FIELDS, personRecord, withheldUnder, type DeliveredPerson, type PersonRecord } from './records.js';
import { cprExtractWriter, type CprSectionWriter } from './cpr-records.js';

const log = componentLog('delivery');

/** Persons per page: `searchPersons`' largest page. @default 100 */
export const EXTRACT_PAGE = 100;

/** Attempts of one page before the job fails (a subgraph down for longer than that). @default 4 */
const PAGE_ATTEMPTS = 4;

export type ExtractJob = typeof extractJobs.$inferSelect;

const PAGE_QUERY = /* GraphQL */ `
  query DeliveryExtractPage($filter: PersonSearchFilter!, $after: String, $first: Int!, $count: Boolean!) {
    searchPersons(filter: $filter, first: $first, after: $after) {
      totalCount @include(if: $count)
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...DeliveryPerson
        }
      }
    }
  }
  ${PERSON_FIELDS}
`;

/** The job as `GET /extracts/{id}` shows it. */
export function extractStatus(job: ExtractJob) {
  const percent = job.status === 'DONE' ? 100 : job.total ? Math.min(99.9, Math.floor((job.scanned / job.total) * 1000) / 10) : job.total === 0 ? 99.9 : 0;
  return {
    id: job.id,
    status: job.status,
    format: job.format,
    criteria: job.criteria,
    persons: job.persons,
    scanned: job.scanned,
    total: job.total,
    percent,
    bytes: job.bytes,
    sha256: job.sha256,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    expiresAt: job.expiresAt.toISOString(),
    links: { self: `/extracts/${job.id}`, data: `/extracts/${job.id}/data`, cancel: `/extracts/${job.id}/cancel` },
  };
}

/** Takes the oldest job no live gateway is working on (queued, or its lease run out), or none. */
export async function claimExtract(ctx: DeliveryContext): Promise<ExtractJob | null> {
  const free = sql`(select id from extract_jobs where not cancel_requested
    and (status = 'QUEUED' or (status = 'RUNNING' and lease_until < now())) order by created_at limit 1 for update skip locked)`;
  const [job] = await ctx.db
    .update(extractJobs)
    .set({
      status: 'RUNNING',
      leaseOwner: ctx.instance,
      leaseUntil: sql`now() + ${`${ctx.leaseMs} milliseconds`}::interval`,
      startedAt: sql`coalesce(${extractJobs.startedAt}, now())`,
    })
    .where(eq(extractJobs.id, free))
    .returning();
  return job ?? null;
}

/** Cancelled jobs whose gateway went away mid-page: nothing of them is kept. */
export async function finishAbandonedCancels(ctx: DeliveryContext): Promise<void> {
  const rows = await ctx.db
    .update(extractJobs)
    .set({ status: 'CANCELLED', finishedAt: new Date(), leaseOwner: null, leaseUntil: null })
    .where(and(eq(extractJobs.cancelRequested, true), eq(extractJobs.status, 'RUNNING'), lt(extractJobs.leaseUntil, new Date())))
    .returning({ blobId: extractJobs.blobId });
  await deleteBlobs(
    ctx.db,
    rows.map((r) => r.blobId),
  );
}

/** Runs a claimed job to its end (done, cancelled, failed) or until `stopping()` (the lease is then given back). */
export async function runExtract(ctx: DeliveryContext, claimed: ExtractJob, stopping: () => boolean): Promise<void> {
  let job = claimed;
  const caller = ctx.callerOf(job.owner);
  const criteria = job.criteria as ExtractCriteria;
  const filter = searchFilter(criteria, job.day);
  const statuses = criteria.lifeStatus ? new Set(criteria.lifeStatus) : null;
  const hash = job.chunks > 0 ? await hashOfBlob(ctx.db, job.blobId) : createHash('sha256');
  const cpr = job.format === 'cpr' ? cprExtractWriter(job.createdAt) : null;
  let attempt = 0;
  // Counted once, with the first page read; a count that fails (too slow) leaves the percent unknown, nothing else.
  let count = job.total === null;
  for (;;) {
    if (stopping()) {
      await ctx.db
        .update(extractJobs)
        .set({ leaseUntil: new Date(0) })
        .where(and(eq(extractJobs.id, job.id), eq(extractJobs.leaseOwner, ctx.instance)));
      return;
    }
    const [now] = await ctx.db.select({ cancel: extractJobs.cancelRequested }).from(extractJobs).where(eq(extractJobs.id, job.id));
    if (!now || now.cancel) return void (await cancelNow(ctx, job));

    const result = await ctx.run(PAGE_QUERY, { filter, after: job.cursor, first: EXTRACT_PAGE, count }, caller, 'DeliveryExtractPage');
    const page = result.data?.searchPersons as
      { totalCount?: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: DeliveredPerson }[] } | undefined;
    const failed = failures(result).filter((e) => e.path?.at(-1) !== 'totalCount');
    if (!page || failed.length) {
      attempt++;
      const fault = failureOf(failed[0]);
      // A refusal (scopes taken away, criteria the search refuses) will not change on retry.
      if (attempt >= PAGE_ATTEMPTS || ['FORBIDDEN', 'BAD_USER_INPUT', 'UNAUTHENTICATED'].includes(fault.code)) return void (await fail(ctx, job, fault));
      await sleep(500 * 2 ** attempt);
      continue;
    }
    attempt = 0;
    count = false;
    const records: PersonRecord[] = [];
    page.edges.forEach((edge, i) => {
      const person = edge.node;
      // A status hidden from the owner is null here: it never matches, as a search never matches a hidden value.
      if (statuses && !(person.status && statuses.has(person.status))) return;
      records.push(personRecord(person, withheldUnder(result.errors, ['searchPersons', 'edges', i, 'node'])));
    });
    const last = !page.pageInfo.hasNextPage;
    const { bytes, records: written } = encode(job.format, records, job.chunks === 0, last, job.records, cpr);
    const updated = await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .update(extractJobs)
        .set({
          cursor: page.pageInfo.endCursor ?? job.cursor,
          persons: job.persons + records.length,
          records: job.records + written,
          scanned: job.scanned + page.edges.length,
          total: job.total ?? page.totalCount ?? null,
          chunks: job.chunks + 1,
          bytes: job.bytes + bytes.length,
          leaseUntil: sql`now() + ${`${ctx.leaseMs} milliseconds`}::interval`,
        })
        .where(and(eq(extractJobs.id, job.id), eq(extractJobs.leaseOwner, ctx.instance), eq(extractJobs.status, 'RUNNING')))
        .returning();
      // Lost the lease (another gateway took over after it ran out): write nothing.
      if (!row) return null;
      await tx.insert(deliveryChunks).values(chunkRow(job.blobId, job.chunks, bytes));
      return row;
    });
    if (!updated) return;
    hash.update(bytes);
    job = updated;
    if (last) {
      await ctx.db
        .update(extractJobs)
        .set({ status: 'DONE', sha256: hash.digest('hex'), finishedAt: new Date(), leaseOwner: null, leaseUntil: null })
        .where(and(eq(extractJobs.id, job.id), eq(extractJobs.leaseOwner, ctx.instance)));
      return;
    }
  }
}

/** One page's bytes in the job's format, with the file's head before the first page and its tail after the last. */
function encode(
  format: ExtractFormat,
  records: PersonRecord[],
  first: boolean,
  last: boolean,
  recordsBefore: number,
  cpr: CprSectionWriter | null,
): { bytes: Buffer; records: number } {
  if (format === 'ndjson') return { bytes: Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8'), records: records.length };
  if (format === 'csv') return { bytes: Buffer.from((first ? csvLine(CSV_COLUMNS) : '') + records.map(csvRow).join(''), 'utf8'), records: records.length };
  return cpr!.section(records, { first, last, recordsBefore });
}

async function cancelNow(ctx: DeliveryContext, job: ExtractJob): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.update(extractJobs).set({ status: 'CANCELLED', finishedAt: new Date(), leaseOwner: null, leaseUntil: null }).where(eq(extractJobs.id, job.id));
    await deleteBlobs(tx, [job.blobId]);
  });
}

async function fail(ctx: DeliveryContext, job: ExtractJob, error: ReturnType<typeof failureOf>): Promise<void> {
  log.warn({ job: job.id, code: error.code, reason: error.reason }, 'extract failed');
  await ctx.db.transaction(async (tx) => {
    await tx.update(extractJobs).set({ status: 'FAILED', error, finishedAt: new Date(), leaseOwner: null, leaseUntil: null }).where(eq(extractJobs.id, job.id));
    await deleteBlobs(tx, [job.blobId]);
  });
}

/** Logs a job that threw (a database fault): its lease runs out and a gateway takes it over. */
export function jobCrashed(job: ExtractJob, err: unknown): void {
  log.error({ job: job.id, err: errorFields(err) }, 'extract job stopped by an error; its lease will run out and it resumes');
}
