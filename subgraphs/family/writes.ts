import { and, eq, isNull, or, gt, sql } from 'drizzle-orm';
import { conflict } from '../../kernel/errors.js';
import type { Db } from '../../db/client.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { familyRelations } from '../../db/schema/index.js';
import type { PersonFacts } from '../shared/writes.js';
import { today } from '../shared/writes.js';
import type { RelationRow } from './loaders.js';

type Tx = Pick<Db, 'insert' | 'select' | 'execute' | 'update'>;

const returned = {
  id: familyRelations.id,
  personId: familyRelations.personId,
  kind: familyRelations.kind,
  relativePersonId: familyRelations.relativePersonId,
  relativeName: familyRelations.relativeName,
  relativeBirthDate: familyRelations.relativeBirthDate,
  validFrom: familyRelations.validFrom,
  validTo: familyRelations.validTo,
};

function event(person: PersonFacts | null, personId: string, action: 'ADDED' | 'ENDED', row: RelationRow) {
  return {
    type: 'FAMILY_RELATION_CHANGE' as const,
    personId,
    identifier: person?.identifier ?? null,
    birthDate: person?.birthDate ?? null,
    details: { action, relationKind: row.kind, relationId: row.id, ...(row.relativePersonId ? { relativePersonId: row.relativePersonId } : {}) },
  };
}

/** Inserts one side of a relation and its ADDED event; CONFLICT when the same relation is current already. */
export async function insertRelation(tx: Tx, values: Omit<RelationRow, 'id' | 'validTo'>, person: PersonFacts): Promise<RelationRow> {
  const sameRelative = values.relativePersonId
    ? eq(familyRelations.relativePersonId, values.relativePersonId)
    : and(
        isNull(familyRelations.relativePersonId),
        sql`lower(${familyRelations.relativeName}) = lower(${values.relativeName})`,
        eq(familyRelations.relativeBirthDate, values.relativeBirthDate!),
      );
  const [existing] = await tx
    .select({ id: familyRelations.id })
    .from(familyRelations)
    .where(
      and(
        eq(familyRelations.personId, values.personId),
        eq(familyRelations.kind, values.kind),
        sameRelative,
        or(isNull(familyRelations.validTo), gt(familyRelations.validTo, today())),
      ),
    )
    .limit(1);
  if (existing) {
    throw conflict(`This ${values.kind} relation is already recorded and current (relation ${existing.id}).`, { relationId: String(existing.id) });
  }
  const [row] = await tx.insert(familyRelations).values(values).returning(returned);
  await appendChangeEvents(tx, [event(person, values.personId, 'ADDED', row!)]);
  return row!;
}

/**
 * Ends a relation from `until` and writes its ENDED event. `check` sees the row (locked) first and
 * throws to refuse; it returns the facts of the relation's person for the event.
 */
export async function endRelation(tx: Tx, id: number, until: string, check: (row: RelationRow) => Promise<PersonFacts | null>): Promise<RelationRow | null> {
  const [row] = await tx.select(returned).from(familyRelations).where(eq(familyRelations.id, id)).for('update');
  if (!row) return null;
  const person = await check(row);
  const [ended] = await tx.update(familyRelations).set({ validTo: until }).where(eq(familyRelations.id, id)).returning(returned);
  await appendChangeEvents(tx, [event(person, row.personId, 'ENDED', ended!)]);
  return ended!;
}
