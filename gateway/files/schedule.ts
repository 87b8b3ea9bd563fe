/**
 * When notification files are produced: on a schedule per subscription (a cron expression read by croner,
 * in the series' time zone) or on demand. Any number of gateways run this; each series has one lease in
 * Postgres (`notification_file_series.lease_owner/lease_until`, taken with a conditional UPDATE), and a
 * scheduled slot is taken only while it is still the series' `next_run_at`, which the producing
 * transaction moves on — so two replicas never produce one slot, or one file, twice.
 */
import { Cron } from 'croner';
import { and, asc, eq, isNotNull, isNull, lte, lt, or, sql } from 'drizzle-orm';
import { notificationFileSeries } from '../../db/schema/files.js';
import type { Caller } from '../../kernel/caller.js';
import { apiError, conflict, userInputError } from '../../kernel/errors.js';
import { componentLog, errorFields } from '../../kernel/log.js';
import { failures, sleep, type DeliveryContext } from './context.js';
import { identityOf, ownerOf } from '../../kernel/caller.js';
import { notFoundHere, refuse } from './http.js';
import { FileProductionError, produceFile, type FileSeries, type NotificationFile } from './notification-files.js';

const log = componentLog('delivery');

/** Series whose slot is due, taken per round. @default 10 */
const DUE_PER_ROUND = 10;

const OWN_SUBSCRIPTION = /* GraphQL */ `
  query DeliveryOwnSubscription($id: ID!) {
    eventSubscription(id: $id) {
      id
    }
  }
`;

/** The next run of `cron` in `timeZone` after `after`, or BAD_USER_INPUT (CRON_EXPRESSION). */
export function nextRun(cron: string, timeZone: string, after = new Date()): Date | null {
  try {
    return new Cron(cron, { timezone: timeZone, paused: true }).nextRun(after);
  } catch (err) {
    throw userInputError(`Not a schedule: ${(err as Error).message}`, 'CRON_EXPRESSION');
  }
}

/** The series as `PUT /files/subscriptions/{id}/schedule` answers it. */
function seriesView(s: FileSeries) {
  return {
    subscriptionId: s.subscriptionId,
    cron: s.cron,
    timeZone: s.timeZone,
    nextRunAt: s.nextRunAt?.toISOString() ?? null,
    lastProducedAt: s.lastProducedAt?.toISOString() ?? null,
    files: s.sequence,
  };
}

export class FileScheduler {
  constructor(
    private readonly ctx: DeliveryContext,
    private readonly maxEvents: number,
  ) {}

  /** Sets (or with `cron: null` removes) the schedule of one of the caller's subscriptions. */
  async setSchedule(caller: Caller, subscriptionId: string, body: Record<string, unknown>) {
    const { cron = null, timeZone = 'Europe/Copenhagen', ...rest } = body ?? {};
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw userInputError(`Unknown field '${extra}'; a schedule has 'cron' and 'timeZone'.`, 'UNKNOWN_FIELD', { field: extra });
    if (cron !== null && typeof cron !== 'string') throw userInputError("'cron' must be a cron expression (or null).", 'CRON_EXPRESSION');
    if (typeof timeZone !== 'string') throw userInputError("'timeZone' must be an IANA time zone name.", 'CRON_EXPRESSION');
    const next = cron === null ? null : nextRun(cron, timeZone);
    if (cron !== null && !next) throw userInputError(`'${cron}' never runs again.`, 'CRON_EXPRESSION');
    await this.requireOwn(caller, subscriptionId);
    const values = { ownerClient: ownerOf(caller), owner: identityOf(caller), cron, timeZone, nextRunAt: next };
    const [series] = await this.ctx.db
      .insert(notificationFileSeries)
      .values({ subscriptionId, ...values })
      .onConflictDoUpdate({ target: notificationFileSeries.subscriptionId, set: values })
      .returning();
    return seriesView(series!);
  }

  /** Produces the caller's subscription's next file now (waiting a little for a production in progress). */
  async produceNow(caller: Caller, subscriptionId: string): Promise<NotificationFile> {
    await this.requireOwn(caller, subscriptionId);
    await this.ctx.db
      .insert(notificationFileSeries)
      .values({ subscriptionId, ownerClient: ownerOf(caller), owner: identityOf(caller) })
      .onConflictDoUpdate({ target: notificationFileSeries.subscriptionId, set: { ownerClient: ownerOf(caller), owner: identityOf(caller) } });
    for (let attempt = 0; attempt < 20; attempt++) {
      const series = await this.lease(subscriptionId, null);
      if (series) {
        try {
          const file = await produceFile(this.ctx, series, 'REQUEST', this.maxEvents, null);
          if (file) return file;
        } catch (err) {
          await this.release(subscriptionId);
          if (err instanceof FileProductionError) {
            const status = err.error.code === 'NOT_FOUND' ? 404 : err.error.code === 'FORBIDDEN' ? 403 : 503;
            throw refuse(
              status,
              apiError(err.error.code as 'NOT_FOUND', err.error.message, err.error.reason ? { reason: err.error.reason as 'NOT_READY' } : {}),
            );
          }
          throw err;
        }
      }
      await sleep(250);
    }
    throw refuse(409, conflict('Another file of this subscription is being produced; ask again when it is done.'));
  }

  /** Produces the files whose scheduled slot has come (each slot once across all gateways). */
  async runDue(stopping: () => boolean): Promise<void> {
    const due = await this.ctx.db
      .select()
      .from(notificationFileSeries)
      .where(and(isNotNull(notificationFileSeries.cron), lte(notificationFileSeries.nextRunAt, new Date())))
      .orderBy(asc(notificationFileSeries.nextRunAt))
      .limit(DUE_PER_ROUND);
    for (const candidate of due) {
      if (stopping()) return;
      const series = await this.lease(candidate.subscriptionId, candidate.nextRunAt);
      if (!series) continue; // another gateway has it, or produced this slot already
      const next = series.cron ? nextRun(series.cron, series.timeZone) : null;
      try {
        await produceFile(this.ctx, series, 'SCHEDULE', this.maxEvents, next);
      } catch (err) {
        await this.release(series.subscriptionId);
        if (err instanceof FileProductionError && (err.error.code === 'NOT_FOUND' || err.error.code === 'FORBIDDEN')) {
          // The subscription is gone, or its owner may no longer read it: the schedule stops.
          await this.ctx.db
            .update(notificationFileSeries)
            .set({ cron: null, nextRunAt: null })
            .where(eq(notificationFileSeries.subscriptionId, series.subscriptionId));
          log.warn({ subscription: series.subscriptionId, code: err.error.code }, 'notification file schedule stopped');
        } else log.error({ subscription: series.subscriptionId, err: errorFields(err) }, 'scheduled notification file failed; retried at the next poll');
      }
    }
  }

  /** Takes the series' lease (for a scheduled slot: only while `slot` is still its next run). */
  private async lease(subscriptionId: string, slot: Date | null): Promise<FileSeries | null> {
    const [series] = await this.ctx.db
      .update(notificationFileSeries)
      .set({ leaseOwner: this.ctx.instance, leaseUntil: sql`now() + ${`${this.ctx.leaseMs} milliseconds`}::interval` })
      .where(
        and(
          eq(notificationFileSeries.subscriptionId, subscriptionId),
          or(isNull(notificationFileSeries.leaseUntil), lt(notificationFileSeries.leaseUntil, new Date())),
          slot ? eq(notificationFileSeries.nextRunAt, slot) : undefined,
        ),
      )
      .returning();
    return series ?? null;
  }

  private async release(subscriptionId: string): Promise<void> {
    await this.ctx.db
      .update(notificationFileSeries)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(notificationFileSeries.subscriptionId, subscriptionId), eq(notificationFileSeries.leaseOwner, this.ctx.instance)));
  }

  /** NOT_FOUND (404) unless the subscription is the caller's, asked through the pipeline as the caller. */
  private async requireOwn(caller: Caller, subscriptionId: string): Promise<void> {
    const result = await this.ctx.run(OWN_SUBSCRIPTION, { id: subscriptionId }, caller, 'DeliveryOwnSubscription');
    const found = (result.data?.eventSubscription as { id: string } | null | undefined)?.id;
    if (found) return;
    const fault = failures(result).find((e) => e.extensions?.code !== 'NOT_FOUND');
    if (fault) throw refuse(503, apiError('SUBGRAPH_UNAVAILABLE', 'The subscription could not be read; retry shortly.'));
    throw notFoundHere();
  }
}
