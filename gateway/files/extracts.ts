/**
 * Base extracts (grunduttag / statusudtræk): a job per request, run by whichever gateway takes its lease,
 * one `searchPersons` page at a time through the pipeline as the job's owner — so every person is masked
 * and every release audited exactly as in the owner's own query — each page written as one chunk in the
 * same statement as the job's progress. Nothing of the population is held in memory beyond one page; a
 * gateway that stops mid-job leaves its lease to run out and another continues after the last page.
 */
import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';

import type { FormattedExecutionResult } from 'graphql';
import { selectRows } from '../../db/client.js';
import { extractJobs, type ValuesAdjusted } from '../../db/schema/files.js';
import { componentLog, errorFields } from '../../kernel/log.js';
import { deleteBlobs, hashOfBlob } from './blobs.js';
import { failureOf, failures, sleep, type DeliveryContext } from './context.js';
import { searchFilter, type ExtractCriteria, type ExtractFormat } from './criteria.js';
import { csvLine, csvRow, CSV_COLUMNS, PERSON_FIELDS, personRecord, withheldUnder, type DeliveredPerson, type PersonRecord } from './records.js';
import { addAdjustments, cprExtractWriter, noAdjustments, type CprSectionWriter } from './cpr-records.js';

const log = componentLog('delivery');

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
    // The CPR layout's fixed widths: values fitted to them so far (persons, fields; never values).
    ...(job.format === 'cpr' ? { valuesAdjusted: job.valuesAdjusted ?? noAdjustments() } : {}),
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

/** One page as the pipeline answers it (null: the read failed, with its first fault). */
interface PageRead {
  page: SearchPage | null;
  fault: ReturnType<typeof failureOf>;
  errors: FormattedExecutionResult['errors'];
}

type SearchPage = { totalCount?: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: DeliveredPerson }[] };

/**
 * Runs a claimed job to its end (done, cancelled, failed) or until `stopping()` (the lease is then given back).
 *
 * The next page is read while this one is encoded and written (its cursor is known as soon as this page
 * is read), so the write costs the walk no time. Progress is still only what was written: a stop, a crash
 * or a lost lease between the two leaves the job at the last page stored, and whoever continues reads
 * the page after it again (its releases are then audited twice — never less than once).
 */
export async function runExtract(ctx: DeliveryContext, claimed: ExtractJob, stopping: () => boolean): Promise<void> {
  let job = claimed;
  const caller = ctx.callerOf(job.owner);
  const criteria = job.criteria as ExtractCriteria;
  const filter = searchFilter(criteria, job.day);
  const statuses = criteria.lifeStatus ? new Set(criteria.lifeStatus) : null;
  const hash = job.chunks > 0 ? await hashOfBlob(ctx.db, job.blobId) : createHash('sha256');
  const cpr = job.format === 'cpr' ? cprExtractWriter(job.createdAt) : null;
  const read = async (after: string | null, count: boolean): Promise<PageRead> => {
    const result = await ctx.run(PAGE_QUERY, { filter, after, first: ctx.extractPage, count }, caller, 'DeliveryExtractPage');
    const failed = failures(result).filter((e) => e.path?.at(-1) !== 'totalCount');
    const page = (result.data?.searchPersons as SearchPage | undefined) ?? null;
    return { page: failed.length ? null : page, fault: failureOf(failed[0]), errors: result.errors };
  };
  // A read that fails (a subgraph down) is a fault to retry, never a crash of the job.
  const reading = (after: string | null, count: boolean) =>
    read(after, count).catch((err: unknown): PageRead => ({ page: null, fault: failureOf(undefined), errors: [{ message: String(err) }] }));
  // Counted once, with the first page read; a count that fails (too slow) leaves the percent unknown, nothing else.
  let next = reading(job.cursor, job.total === null);
  let attempt = 0;
  const giveBack = async () => {
    await next; // the read ahead ends before the gateway's pipeline may close
    await ctx.db
      .update(extractJobs)
      .set({ leaseUntil: new Date(0) })
      .where(and(eq(extractJobs.id, job.id), eq(extractJobs.leaseOwner, ctx.instance)));
  };
  for (;;) {
    if (stopping()) return giveBack();
    const got = await next;
    if (!got.page) {
      attempt++;
      // A refusal (scopes taken away, criteria the search refuses) will not change on retry.
      if (attempt >= PAGE_ATTEMPTS || ['FORBIDDEN', 'BAD_USER_INPUT', 'UNAUTHENTICATED'].includes(got.fault.code))
        return void (await fail(ctx, job, got.fault));
      await sleep(500 * 2 ** attempt);
      next = reading(job.cursor, job.total === null);
      continue;
    }
    attempt = 0;
    const page = got.page;
    const last = !page.pageInfo.hasNextPage;
    if (!last) next = reading(page.pageInfo.endCursor, false);
    const records: PersonRecord[] = [];
    page.edges.forEach((edge, i) => {
      const person = edge.node;
      // A status hidden from the owner is null here: it never matches, as a search never matches a hidden value.
      if (statuses && !(person.status && statuses.has(person.status))) return;
      records.push(personRecord(person, withheldUnder(got.errors, ['searchPersons', 'edges', i, 'node'])));
    });
    const { bytes, records: written, valuesAdjusted } = encode(job.format, records, job.chunks === 0, last, job.records, cpr);
    const progress = {
      cursor: page.pageInfo.endCursor ?? job.cursor,
      persons: job.persons + records.length,
      records: job.records + written,
      scanned: job.scanned + page.edges.length,
      total: job.total ?? page.totalCount ?? null,
      chunks: job.chunks + 1,
      bytes: job.bytes + bytes.length,
      valuesAdjusted: valuesAdjusted ? addAdjustments(job.valuesAdjusted ?? noAdjustments(), valuesAdjusted) : null,
    };
    if (!(await storePage(ctx, job, progress, bytes))) {
      if (!last) await next.catch(() => undefined);
      const [now] = await ctx.db
        .select({ cancel: extractJobs.cancelRequested, owner: extractJobs.leaseOwner })
        .from(extractJobs)
        .where(eq(extractJobs.id, job.id));
      // Cancelled while it ran: nothing of it is kept. Else the lease was lost (another gateway took over after it ran out).
      if (now?.cancel && now.owner === ctx.instance) await cancelNow(ctx, job);
      return;
    }
    hash.update(bytes);
    job = { ...job, ...progress };
    if (last) {
      await ctx.db
        .update(extractJobs)
        .set({ status: 'DONE', sha256: hash.digest('hex'), finishedAt: new Date(), leaseOwner: null, leaseUntil: null })
        .where(and(eq(extractJobs.id, job.id), eq(extractJobs.leaseOwner, ctx.instance)));
      return;
    }
  }
}

/**
 * One statement stores a page: the job's progress (and its renewed lease) and the page's chunk, only while
 * the job is still this gateway's, running and not cancelled — a data-modifying CTE, so both or neither
 * are written, with one round trip instead of a transaction's four. False when nothing was written.
 */
async function storePage(
  ctx: DeliveryContext,
  job: ExtractJob,
  p: Pick<ExtractJob, 'cursor' | 'persons' | 'records' | 'scanned' | 'total' | 'chunks' | 'bytes' | 'valuesAdjusted'>,
  bytes: Buffer,
): Promise<boolean> {
  const rows = await selectRows<{ id: string }>(
    ctx.db,
    sql`with moved as (
      update extract_jobs set cursor = ${p.cursor}, persons = ${p.persons}, records = ${p.records}, scanned = ${p.scanned},
        total = ${p.total}::int, chunks = ${p.chunks}, bytes = ${p.bytes}, values_adjusted = ${p.valuesAdjusted ? JSON.stringify(p.valuesAdjusted) : null}::jsonb,
        lease_until = now() + ${`${ctx.leaseMs} milliseconds`}::interval
      where id = ${job.id} and lease_owner = ${ctx.instance} and status = 'RUNNING' and not cancel_requested
      returning id, blob_id
    ), chunk as (
      insert into delivery_chunks (blob_id, seq, data) select blob_id, ${job.chunks}, ${bytes}::bytea from moved
    )
    select id from moved`,
  );
  return rows.length === 1;
}

/** One page's bytes in the job's format, with the file's head before the first page and its tail after the last. */
function encode(
  format: ExtractFormat,
  records: PersonRecord[],
  first: boolean,
  last: boolean,
  recordsBefore: number,
  cpr: CprSectionWriter | null,
): { bytes: Buffer; records: number; valuesAdjusted?: ValuesAdjusted } {
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
