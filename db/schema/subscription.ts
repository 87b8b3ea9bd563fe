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

/**
 * A durable subscription's webhook (README "Delivery" → "Webhooks"): where its events are pushed, the
 * Standard Webhooks secret they are signed with, whose eyes they are read with (the owner's identity as
 * it set the webhook), and the delivery state that the gateways' workers lease one row at a time
 * (`FOR UPDATE SKIP LOCKED`), so one subscription's batches go out one at a time and in log order.
 */
export const eventSubscriptionWebhooks = pgTable(
  'event_subscription_webhooks',
  {
    subscriptionId: uuid('subscription_id')
      .primaryKey()
      .references(() => eventSubscriptions.id, { onDelete: 'cascade' }),
    endpoint: text('endpoint').notNull(),
    /** `whsec_` + base64 of 32 random bytes; written once, never returned by a query. */
    secret: text('secret').notNull(),
    /** The owner's identity when the webhook was set: deliveries are read and masked as this caller. */
    ownerSubject: text('owner_subject').notNull(),
    ownerClient: text('owner_client'),
    ownerScopes: text('owner_scopes').array().notNull(),
    ownerRole: text('owner_role'),
    ownerPurpose: text('owner_purpose'),
    /** ACTIVE (delivering) or PAUSED (after too many failures, or a refused endpoint; resumed by the owner). */
    state: text('state', { enum: ['ACTIVE', 'PAUSED'] })
      .notNull()
      .default('ACTIVE'),
    /** Log position delivered up to (db/outbox.ts EventPosition); null: from the subscription's acknowledged position. */
    positionTxId: xid8('position_tx_id'),
    positionEventId: bigint('position_event_id', { mode: 'number' }),
    /** Events in the batch being retried: a retry re-reads the same events, so it keeps its webhook-id. */
    batchCount: integer('batch_count'),
    /** Failed attempts of the batch in flight (0 after a success). */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The lease a worker holds while it delivers one batch; expired leases (a crashed worker) are taken over. */
    leaseToken: uuid('lease_token'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    lastErrorStatus: integer('last_error_status'),
    lastErrorMessage: text('last_error_message'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true, mode: 'date' }),
    lastErrorAttempts: integer('last_error_attempts'),
    lastDeliveredAt: timestamp('last_delivered_at', { withTimezone: true, mode: 'date' }),
    deliveredEvents: bigint('delivered_events', { mode: 'number' }).notNull().default(0),
    failedAttempts: bigint('failed_attempts', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('event_subscription_webhooks_due_idx').on(t.state, t.nextAttemptAt)],
);
