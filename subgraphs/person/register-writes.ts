/**
 * What every write of the register's own facts (life events, protection, names, civil status,
 * identifiers) shares: the scope, the locked person row it reads first, the checks of an event's date
 * against that person's life, and the change event it appends in the same transaction.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { appendChangeEvents, type NewChangeEvent } from '../../db/outbox.js';
import { persons } from '../../db/schema/index.js';
import { notFound, protectedIdentity, userInputError } from '../../kernel/errors.js';
import type { Caller } from '../../kernel/caller.js';
import { isHidden, markersInForce, type ProtectionCategory } from '../../kernel/protection.js';
import { requireDate, requirePersonId, requireScope } from '../../kernel/validate.js';
import { lockPerson, today } from '../shared/writes.js';
import { personColumns, personRow, type PersonRow } from './loaders.js';

/** The scope of every write of the register's own facts; never part of the `folkreg:read` bundle. */
export const REGISTER_WRITE_SCOPE = 'register:write';

/** Records an event's effect is read back by: the person's id (the payload loads the row afresh). */
export interface Written {
  personId: string;
}

/** A transaction of the person domain. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The person a register write concerns, read under its lock: the row and the current identifier. */
export interface Subject {
  row: PersonRow;
  identifier: string | null;
}

const currentIdentifier = sql<string | null>`(select i.value from person_identifiers i where i.person_id = persons.id and i.valid_to is null
  order by i.valid_from desc nulls last, i.id desc limit 1)`;

/**
 * Runs `write` in one transaction for the person `personId` after the common checks: the caller holds
 * `register:write`, the id is a person id, the person exists (NOT_FOUND), and their protection does not
 * hide `category` from the caller (PROTECTED_IDENTITY). Writes of one person are serialised
 * (`lockPerson`), so the row `write` gets is the one its checks hold for until commit; `alsoLock` names
 * the other persons the write changes (a spouse), locked with it in one order so two writes never wait
 * for each other.
 */
export async function writeRegister<T>(
  db: Db,
  caller: Caller,
  personIdArgument: string,
  category: ProtectionCategory,
  write: (tx: Tx, subject: Subject) => Promise<T>,
  alsoLock: readonly string[] = [],
): Promise<T> {
  requireScope(caller.scopes, REGISTER_WRITE_SCOPE);
  const personId = requirePersonId(personIdArgument, 'input.personId');
  return db.transaction(async (tx) => {
    for (const id of [...new Set([personId, ...alsoLock])].sort()) await lockPerson(tx, 'person', id);
    const subject = await readSubject(tx, personId);
    if (!subject) throw notFound(`No person has the id '${personId}'.`);
    requireVisible(caller, subject, category);
    return write(tx, subject);
  });
}

/** PROTECTED_IDENTITY when the person's protection in force hides `category` from the caller. */
export function requireVisible(caller: Caller, subject: Subject, category: ProtectionCategory): void {
  const kinds = markersInForce(subject.row.markers).map((m) => m.kind);
  if (isHidden(caller, kinds, category)) throw protectedIdentity("This person's protected identity does not allow you to change this data.");
}

/** The person's row and current identifier (lock them first: `writeRegister`); null when nobody has the id. */
export async function readSubject(tx: Tx, personId: string): Promise<Subject | null> {
  const [selected] = await tx
    .select({ ...personColumns, identifier: currentIdentifier })
    .from(persons)
    .where(eq(persons.id, personId));
  return selected ? { row: personRow(selected), identifier: selected.identifier } : null;
}

/**
 * The day of an event in the person's life, checked: a real calendar date (IMPOSSIBLE_DATE), not in the
 * future (DATE_OUT_OF_RANGE), not before the birth date (EVENT_BEFORE_BIRTH) and, for a deceased
 * person, not after the death (EVENT_AFTER_DEATH).
 */
export function requireEventDate(value: string, argument: string, row: PersonRow): string {
  const day = requireDate(value, argument);
  if (day > today()) throw userInputError(`'${argument}' may not be in the future; got ${day}.`, 'DATE_OUT_OF_RANGE');
  if (row.birthDate && day < row.birthDate)
    throw userInputError(`'${argument}' (${day}) is before the person's birth date (${row.birthDate}).`, 'EVENT_BEFORE_BIRTH');
  if (row.status === 'DECEASED' && row.statusDate && day > row.statusDate)
    throw userInputError(`'${argument}' (${day}) is after the person's death (${row.statusDate}).`, 'EVENT_AFTER_DEATH');
  return day;
}

/** Appends the change event of a register write about `subject`, in the write's transaction. */
export function appendPersonEvent(tx: Tx, subject: Subject, event: Omit<NewChangeEvent, 'personId' | 'identifier' | 'birthDate'>): Promise<void> {
  return appendChangeEvents(tx, [{ personId: subject.row.id, identifier: subject.identifier, birthDate: subject.row.birthDate, ...event }]);
}
