import { customType, date, timestamp } from 'drizzle-orm/pg-core';

/**
 * Validity shared by every dated register fact (names, addresses, relations, markers, links):
 * `validFrom` inclusive, `validTo` exclusive, `null` = still valid. History is kept by ending a
 * row (setting `validTo`), never by deleting it.
 */
export const validity = {
  validFrom: date('valid_from', { mode: 'string' }),
  validTo: date('valid_to', { mode: 'string' }),
};

/** When our own register recorded the row (not when the fact happened). */
export const recorded = {
  recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/**
 * Postgres `xid8`: the 64-bit id of the writing transaction. The change-event cursor orders by it so
 * a reader never passes a transaction that is still in flight (see db/outbox.ts).
 */
export const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});
