import { and, eq, sql } from 'drizzle-orm';
import { selectRows, type Db } from '../../db/client.js';
import { readHead, readHorizon, type EventPosition } from '../../db/outbox.js';
import { eventSubscriptionWebhooks } from '../../db/schema/index.js';
import { apiError, forbidden, userInputError } from '../../kernel/errors.js';
import {
  endpointSyntaxProblem,
  newWebhookSecret,
  ownerColumns,
  WEBHOOK_WORKER_SCOPE,
  WEBHOOK_WORKER_SUBJECT,
  type WebhookLease,
} from '../../kernel/webhooks.js';
import { requireScope } from '../../kernel/validate.js';
import { identityOf, type Caller } from '../../kernel/caller.js';
import { acknowledgedPosition, findSubscription, ownerOf, type SubscriptionRow } from './store.js';
import type { SubgraphContext } from '../shared/server.js';
import type { SubscriptionLoaders } from './store.js';

type Ctx = SubgraphContext<SubscriptionLoaders>;

/**
 * Webhooks of durable subscriptions (README "Delivery" → "Webhooks"): the owner's mutations, the status it
 * reads, and the lease operations the gateway's delivery workers call (`@inaccessible`: no client reaches
 * them). This subgraph owns the table; the gateway reads it only through these operations.
 *
 * Why leases on one row per subscription rather than a job queue: a subscription's batches must go out one
 * at a time and in log order, so there is exactly one unit of work per subscription at any time — its next
 * batch — and the row that holds its position is the natural lock. `FOR UPDATE SKIP LOCKED` lets any number
 * of workers claim different rows at once without waiting on each other; the lease's expiry hands a crashed
 * worker's row to another; and the position moves in the same statement that checks the lease is still
 * held, so a worker that lost its lease cannot move it. A queue (graphile-worker, pg-boss) would add a job
 * per batch, and per-subscription serialisation on top of it.
 */

export type WebhookRow = typeof eventSubscriptionWebhooks.$inferSelect;
/** A leased webhook, as the worker gets it. */
export type WebhookLeaseModel = WebhookLease;

const SUBSCRIBE_SCOPE = 'events:subscribe';
/** Events counted for `lagEvents` at most. @default 10_000 */
const MAX_LAG_COUNT = 10_000;
/** Longest stored error message. @default 200 // characters */
const MAX_ERROR_MESSAGE = 200;
/** Bounds of the lease operations' arguments. */
const MAX_LEASE_MS = 10 * 60_000;
const MAX_CLAIM = 100;
/** Cursor scope of event cursors (the same as resolvers.ts `CURSOR_SCOPE`). */
const CURSOR_SCOPE = 'change-events';

function ownerWithScope(ctx: Ctx): string {
  requireScope(ctx.caller.scopes, SUBSCRIBE_SCOPE, `Managing event subscriptions needs scope '${SUBSCRIBE_SCOPE}'.`);
  return ownerOf(ctx.caller);
}

function noWebhook(id: string) {
  return apiError('NOT_FOUND', `Event subscription '${id}' has no webhook.`, { reason: 'NO_WEBHOOK' });
}

function decode(ctx: Ctx, cursor: string, argument: string): EventPosition {
  return ctx.cursors.decode<EventPosition>(CURSOR_SCOPE, cursor, argument);
}

export async function webhookOf(db: Pick<Db, 'select'>, subscriptionId: string): Promise<WebhookRow | null> {
  const [row] = await db.select().from(eventSubscriptionWebhooks).where(eq(eventSubscriptionWebhooks.subscriptionId, subscriptionId));
  return row ?? null;
}

/** Who the deliveries are read as: the caller setting the webhook, as the gateway verified it (scopes, role, purpose). */
function ownerIdentity(caller: Caller) {
  return ownerColumns(identityOf(caller));
}

/** `Mutation.setEventSubscriptionWebhook`. */
export async function setWebhook(
  ctx: Ctx,
  args: { subscriptionId: string; endpoint: string; rotateSecret?: boolean | null; after?: string | null },
): Promise<{ subscription: SubscriptionRow; secret: string | null }> {
  const owner = ownerWithScope(ctx);
  const problem = endpointSyntaxProblem(args.endpoint);
  if (problem) throw userInputError(`Argument 'endpoint' is refused: ${problem}.`, 'WEBHOOK_ENDPOINT');
  const after = args.after ? decode(ctx, args.after, 'after') : null;
  return ctx.db.transaction(async (tx) => {
    const subscription = await findSubscription(tx, owner, args.subscriptionId, true);
    const existing = await webhookOf(tx, subscription.id);
    const identity = ownerIdentity(ctx.caller);
    if (existing) {
      const secret = args.rotateSecret ? newWebhookSecret() : null;
      await tx
        .update(eventSubscriptionWebhooks)
        .set({
          endpoint: args.endpoint,
          ...identity,
          ...(secret ? { secret } : {}),
          ...(after ? { positionTxId: after.txId, positionEventId: after.id, batchCount: null } : {}),
          state: 'ACTIVE',
          attempts: 0,
          nextAttemptAt: new Date(),
          // A lease in flight may no longer complete (its batch went to the old endpoint or position); the row
          // stays leased until the lease expires, so two workers never deliver this subscription at once.
          leaseToken: sql`case when ${eventSubscriptionWebhooks.leaseUntil} > now() then gen_random_uuid() else null end`,
        })
        .where(eq(eventSubscriptionWebhooks.subscriptionId, subscription.id));
      return { subscription, secret };
    }
    // A new webhook starts after `after`, else after the acknowledged position, else at the head of the log.
    const start = after ?? acknowledgedPosition(subscription) ?? (await readHead(tx)).head;
    const secret = newWebhookSecret();
    await tx.insert(eventSubscriptionWebhooks).values({
      subscriptionId: subscription.id,
      endpoint: args.endpoint,
      secret,
      ...identity,
      positionTxId: start?.txId ?? null,
      positionEventId: start?.id ?? null,
    });
    return { subscription, secret };
  });
}

/** `Mutation.removeEventSubscriptionWebhook`. */
export async function removeWebhook(ctx: Ctx, subscriptionId: string): Promise<SubscriptionRow> {
  const owner = ownerWithScope(ctx);
  const subscription = await findSubscription(ctx.db, owner, subscriptionId);
  const removed = await ctx.db
    .delete(eventSubscriptionWebhooks)
    .where(eq(eventSubscriptionWebhooks.subscriptionId, subscription.id))
    .returning({ id: eventSubscriptionWebhooks.subscriptionId });
  if (!removed.length) throw noWebhook(subscription.id);
  return subscription;
}

/** `Mutation.resumeEventSubscriptionWebhook`: failures forgotten, due at once; with `after`, a replay from there. */
export async function resumeWebhook(ctx: Ctx, subscriptionId: string, afterCursor: string | null | undefined): Promise<SubscriptionRow> {
  const owner = ownerWithScope(ctx);
  const after = afterCursor ? decode(ctx, afterCursor, 'after') : null;
  const subscription = await findSubscription(ctx.db, owner, subscriptionId);
  const updated = await ctx.db
    .update(eventSubscriptionWebhooks)
    .set({
      state: 'ACTIVE',
      attempts: 0,
      nextAttemptAt: new Date(),
      ...(after ? { positionTxId: after.txId, positionEventId: after.id, batchCount: null } : {}),
      leaseToken: sql`case when ${eventSubscriptionWebhooks.leaseUntil} > now() then gen_random_uuid() else null end`,
    })
    .where(eq(eventSubscriptionWebhooks.subscriptionId, subscription.id))
    .returning({ id: eventSubscriptionWebhooks.subscriptionId });
  if (!updated.length) throw noWebhook(subscription.id);
  return subscription;
}

function positionOf(row: Pick<WebhookRow, 'positionTxId' | 'positionEventId'>): EventPosition | null {
  return row.positionTxId != null && row.positionEventId != null ? { txId: row.positionTxId, id: row.positionEventId } : null;
}

function afterPosition(position: EventPosition | null) {
  return position ? sql`and (e.tx_id, e.id) > (${position.txId}::xid8, ${position.id})` : sql``;
}

/** `Webhook.lagEvents` and `lagSeconds`: what waits in the log after the delivered position. */
export async function lagOf(db: Db, row: WebhookRow): Promise<{ events: number; seconds: number }> {
  const position = positionOf(row);
  const [lag] = await selectRows<{ events: string | number; oldest: string | null }>(
    db,
    sql`select count(*) as events, min(recorded_at)::text as oldest from (
          select e.recorded_at from change_events e where e.tx_id < ${readHorizon} ${afterPosition(position)}
          order by e.tx_id, e.id limit ${MAX_LAG_COUNT}) w`,
  );
  const oldest = lag?.oldest ? Date.parse(lag.oldest) : NaN;
  return { events: Number(lag?.events ?? 0), seconds: Number.isFinite(oldest) ? Math.max(0, (Date.now() - oldest) / 1000) : 0 };
}

/** `Webhook.deliveredCursor`. */
export function webhookCursor(row: WebhookRow, ctx: Ctx): string | null {
  const position = positionOf(row);
  return position ? ctx.cursors.encode(CURSOR_SCOPE, position) : null;
}

/** The lease operations are the gateway worker's alone. */
function requireWorker(caller: Caller): void {
  if (caller.subject !== WEBHOOK_WORKER_SUBJECT || !caller.scopes.includes(WEBHOOK_WORKER_SCOPE)) {
    throw forbidden('Only the gateway delivery worker leases webhooks.');
  }
}

function requireBounded(value: number, max: number, argument: string): void {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw userInputError(`Argument '${argument}' must be between 1 and ${max}; got ${value}.`, 'PAGE_SIZE');
}

/**
 * `Mutation.claimWebhookDeliveries`: up to `limit` active, due webhooks that no live lease holds and that
 * have something to do (a batch to retry, or events in the log after their position), leased for `leaseMs`.
 * Rows another worker is claiming right now are skipped, not waited for.
 */
export async function claimWebhooks(ctx: Ctx, leaseMs: number, limit: number): Promise<WebhookLeaseModel[]> {
  requireWorker(ctx.caller);
  requireBounded(leaseMs, MAX_LEASE_MS, 'leaseMs');
  requireBounded(limit, MAX_CLAIM, 'limit');
  const rows = await selectRows<{
    subscription_id: string;
    lease_token: string;
    endpoint: string;
    secret: string;
    owner_subject: string;
    owner_client: string | null;
    owner_scopes: string[] | string;
    owner_role: string | null;
    owner_purpose: string | null;
    position_tx_id: string | null;
    position_event_id: string | number | null;
    batch_count: number | null;
    attempts: number;
  }>(
    ctx.db,
    sql`with due as (
          select w.subscription_id from event_subscription_webhooks w
           where w.state = 'ACTIVE' and w.next_attempt_at <= now()
             and (w.lease_until is null or w.lease_until < now())
             and (w.batch_count is not null or exists (
                   select 1 from change_events e where e.tx_id < ${readHorizon}
                      and (w.position_tx_id is null or (e.tx_id, e.id) > (w.position_tx_id, w.position_event_id))))
           order by w.next_attempt_at
           limit ${limit}
           for update of w skip locked)
        update event_subscription_webhooks w
           set lease_token = gen_random_uuid(), lease_until = now() + ${leaseMs} * interval '1 millisecond'
          from due where w.subscription_id = due.subscription_id
        returning w.subscription_id, w.lease_token, w.endpoint, w.secret, w.owner_subject, w.owner_client, w.owner_scopes,
                  w.owner_role, w.owner_purpose, w.position_tx_id::text as position_tx_id, w.position_event_id, w.batch_count, w.attempts`,
  );
  return rows.map((r) => {
    const position = r.position_tx_id != null && r.position_event_id != null ? { txId: r.position_tx_id, id: Number(r.position_event_id) } : null;
    return {
      subscriptionId: r.subscription_id,
      leaseToken: r.lease_token,
      endpoint: r.endpoint,
      secret: r.secret,
      ownerSubject: r.owner_subject,
      ownerClient: r.owner_client,
      ownerScopes: parseTextArray(r.owner_scopes),
      ownerRole: r.owner_role,
      ownerPurpose: r.owner_purpose,
      after: position ? ctx.cursors.encode(CURSOR_SCOPE, position) : null,
      batchCount: r.batch_count,
      attempts: r.attempts,
    };
  });
}

/** A text[] as the driver returns it: an array (postgres.js), or Postgres' literal `{a,b}` (raw PGlite rows). */
function parseTextArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',').map((v) => v.replace(/^"|"$/g, '')) : [];
}

export interface DeliveryOutcome {
  subscriptionId: string;
  leaseToken: string;
  delivered: number;
  endCursor?: string | null;
  batchCount?: number | null;
  failure?: { status?: number | null; message: string; retryInMs: number; pause: boolean } | null;
}

/** `Mutation.completeWebhookDelivery`: applied only while the caller's lease is still the row's. */
export async function completeWebhook(ctx: Ctx, outcome: DeliveryOutcome): Promise<boolean> {
  requireWorker(ctx.caller);
  const w = eventSubscriptionWebhooks;
  const held = and(eq(w.subscriptionId, outcome.subscriptionId), eq(w.leaseToken, outcome.leaseToken));
  const { failure } = outcome;
  if (failure) {
    const retryMs = Math.max(0, Math.min(failure.retryInMs, 7 * 24 * 3600_000));
    const updated = await ctx.db
      .update(w)
      .set({
        attempts: sql`${w.attempts} + 1`,
        failedAttempts: sql`${w.failedAttempts} + 1`,
        batchCount: outcome.batchCount ?? null,
        lastErrorStatus: failure.status ?? null,
        lastErrorMessage: failure.message.slice(0, MAX_ERROR_MESSAGE),
        lastErrorAt: sql`now()`,
        lastErrorAttempts: sql`${w.attempts} + 1`,
        nextAttemptAt: sql`now() + ${retryMs} * interval '1 millisecond'`,
        state: failure.pause ? 'PAUSED' : sql`${w.state}`,
        leaseToken: null,
        leaseUntil: null,
      })
      .where(held)
      .returning({ id: w.subscriptionId });
    return updated.length > 0;
  }
  const end = outcome.endCursor ? decode(ctx, outcome.endCursor, 'endCursor') : null;
  const updated = await ctx.db
    .update(w)
    .set({
      ...(end ? { positionTxId: end.txId, positionEventId: end.id } : {}),
      batchCount: null,
      attempts: 0,
      deliveredEvents: sql`${w.deliveredEvents} + ${outcome.delivered}`,
      ...(outcome.delivered > 0 ? { lastDeliveredAt: sql`now()` } : {}),
      nextAttemptAt: sql`now()`,
      leaseToken: null,
      leaseUntil: null,
    })
    .where(held)
    .returning({ id: w.subscriptionId });
  return updated.length > 0;
}
