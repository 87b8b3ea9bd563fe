/**
 * Identifier changes and annulments (CPR P03, A40). A replaced number is never deleted: its row ends
 * (`valid_to`) and keeps finding the person, as every lookup reads all of a person's numbers.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { personIdentifiers, persons } from '../../db/schema/index.js';
import { conflict, userInputError } from '../../kernel/errors.js';
import type { Caller } from '../../kernel/caller.js';
import { parseOrReject } from '../../kernel/validate.js';
import { personIdsByIdentifier, today } from '../shared/writes.js';
import { appendPersonEvent, requireEventDate, writeRegister, type Written } from './register-writes.js';
import type { AnnulIdentifierInput, ChangeIdentifierInput } from './generated/resolvers.js';

/** Kinds a person's own number can be (reserve IDs belong to the reserve-id domain). */
const PERSON_NUMBER_KINDS: readonly string[] = ['PERSONAL_IDENTITY_NUMBER', 'COORDINATION_NUMBER', 'CPR_NUMBER'];

/** Ends the current number on `validFrom` and records the new one from that day. */
export function changeIdentifier(db: Db, caller: Caller, input: ChangeIdentifierInput): Promise<Written> {
  return writeRegister(db, caller, input.personId, 'IDENTITY', async (tx, subject) => {
    const { row } = subject;
    const readings = parseOrReject(input.identifier, row.country).filter((r) => r.country === row.country);
    if (readings.length === 0) throw userInputError(`'${input.identifier}' is no number of the ${row.country} register.`, 'UNKNOWN_FORMAT');
    const numbers = readings.filter((r) => PERSON_NUMBER_KINDS.includes(r.kind));
    if (numbers.length === 0) throw userInputError(`'${input.identifier}' is a reserve identity, not a person's number.`, 'RESERVE_IDENTITY');
    if (numbers.length > 1) throw userInputError(`'${input.identifier}' reads as more than one number; send the 12-digit form.`, 'AMBIGUOUS');
    const next = numbers[0]!;
    const validFrom = requireEventDate(input.validFrom, 'input.validFrom', row);
    const [current] = await tx
      .select()
      .from(personIdentifiers)
      .where(and(eq(personIdentifiers.personId, row.id), isNull(personIdentifiers.validTo)));
    if (current?.validFrom && validFrom <= current.validFrom)
      throw userInputError(`'input.validFrom' (${validFrom}) must be after the current number began (${current.validFrom}).`, 'DATE_OUT_OF_RANGE');
    if ((await personIdsByIdentifier(tx, [next.canonical])).size > 0)
      throw conflict(`The number ${next.display} is already registered.`, { reason: 'DUPLICATE' });

    if (current) await tx.update(personIdentifiers).set({ validTo: validFrom }).where(eq(personIdentifiers.id, current.id));
    await tx.insert(personIdentifiers).values({ personId: row.id, kind: next.kind, value: next.canonical, validFrom });
    // A number replaced after a corrected birth date or legal sex states the corrected value.
    await tx
      .update(persons)
      .set({ birthDate: next.birthDate ?? row.birthDate, sex: next.sex ?? row.sex, updatedAt: new Date() })
      .where(eq(persons.id, row.id));
    await appendPersonEvent(
      tx,
      { ...subject, identifier: next.canonical },
      {
        type: 'IDENTIFIER_CHANGE',
        details: { validFrom, previousIdentifier: current?.value ?? null, identifierKind: next.kind },
      },
    );
    return { personId: row.id };
  });
}

/** Ends the current number today and marks the record ANNULLED (CPR STATUS 30). */
export function annulIdentifier(db: Db, caller: Caller, input: AnnulIdentifierInput): Promise<Written> {
  return writeRegister(db, caller, input.personId, 'IDENTITY', async (tx, subject) => {
    if (subject.row.status === 'ANNULLED') throw conflict("The person's record is annulled already.", { reason: 'ALREADY_ANNULLED' });
    const day = today();
    await tx
      .update(personIdentifiers)
      .set({ validTo: day })
      .where(and(eq(personIdentifiers.personId, subject.row.id), isNull(personIdentifiers.validTo)));
    // ANNULLED is no life event the status trigger follows (migration 0010): the record's own state.
    await tx.update(persons).set({ status: 'ANNULLED', statusDate: day, updatedAt: new Date() }).where(eq(persons.id, subject.row.id));
    await appendPersonEvent(tx, subject, { type: 'IDENTIFIER_ANNULLED', details: { validTo: day } });
    return { personId: subject.row.id };
  });
}
