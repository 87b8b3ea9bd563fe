import DataLoader from 'dataloader';
import { and, eq, inArray, or, isNull, sql } from 'drizzle-orm';
import { notFound as notFoundError } from '../../kernel/errors.js';
import { requireId } from '../../kernel/validate.js';
import type { Db } from '../../db/client.js';
import type { EventPosition } from '../../db/outbox.js';
import { eventSubscriptionFilters, eventSubscriptions } from '../../db/schema/index.js';
import { ownerOf, type Caller } from '../../kernel/caller.js';
import { groupBy, traced } from '../shared/loaders.js';
import type { AgeRange, EventFilter, EventSelection } from '../../kernel/event-filter.js';

/**
 * Durable event subscriptions (CPR Abonnement): rows, filters and the acknowledged position. Every lookup
 * goes through the owner, so another client's subscription is indistinguishable from a missing one.
 */

export type SubscriptionRow = typeof eventSubscriptions.$inferSelect;
export type FilterRow = typeof eventSubscriptionFilters.$inferSelect;

// The groups are the table's vocabulary too (db/schema/subscription.ts), so they live in the kernel.
import type { FilterGroup } from '../../kernel/register-codes.js';
export { FILTER_GROUPS, type FilterGroup } from '../../kernel/register-codes.js';

/** The client a subscription belongs to (kernel/caller.ts: the token's client, else its subject). */
export { ownerOf };

/** NOT_FOUND for a subscription id: the same answer whether it is another client's, missing or no UUID. */
export function notFound(id: string) {
  return notFoundError(`No event subscription '${id}' of yours exists.`);
}

type Executor = Pick<Db, 'select'>;

/** The owner's subscription, or NOT_FOUND (also for another client's); INVALID_ID for an id that is no UUID. */
export async function findSubscription(db: Executor, owner: string, id: string, forUpdate = false): Promise<SubscriptionRow> {
  requireId(id, 'subscriptionId', 'EventSubscription');
  const query = db
    .select()
    .from(eventSubscriptions)
    .where(and(eq(eventSubscriptions.id, id), eq(eventSubscriptions.ownerClient, owner)));
  const [row] = await (forUpdate ? query.for('update') : query);
  if (!row) throw notFound(id);
  return row;
}

export function acknowledgedPosition(row: SubscriptionRow): EventPosition | null {
  return row.acknowledgedTxId != null && row.acknowledgedEventId != null ? { txId: row.acknowledgedTxId, id: row.acknowledgedEventId } : null;
}

/** Stored filters as an `EventFilter`: groups without rows are not given. */
export function filterOf(rows: FilterRow[]): EventFilter {
  const values = (group: FilterGroup) => rows.filter((r) => r.filterGroup === group).map((r) => r.value!);
  const ageRanges: AgeRange[] = rows.filter((r) => r.filterGroup === 'AGE_RANGE').map((r) => ({ minAge: r.minAge!, maxAge: r.maxAge! }));
  const filter: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {};
  const types = values('EVENT_TYPE');
  const municipalityCodes = values('MUNICIPALITY');
  const identifiers = values('PERSON');
  if (types.length) filter.types = types;
  if (municipalityCodes.length) filter.municipalityCodes = municipalityCodes;
  if (identifiers.length) filter.identifiers = identifiers;
  if (ageRanges.length) filter.ageRanges = ageRanges;
  return filter;
}

/** What a subscription receives: everything (catch-all), its filters, or nothing when it has none. */
export function selectionOf(row: SubscriptionRow, filters: FilterRow[]): EventSelection {
  if (row.catchAll) return {};
  return filters.length ? filterOf(filters) : 'NOTHING';
}

async function filtersOf(db: Executor, subscriptionId: string): Promise<FilterRow[]> {
  return db.select().from(eventSubscriptionFilters).where(eq(eventSubscriptionFilters.subscriptionId, subscriptionId)).orderBy(eventSubscriptionFilters.id);
}

/**
 * For readers of a durable subscription (the pull query and the live stream): its selection and the
 * position it acknowledged. Throws NOT_FOUND unless `caller`'s client owns it.
 */
export async function loadSubscriptionSelection(
  db: Db,
  caller: Caller,
  subscriptionId: string,
): Promise<{ selection: EventSelection; acknowledged: EventPosition | null }> {
  const row = await findSubscription(db, ownerOf(caller), subscriptionId);
  return { selection: selectionOf(row, await filtersOf(db, row.id)), acknowledged: acknowledgedPosition(row) };
}

/** One value to add or remove; `key` identifies it within its group. */
export interface FilterValue {
  value: string | null;
  minAge: number | null;
  maxAge: number | null;
}

const keyOf = (v: FilterValue) => `${v.value}|${v.minAge}|${v.maxAge}`;

export type FilterChangeResult = 'ADDED' | 'ALREADY_EXISTED' | 'REMOVED' | 'NON_EXISTING';

/**
 * Adds or removes filter values of one group, in one transaction holding the subscription's row lock, and
 * reports per value in input order. A value named twice in one call is reported as the second call would be.
 */
export async function changeFilters(
  db: Db,
  owner: string,
  subscriptionId: string,
  group: FilterGroup,
  action: 'ADD' | 'REMOVE',
  values: FilterValue[],
): Promise<FilterChangeResult[]> {
  return db.transaction(async (tx) => {
    await findSubscription(tx, owner, subscriptionId, true);
    const existing = await tx
      .select()
      .from(eventSubscriptionFilters)
      .where(and(eq(eventSubscriptionFilters.subscriptionId, subscriptionId), eq(eventSubscriptionFilters.filterGroup, group)));
    const present = new Map(existing.map((r) => [keyOf(r), r.id]));
    const toInsert: FilterValue[] = [];
    const toDelete: number[] = [];
    const results = values.map((v): FilterChangeResult => {
      const k = keyOf(v);
      const id = present.get(k);
      if (action === 'ADD') {
        if (id !== undefined) return 'ALREADY_EXISTED';
        present.set(k, -1);
        toInsert.push(v);
        return 'ADDED';
      }
      if (id === undefined) return 'NON_EXISTING';
      present.delete(k);
      if (id > 0) toDelete.push(id);
      return 'REMOVED';
    });
    if (toInsert.length) {
      await tx.insert(eventSubscriptionFilters).values(toInsert.map((v) => ({ subscriptionId, filterGroup: group, ...v })));
    }
    if (toDelete.length) await tx.delete(eventSubscriptionFilters).where(inArray(eventSubscriptionFilters.id, toDelete));
    return results;
  });
}

/** CPR RemoveAll: drops every filter of one group; returns how many there were. */
export async function removeFilterGroup(db: Db, owner: string, subscriptionId: string, group: FilterGroup): Promise<number> {
  return db.transaction(async (tx) => {
    await findSubscription(tx, owner, subscriptionId, true);
    const removed = await tx
      .delete(eventSubscriptionFilters)
      .where(and(eq(eventSubscriptionFilters.subscriptionId, subscriptionId), eq(eventSubscriptionFilters.filterGroup, group)))
      .returning({ id: eventSubscriptionFilters.id });
    return removed.length;
  });
}

/**
 * Stores `position` as acknowledged if it is later than the stored one. Acknowledging an earlier (or the
 * same) position is ignored, so a retried or reordered acknowledgement never rewinds the subscription.
 * Returns whether the position advanced; NOT_FOUND unless the owner's.
 */
export async function acknowledge(db: Db, owner: string, subscriptionId: string, position: EventPosition): Promise<boolean> {
  await findSubscription(db, owner, subscriptionId);
  const updated = await db
    .update(eventSubscriptions)
    .set({ acknowledgedTxId: position.txId, acknowledgedEventId: position.id })
    .where(
      and(
        eq(eventSubscriptions.id, subscriptionId),
        eq(eventSubscriptions.ownerClient, owner),
        or(
          isNull(eventSubscriptions.acknowledgedTxId),
          sql`(${eventSubscriptions.acknowledgedTxId}, ${eventSubscriptions.acknowledgedEventId}) < (${position.txId}::xid8, ${position.id})`,
        ),
      ),
    )
    .returning({ id: eventSubscriptions.id });
  return updated.length > 0;
}

/** Per-request batching of filter reads (a list of subscriptions with their filters costs one statement). */
export function createSubscriptionLoaders(db: Db) {
  return {
    filters: new DataLoader<string, FilterRow[]>(
      traced('subscription.filters', async (ids) => {
        const rows = await db
          .select()
          .from(eventSubscriptionFilters)
          .where(inArray(eventSubscriptionFilters.subscriptionId, [...ids]))
          .orderBy(eventSubscriptionFilters.id);
        return groupBy(ids, rows, (r) => r.subscriptionId);
      }),
    ),
  };
}

export type SubscriptionLoaders = ReturnType<typeof createSubscriptionLoaders>;
