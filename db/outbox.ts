import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { changeEvents } from './schema/index.js';

/**
 * Change-event types. The CPR change code (hændelse, cprbroker CprEvents.txt) is given where one exists;
 * the Swedish Navet aviseringar have no per-type code list we can cite.
 */
export const CHANGE_EVENT_TYPES = {
  PERSON_REGISTERED: null,
  MOVE: 'A01',
  DISAPPEARANCE: 'A02',
  REAPPEARANCE: 'A03',
  IMMIGRATION: 'A04',
  EMIGRATION: 'A06',
  ADDRESS_CORRECTION: 'A09',
  NAME_CHANGE: 'A13',
  DEATH: 'A21',
  CIVIL_STATUS_CHANGE: 'A24',
  PROTECTION_CHANGE: 'A33',
  IDENTIFIER_ANNULLED: 'A40',
  IDENTIFIER_CHANGE: 'P03',
  GUARDIANSHIP: 'A73',
  FAMILY_RELATION_CHANGE: null,
  CONTACT_DETAILS_CHANGE: null,
  RESERVE_IDENTITY_CHANGE: null,
} as const satisfies Record<string, string | null>;

export type ChangeEventType = keyof typeof CHANGE_EVENT_TYPES;

/** Anything that can run drizzle statements: the database or an open transaction. */
export type Executor = Pick<Db, 'insert' | 'select' | 'execute'>;

export interface NewChangeEvent {
  type: ChangeEventType;
  personId?: string | null;
  identifier?: string | null;
  occurredAt?: Date;
  municipalityBefore?: string | null;
  municipalityAfter?: string | null;
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
