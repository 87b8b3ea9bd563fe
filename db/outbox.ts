import type { ChangeEventType } from '../kernel/events.js';
import { sql, type SQL } from 'drizzle-orm';
import { listenerOf, selectRows, type Db } from './client.js';
import { changeEvents } from './schema/index.js';

/**
 * NOTIFY channel of committed change events. The NOTIFY is issued inside the writing transaction, so
 * Postgres delivers it at commit and drops it on rollback; the payload is empty — the outbox is the
 * source of truth, the notification only says "read again".
 */
export const CHANGE_EVENTS_CHANNEL = 'folkreg_change_events';

/** Anything that can run drizzle statements: the database or an open transaction. */
export type Executor = Pick<Db, 'insert' | 'select' | 'execute'>;

export interface NewChangeEvent {
  type: ChangeEventType;
  personId?: string | null;
  identifier?: string | null;
  occurredAt?: Date;
  municipalityBefore?: string | null;
  /** A value, or an expression the insert evaluates (the ingest reads the person's municipality after its writes so). */
  municipalityAfter?: string | null | SQL;
  birthDate?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends events in the caller's transaction: the event commits if and only if the change does.
 * Call it with the transaction handle, never with the database.
 */
export async function appendChangeEvents(tx: Executor, events: NewChangeEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(changeEvents).values(
    events.map((e) => ({
      type: e.type,
      personId: e.personId ?? null,
      identifier: e.identifier ?? null,
      occurredAt: e.occurredAt ?? new Date(),
      municipalityBefore: e.municipalityBefore ?? null,
      municipalityAfter: e.municipalityAfter ?? null,
      birthDate: e.birthDate ?? null,
      details: e.details ?? {},
    })),
  );
  await tx.execute(sql`select pg_notify(${CHANGE_EVENTS_CHANNEL}, '')`);
}

/** Position in the event log: the writing transaction's id, then the event's id within the log. */
export interface EventPosition {
  txId: string;
  id: number;
}

export type ChangeEventRow = typeof changeEvents.$inferSelect;

/**
 * The read horizon: the oldest transaction still in flight in this database, or the next transaction id
 * when none is. Every event below it is committed (or rolled back) and visible; an event of a
 * transaction still in flight gets a txId at or above it and is read on a later call, never skipped.
 *
 * Transaction ids are cluster-wide, so `pg_snapshot_xmin` alone would let a long transaction in another
 * database on the same server hold back our events. In-flight ids that pg_stat_activity shows as
 * belonging to another database are left out; an id it cannot place is kept, so the horizon errs
 * towards waiting, never towards skipping.
 */
export const readHorizon = sql`(
  select coalesce(
    (select min(x) from pg_snapshot_xip(pg_current_snapshot()) as x
      where (x::text::numeric % 4294967296) not in (
        select backend_xid::text::numeric from pg_stat_activity
        where backend_xid is not null and datname is distinct from current_database())),
    pg_snapshot_xmax(pg_current_snapshot())))`;

/** Reads up to `limit` committed events after `after`, in log order, stopping at the read horizon. */
export async function readChangeEvents(db: Executor, after: EventPosition | null, limit: number): Promise<ChangeEventRow[]> {
  const afterClause = after ? sql`and (${changeEvents.txId}, ${changeEvents.id}) > (${after.txId}::xid8, ${after.id})` : sql``;
  return db
    .select()
    .from(changeEvents)
    .where(sql`${changeEvents.txId} < ${readHorizon} ${afterClause}`)
    .orderBy(changeEvents.txId, changeEvents.id)
    .limit(limit);
}

/** Compares log positions: negative when `a` comes first. */
export function comparePositions(a: EventPosition, b: EventPosition): number {
  const tx = BigInt(a.txId) - BigInt(b.txId);
  return tx !== 0n ? (tx < 0n ? -1 : 1) : a.id - b.id;
}

/**
 * Committed events after `after` that a reader can see now (below the read horizon), counted up to
 * `cap`: how far a reader at `after` is behind the head. One index range scan of at most `cap` entries.
 */
export async function countEventsAfter(db: Executor, after: EventPosition | null, cap: number): Promise<number> {
  const afterClause = after ? sql`and (tx_id, id) > (${after.txId}::xid8, ${after.id})` : sql``;
  const [row] = await selectRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from (select 1 from change_events where tx_id < ${readHorizon} ${afterClause} limit ${cap}) behind`,
  );
  return Number(row?.n ?? 0);
}

export interface LogHead {
  /** The newest event a reader can see now; null while none is. */
  head: EventPosition | null;
  /** Whether committed or in-flight events wait beyond the read horizon (an older transaction is open). */
  pending: boolean;
}

/** Where the readable log ends, in one statement at one snapshot. */
export async function readHead(db: Executor): Promise<LogHead> {
  const [row] = await selectRows<{ tx_id: string | null; id: number | string | null; pending: boolean }>(
    db,
    sql`select e.tx_id::text as tx_id, e.id, exists (select 1 from change_events p where p.tx_id >= h.horizon) as pending
        from (select ${readHorizon} as horizon) h
        left join lateral (
          select tx_id, id from change_events where tx_id < h.horizon order by tx_id desc, id desc limit 1
        ) e on true`,
  );
  return { head: row?.tx_id ? { txId: row.tx_id, id: Number(row.id) } : null, pending: Boolean(row?.pending) };
}

/**
 * Resolves at the next commit of change events seen by this database handle's LISTEN. One LISTEN per
 * handle, however many wait; `ready` resolves once it is in place, so no commit after it is missed.
 */
export interface CommitSignal {
  ready: Promise<void>;
  next(): Promise<void>;
}

const signals = new WeakMap<Db, CommitSignal>();

export function commitSignal(db: Db): CommitSignal {
  let signal = signals.get(db);
  if (!signal) {
    let waiters: (() => void)[] = [];
    const ready = listenerOf(db)(CHANGE_EVENTS_CHANNEL, () => {
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    }).then(() => undefined);
    signal = { ready, next: () => new Promise<void>((wake) => waiters.push(wake)) };
    signals.set(db, signal);
  }
  return signal;
}

/**
 * Gives the events about reserve identities `identifiers` that concern no person yet (written while the
 * identity was linked to nobody) the person it is now linked to: they restate that person's reserve ID
 * and birth date, so that person's protection must mask them from now on. Only `person_id` changes; an
 * event's place in the log stays. Call it in the linking transaction.
 */
export async function assignReserveIdentityEvents(tx: Executor, identifiers: string[], personId: string): Promise<void> {
  if (identifiers.length === 0) return;
  await tx.execute(sql`update change_events set person_id = ${personId}::uuid
    where type = 'RESERVE_IDENTITY_CHANGE' and person_id is null
      and identifier in (select json_array_elements_text(${JSON.stringify(identifiers)}::json))`);
}
