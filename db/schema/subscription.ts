import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { xid8 } from './columns.js';
import { CHANGE_EVENT_TYPE_NAMES } from '../../kernel/events.js';
import { FILTER_GROUPS } from '../../kernel/register-codes.js';

/**
 * The change-event outbox, written in the same transaction as the change it describes. Readers order
 * by (txId, id) and never read past the oldest transaction still in flight, so an event that commits
 * late is never skipped (db/outbox.ts).
 */
export const changeEvents = pgTable(
  'change_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    txId: xid8('tx_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    /** Domain event type, e.g. MOVE (CPR A01), NAME_CHANGE (A13), DEATH (A21). */
    type: text('type', { enum: CHANGE_EVENT_TYPE_NAMES }).notNull(),
    personId: uuid('person_id'),
    /** Canonical identifier of the person (or reserve identity) at the time of the event. */
    identifier: text('identifier'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    municipalityBefore: text('municipality_before'),
    municipalityAfter: text('municipality_after'),
    /** Birth date copied at write time so age-range filters need no cross-domain join. */
    birthDate: date('birth_date', { mode: 'string' }),
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [
    index('change_events_cursor_idx').on(t.txId, t.id),
    index('change_events_person_idx').on(t.personId),
    // Filtered pulls (subgraphs/subscription/filter.ts): a selective filter group reads its own index in log
    // order. Partial where the column is mostly null (municipalities are set on moves only).
    index('change_events_identifier_idx')
      .on(t.identifier, t.txId, t.id)
      .where(sql`${t.identifier} is not null`),
    index('change_events_type_idx').on(t.type, t.txId, t.id),
    index('change_events_municipality_after_idx')
      .on(t.municipalityAfter, t.txId, t.id)
      .where(sql`${t.municipalityAfter} is not null`),
    index('change_events_municipality_before_idx')
      .on(t.municipalityBefore, t.txId, t.id)
      .where(sql`${t.municipalityBefore} is not null`),
  ],
);

/** Durable event subscriptions (CPR Abonnement), owned by the client that created them. */
export const eventSubscriptions = pgTable(
  'event_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerClient: text('owner_client').notNull(),
    name: text('name'),
    /** Explicit catch-all: every event, filters ignored. Otherwise positive filters only. */
    catchAll: boolean('catch_all').notNull().default(false),
    /** Log position (db/outbox.ts EventPosition) the owner last acknowledged; pulls resume after it. Only moves forward. */
    acknowledgedTxId: xid8('acknowledged_tx_id'),
    acknowledgedEventId: bigint('acknowledged_event_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('event_subscriptions_owner_idx').on(t.ownerClient)],
);

/** Filters of a durable subscription. `filterGroup`: PERSON | AGE_RANGE | MUNICIPALITY | EVENT_TYPE. */
export const eventSubscriptionFilters = pgTable(
  'event_subscription_filters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => eventSubscriptions.id, { onDelete: 'cascade' }),
    filterGroup: text('filter_group', { enum: FILTER_GROUPS }).notNull(),
    /** Canonical identifier, municipality code or event type; null for AGE_RANGE. */
    value: text('value'),
    /** AGE_RANGE only: inclusive bounds in whole years. */
    minAge: integer('min_age'),
    maxAge: integer('max_age'),
  },
  (t) => [unique('event_subscription_filters_unique').on(t.subscriptionId, t.filterGroup, t.value, t.minAge, t.maxAge).nullsNotDistinct()],
);
