import { and, desc, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from '../../db/client.js';
import { readHorizon, type ChangeEventRow, type EventPosition } from '../../db/outbox.js';
import { changeEvents } from '../../db/schema/index.js';

export interface EventPage {
  rows: ChangeEventRow[];
  hasNextPage: boolean;
  /**
   * Where the next page starts: the last returned event, or — when the page is not full — the last event
   * scanned below the read horizon, matched or not, so a selective filter does not rescan the same events.
   * Null when nothing was scanned and there was no `after`.
   */
  endPosition: EventPosition | null;
}

function after(position: EventPosition | null): SQL | undefined {
  return position ? sql`(${changeEvents.txId}, ${changeEvents.id}) > (${position.txId}::xid8, ${position.id})` : undefined;
}

/**
 * A page of committed events after `from` that satisfy `condition`, in log order.
 *
 * All statements run in one read-only REPEATABLE READ transaction, so they see the snapshot the read
 * horizon was computed from: the "last scanned" position never passes an event the filtered read could
 * not see yet. That keeps filtered pulls exactly-once.
 */
export async function readEventPage(db: Db, from: EventPosition | null, first: number, condition: SQL | undefined): Promise<EventPage> {
  return db.transaction(
    async (tx) => {
      // The horizon as a value rather than a subquery: the planner can then estimate how much of the log
      // lies below it and pick the filter group's index when that is cheaper than walking the log.
      const [horizon] = await selectRows<{ h: string }>(tx, sql`select ${readHorizon}::text as h`);
      const below = sql`${changeEvents.txId} < ${horizon!.h}::xid8`;
      const rows = await tx
        .select()
        .from(changeEvents)
        .where(and(below, after(from), condition))
        .orderBy(changeEvents.txId, changeEvents.id)
        .limit(first + 1);
      if (rows.length > first) {
        const page = rows.slice(0, first);
        return { rows: page, hasNextPage: true, endPosition: position(page.at(-1)!) };
      }
      if (!condition) return { rows, hasNextPage: false, endPosition: rows.length ? position(rows.at(-1)!) : from };
      const [last] = await tx
        .select({ txId: changeEvents.txId, id: changeEvents.id })
        .from(changeEvents)
        .where(and(below, after(from)))
        .orderBy(desc(changeEvents.txId), desc(changeEvents.id))
        .limit(1);
      return { rows, hasNextPage: false, endPosition: last ? position(last) : from };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function position(row: Pick<ChangeEventRow, 'txId' | 'id'>): EventPosition {
  return { txId: row.txId, id: row.id };
}
