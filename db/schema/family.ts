import { bigserial, date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { recorded, validity } from './columns.js';
import { FAMILY_RELATION_KINDS } from '../../kernel/register-codes.js';

/**
 * A relation from `personId` to a relative, as the register states it for `personId` (each side of a
 * relation is its own row, as in CPR records 012–016). A relative CPR knows only by birth date and name
 * has `relativePersonId = null` and `relativeName`/`relativeBirthDate` set.
 */
export const familyRelations = pgTable(
  'family_relations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: uuid('person_id').notNull(),
    kind: text('kind', { enum: FAMILY_RELATION_KINDS }).notNull(),
    relativePersonId: uuid('relative_person_id'),
    relativeName: text('relative_name'),
    relativeBirthDate: date('relative_birth_date', { mode: 'string' }),
    ...validity,
    ...recorded,
  },
  (t) => [
    index('family_relations_person_idx').on(t.personId, t.id),
    // Who names this person as their relative (the reverse side, and a person's removal or merge).
    index('family_relations_relative_idx').on(t.relativePersonId),
  ],
);
