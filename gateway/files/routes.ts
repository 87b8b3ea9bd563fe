/**
 * The delivery routes, each answered for the authenticated caller only: a job or a file of another client
 * is `404 NOT_FOUND` exactly as one that does not exist (no oracle), and so is every path that is not a
 * route (`/files/../x`, an id that is no UUID). Every fetch of a file's part or an extract's output is
 * recorded in `delivery_fetches` before its first byte is sent.
 *
 *   POST /extracts                              {criteria, format} → 202, the job's status
 *   GET  /extracts                              your jobs, newest first
 *   GET  /extracts/{id}                         status: counts and percent
 *   POST /extracts/{id}/cancel                  stops it; its output is deleted
 *   GET  /extracts/{id}/data                    the output (409 NOT_READY until DONE)
 *   PUT  /files/subscriptions/{id}/schedule     {cron, timeZone} → the series
 *   DELETE /files/subscriptions/{id}/schedule   on demand only from now on
 *   POST /files/subscriptions/{id}              a file now → 201, its metadata
 *   GET  /files?subscriptionId=                 your files' metadata, newest first
 *   GET  /files/{id}                            the metadata file (counts, cursor range, checksums)
 *   GET  /files/{id}/{part}                     `cpr` (ISO-8859-1) or `se` (NDJSON)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, desc, eq, gt } from 'drizzle-orm';
import { deliveryFetches, extractJobs, notificationFiles } from '../../db/schema/files.js';
import type { Caller } from '../../kernel/caller.js';
import { conflict } from '../../kernel/errors.js';
import { isUuid, requireScope } from '../../kernel/validate.js';
import type { DeliveryContext } from './context.js';
import { identityOf, ownerOf } from '../../kernel/caller.js';
import { extractDay, readExtractRequest } from './criteria.js';
import { extractStatus } from './extracts.js';
import { answerError, jsonBody, notFoundHere, refuse, sendJson, streamBlob } from './http.js';
import { fileMetadata, PART_MEDIA_TYPES } from './notification-files.js';
import type { FileScheduler } from './schedule.js';

const MEDIA_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8', cpr: 'text/plain; charset=ISO-8859-1' } as const;
const EXTENSIONS = { ndjson: 'ndjson', csv: 'csv', cpr: 'txt' } as const;

/** Serves one authenticated request; refusals are answered here, anything else is the server's 500. */
export async function serveDelivery(
  ctx: DeliveryContext,
  scheduler: FileScheduler,
  kick: () => void,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  caller: Caller,
): Promise<void> {
  try {
    await route(ctx, scheduler, kick, req, res, path, caller);
  } catch (err) {
    if (!answerError(res, err)) throw err;
  }
}

async function route(...[ctx, scheduler, kick, req, res, path, caller]: Parameters<typeof serveDelivery>): Promise<void> {
  const method = req.method ?? 'GET';
  const steps = path.split('/').slice(1);
  const owner = ownerOf(caller);
  // Ids are UUIDs and parts a fixed list: anything else (dot segments, encoded slashes) is no route.
  const id = steps[1];
  if (id !== undefined && id !== 'subscriptions' && !isUuid(id)) throw notFoundHere();

  if (steps[0] === 'extracts') {
    requireScope(caller.scopes, 'person:read', "Extracts need the scopes 'person:read' and 'address:read'.");
    requireScope(caller.scopes, 'address:read', "Extracts need the scopes 'person:read' and 'address:read'.");
    if (steps.length === 1 && method === 'POST') {
      const request = readExtractRequest(await jsonBody(req));
      const expiresAt = new Date(Date.now() + ctx.retentionDays * 86_400_000);
      const [job] = await ctx.db
        .insert(extractJobs)
        .values({ ownerClient: owner, owner: identityOf(caller), criteria: { ...request.criteria }, format: request.format, day: extractDay(), expiresAt })
        .returning();
      kick();
      res.setHeader('location', `/extracts/${job!.id}`);
      return sendJson(res, 202, extractStatus(job!));
    }
    if (steps.length === 1 && method === 'GET') {
      const jobs = await ctx.db.select().from(extractJobs).where(eq(extractJobs.ownerClient, owner)).orderBy(desc(extractJobs.createdAt)).limit(100);
      return sendJson(res, 200, { extracts: jobs.filter((j) => j.expiresAt > new Date()).map(extractStatus) });
    }
    const job = await ownJob(ctx, id!, owner);
    if (steps.length === 2 && method === 'GET') return sendJson(res, 200, extractStatus(job));
    if (steps.length === 3 && steps[2] === 'cancel' && method === 'POST') {
      // A queued job ends at once; a running one at its next page (its gateway deletes what it wrote).
      const [queued] = await ctx.db
        .update(extractJobs)
        .set({ status: 'CANCELLED', cancelRequested: true, finishedAt: new Date() })
        .where(and(eq(extractJobs.id, job.id), eq(extractJobs.status, 'QUEUED')))
        .returning();
      if (queued) return sendJson(res, 200, extractStatus(queued));
      const [running] = await ctx.db
        .update(extractJobs)
        .set({ cancelRequested: true })
        .where(and(eq(extractJobs.id, job.id), eq(extractJobs.status, 'RUNNING')))
        .returning();
      return sendJson(res, 200, extractStatus(running ?? job));
    }
    if (steps.length === 3 && steps[2] === 'data' && method === 'GET') {
      if (job.status !== 'DONE')
        throw refuse(409, conflict(`The extract is ${job.status}: its output can be fetched once it is DONE.`, { reason: 'NOT_READY', status: job.status }));
      await recordFetch(ctx, caller, 'extract', job.id, 'data');
      return streamBlob(ctx.db, res, job, MEDIA_TYPES[job.format], `extract-${job.id}.${EXTENSIONS[job.format]}`);
    }
    throw notFoundHere();
  }

  if (steps[0] === 'files') {
    requireScope(caller.scopes, 'person:read', "Notification files need the scopes 'events:read', 'person:read' and 'address:read'.");
    if (steps[1] === 'subscriptions') {
      const subscriptionId = steps[2];
      if (!subscriptionId || !isUuid(subscriptionId)) throw notFoundHere();
      for (const scope of ['events:read', 'address:read'])
        requireScope(caller.scopes, scope, "Notification files need the scopes 'events:read', 'person:read' and 'address:read'.");
      if (steps.length === 4 && steps[3] === 'schedule' && method === 'PUT') {
        const body = (await jsonBody(req)) as Record<string, unknown>;
        return sendJson(res, 200, await scheduler.setSchedule(caller, subscriptionId.toLowerCase(), body));
      }
      if (steps.length === 4 && steps[3] === 'schedule' && method === 'DELETE') {
        return sendJson(res, 200, await scheduler.setSchedule(caller, subscriptionId.toLowerCase(), { cron: null }));
      }
      if (steps.length === 3 && method === 'POST') {
        const file = await scheduler.produceNow(caller, subscriptionId.toLowerCase());
        res.setHeader('location', `/files/${file.id}`);
        return sendJson(res, 201, fileMetadata(file));
      }
      throw notFoundHere();
    }
    if (steps.length === 1 && method === 'GET') {
      const wanted = new URL(req.url ?? '/', 'http://x').searchParams.get('subscriptionId');
      if (wanted !== null && !isUuid(wanted)) return sendJson(res, 200, { files: [] });
      const rows = await ctx.db
        .select()
        .from(notificationFiles)
        .where(
          and(
            eq(notificationFiles.ownerClient, owner),
            gt(notificationFiles.expiresAt, new Date()),
            wanted ? eq(notificationFiles.subscriptionId, wanted.toLowerCase()) : undefined,
          ),
        )
        .orderBy(desc(notificationFiles.producedAt), desc(notificationFiles.sequence))
        .limit(100);
      return sendJson(res, 200, { files: rows.map(fileMetadata) });
    }
    if (method !== 'GET' || steps.length > 3) throw notFoundHere();
    const [file] = await ctx.db
      .select()
      .from(notificationFiles)
      .where(and(eq(notificationFiles.id, id!.toLowerCase()), eq(notificationFiles.ownerClient, owner), gt(notificationFiles.expiresAt, new Date())));
    if (!file) throw notFoundHere();
    const partName = steps[2] ?? 'metadata';
    if (partName === 'metadata' || partName === 'metadata.json') {
      await recordFetch(ctx, caller, 'file', file.id, 'metadata');
      return sendJson(res, 200, fileMetadata(file));
    }
    const part = file.parts.find((p) => p.name === partName);
    if (!part) throw notFoundHere();
    await recordFetch(ctx, caller, 'file', file.id, part.name);
    return streamBlob(
      ctx.db,
      res,
      part,
      PART_MEDIA_TYPES[part.name as keyof typeof PART_MEDIA_TYPES],
      `folkreg-${file.subscriptionId}-${file.sequence}.${part.name === 'cpr' ? 'txt' : 'ndjson'}`,
    );
  }
  throw notFoundHere();
}

async function ownJob(ctx: DeliveryContext, id: string, owner: string) {
  const [job] = await ctx.db
    .select()
    .from(extractJobs)
    .where(and(eq(extractJobs.id, id.toLowerCase()), eq(extractJobs.ownerClient, owner), gt(extractJobs.expiresAt, new Date())));
  if (!job) throw notFoundHere();
  return job;
}

/** The fetch's audit row, written before the first byte (a failed write sends nothing). */
async function recordFetch(ctx: DeliveryContext, caller: Caller, kind: 'file' | 'extract', itemId: string, part: string): Promise<void> {
  await ctx.db.insert(deliveryFetches).values({ subject: caller.subject, client: caller.client, purpose: caller.purpose, kind, itemId, part });
}
