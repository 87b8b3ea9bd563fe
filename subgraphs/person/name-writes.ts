/**
 * Name changes (CPR A13 Navneændring; SE namnbyte). The current name's row ends on the new name's first
 * day and stays as a previous name (`Person.previousNames`); the name-word trigger (migration 0008)
 * rebuilds the person's search words from the new current name in the same transaction.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { personNames } from '../../db/schema/index.js';
import { userInputError } from '../../kernel/errors.js';
import type { Caller } from '../../kernel/caller.js';
import { nameSearchKey } from '../../kernel/search-key.js';
import { appendPersonEvent, requireEventDate, writeRegister, type Written } from './register-writes.js';
import type { ChangeNameInput } from './generated/resolvers.js';

function trimmed(value: string | null | undefined): string | null {
  return value?.trim() || null;
}

/** Ends the current name the day before `validFrom` and records the new one from that day. */
export function changeName(db: Db, caller: Caller, input: ChangeNameInput): Promise<Written> {
  return writeRegister(db, caller, input.personId, 'NAME', async (tx, subject) => {
    const givenNames = trimmed(input.givenNames);
    const middleName = trimmed(input.middleName);
    const familyName = trimmed(input.familyName);
    if (!givenNames && !familyName) throw userInputError('A name needs given names or a family name.', 'NAME_REQUIRED');
    const addressingName = trimmed(input.addressingName) ?? [familyName, givenNames].filter(Boolean).join(', ');
    const validFrom = requireEventDate(input.validFrom, 'input.validFrom', subject.row);
    const current = subject.row.name;
    if (current?.validFrom && validFrom <= current.validFrom)
      throw userInputError(`'input.validFrom' (${validFrom}) must be after the current name began (${current.validFrom}).`, 'DATE_OUT_OF_RANGE');
    if (
      current &&
      current.givenNames === givenNames &&
      current.middleName === middleName &&
      current.familyName === familyName &&
      current.addressingName === addressingName
    )
      throw userInputError('The person already has this name.', 'NO_CHANGE');

    await tx
      .update(personNames)
      .set({ validTo: validFrom })
      .where(and(eq(personNames.personId, subject.row.id), isNull(personNames.validTo)));
    await tx.insert(personNames).values({
      personId: subject.row.id,
      givenNames,
      middleName,
      familyName,
      addressingName,
      searchKey: nameSearchKey(givenNames, middleName, familyName),
      validFrom,
    });
    await appendPersonEvent(tx, subject, { type: 'NAME_CHANGE', details: { validFrom } });
    return { personId: subject.row.id };
  });
}
