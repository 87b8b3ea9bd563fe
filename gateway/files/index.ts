/**
 * # gateway/files — base extracts and notification files (README "Delivery")
 *
 * What integrators fetch as files rather than read as a stream: base extracts by criteria
 * (`extracts.ts`, criteria in `criteria.ts`) and a durable subscription's notification files
 * (`notification-files.ts`, on a schedule: `schedule.ts`). Both read through the gateway's own pipeline as
 * their owner — the owner's scopes, the protection policy's masking for them, and the audit of what is
 * released to them, as for any query — and keep only what they produced, in the gateway's delivery tables
 * (db/schema/files.ts; `blobs.ts` the bytes). `routes.ts` serves them over HTTP with the owner's token.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { extractJobs, notificationFiles } from '../../db/schema/files.js';
import type { Caller, CallerIdentity } from '../../kernel/caller.js';
import { componentLog, errorFields } from '../../kernel/log.js';
import { deleteBlobs } from './blobs.js';
import type { DeliveryContext, RunAs } from './context.js';
import { claimExtract, finishAbandonedCancels, jobCrashed, runExtract } from './extracts.js';
import { serveDelivery } from './routes.js';
import { FileScheduler } from './schedule.js';

const log = componentLog('delivery');

/** Options of the delivery routes and jobs. */
export interface DeliveryOptions {
  /** Where jobs, files and their bytes are kept (the gateway's delivery tables). */
  db: Db;
  /** FILES_RETENTION_DAYS: days a notification file or an extract's output is kept. @default 7 */
  retentionDays?: number;
  /** How often a gateway looks for queued jobs, due schedules and expired files. @default 2_000 // 2 seconds */
  pollMs?: number;
  /** A lease not renewed for this long is taken over by another gateway. @default 30_000 // 30 seconds */
  leaseMs?: number;
  /** Most events one notification file holds; a longer stretch continues in the next file. @default 50_000 */
  maxFileEvents?: number;
  /**
   * Persons per page of an extract's walk: `searchPersons`' largest page. The fixed cost of a page (plan,
   * two subgraph fetches, five statements) is spread over more persons: pages of 500 made an extract
   * 1.6–3× faster than pages of 100 (README "Base extracts"). Tests set fewer to see a job between pages.
   * @default 500
   */
  extractPage?: number;
}

/** The running delivery of one gateway. */
export interface Delivery {
  /** Whether `path` is one of the delivery routes (`/files…`, `/extracts…`). */
  handles(path: string): boolean;
  /** Serves one authenticated request on a delivery route. */
  serve(req: IncomingMessage, res: ServerResponse, path: string, caller: Caller): Promise<void>;
  /** Looks for work now (after a request queued some). */
  kick(): void;
  /** Stops taking work; a job in progress gives its lease back at its next page. */
  close(): Promise<void>;
}

/** Starts the delivery jobs of this gateway and returns its routes. */
export function startDelivery(options: DeliveryOptions, run: RunAs, callerOf: (identity: CallerIdentity) => Caller): Delivery {
  const ctx: DeliveryContext = {
    db: options.db,
    run,
    callerOf,
    instance: `gateway-${randomUUID()}`,
    retentionDays: options.retentionDays ?? 7,
    leaseMs: options.leaseMs ?? 30_000,
    extractPage: options.extractPage ?? 500,
  };
  const scheduler = new FileScheduler(ctx, options.maxFileEvents ?? 50_000);
  let stopping = false;
  let working: Promise<void> | null = null;
  let again = false;

  const work = async () => {
    await sweepExpired(ctx);
    await finishAbandonedCancels(ctx);
    await scheduler.runDue(() => stopping);
    for (let job = await claimExtract(ctx); job && !stopping; job = await claimExtract(ctx)) {
      try {
        await runExtract(ctx, job, () => stopping);
      } catch (err) {
        jobCrashed(job, err);
      }
    }
  };
  const kick = () => {
    if (stopping) return;
    if (working) {
      again = true;
      return;
    }
    working = work()
      .catch((err) => log.error({ err: errorFields(err) }, 'delivery round failed; retried at the next poll'))
      .finally(() => {
        working = null;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const timer = setInterval(kick, options.pollMs ?? 2_000);
  timer.unref();
  kick();

  return {
    handles: (path) => path === '/files' || path.startsWith('/files/') || path === '/extracts' || path.startsWith('/extracts/'),
    serve: (req, res, path, caller) => serveDelivery(ctx, scheduler, kick, req, res, path, caller),
    kick,
    async close() {
      stopping = true;
      clearInterval(timer);
      await working;
    },
  };
}

/** Deletes files and extract outputs past their retention (idempotent: every gateway may run it). */
async function sweepExpired(ctx: DeliveryContext): Promise<void> {
  const now = new Date();
  const files = await ctx.db.delete(notificationFiles).where(lt(notificationFiles.expiresAt, now)).returning({ parts: notificationFiles.parts });
  const jobs = await ctx.db
    .delete(extractJobs)
    .where(and(lt(extractJobs.expiresAt, now)))
    .returning({ blobId: extractJobs.blobId });
  await deleteBlobs(ctx.db, [...files.flatMap((f) => f.parts.map((p) => p.blobId)), ...jobs.map((j) => j.blobId)]);
  void eq;
}
