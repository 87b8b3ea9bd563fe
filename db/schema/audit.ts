import { bigserial, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Durable record of every release of protected fields to an entitled caller (written before the response). */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    subject: text('subject').notNull(),
    client: text('client'),
    personId: uuid('person_id').notNull(),
    fields: text('fields').array().notNull(),
    operationName: text('operation_name'),
    purpose: text('purpose'),
  },
  (t) => [index('audit_events_person_idx').on(t.personId, t.at)],
);
