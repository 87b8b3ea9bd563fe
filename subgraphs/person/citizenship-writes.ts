/**
 * Citizenship changes (CPR record 010; SE medborgarskap): the person's whole set, from a day. The periods
 * (`person_citizenships`, `Person.citizenshipHistory`) are written here with the day; the set
 * (`persons.citizenships`) after them, so the trigger that keeps the two in step (migration 0041) finds
 * nothing left to do.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { personCitizenships, persons } from '../../db/schema/index.js';
import { userInputError } from '../../kernel/errors.js';
import type { Caller } from '../../kernel/caller.js';
import { appendPersonEvent, requireEventDate, writeRegister, type Written } from './register-writes.js';
import type { ChangeCitizenshipsInput } from './generated/resolvers.js';

/**
 * Replaces the person's citizenships from `validFrom`; the event names the set before and after. A
 * dropped country's period ends on `validFrom` (exclusive, as every `valid_to` of the register: the
 * last day held is the day before), a new country's starts on it. DATE_OUT_OF_RANGE, nothing written,
 * when the day is not after a dropped country's start, before a kept country's start, or before the
 * end of a new country's earlier period (the two would overlap).
 */
export function changeCitizenships(db: Db, caller: Caller, input: ChangeCitizenshipsInput): Promise<Written> {
  return writeRegister(db, caller, input.personId, 'CITIZENSHIP', async (tx, subject) => {
    const codes = [...new Set(input.citizenships.map((c) => c.trim().toUpperCase()))].sort();
    const bad = codes.find((c) => !/^[A-Z]{2}$/.test(c));
    if (bad !== undefined) throw userInputError(`Citizenships are ISO 3166-1 alpha-2 codes such as SE or DK; got '${bad}'.`, 'COUNTRY');
    const validFrom = requireEventDate(input.validFrom, 'input.validFrom', subject.row);
    const before = [...subject.row.citizenships].sort();
    if (before.join() === codes.join()) throw userInputError('The person has these citizenships already.', 'NO_CHANGE');

    const periods = await tx.select().from(personCitizenships).where(eq(personCitizenships.personId, subject.row.id));
    const outOfRange = (message: string) => userInputError(message, 'DATE_OUT_OF_RANGE');
    const dropped = before.filter((c) => !codes.includes(c));
    const added = codes.filter((c) => !before.includes(c));
    for (const p of periods) {
      if (p.validTo !== null) {
        if (added.includes(p.country) && p.validTo > validFrom)
          throw outOfRange(`'input.validFrom' (${validFrom}) is before the person's earlier ${p.country} citizenship ended (${p.validTo}).`);
      } else if (p.validFrom !== null && (dropped.includes(p.country) ? p.validFrom >= validFrom : p.validFrom > validFrom)) {
        throw outOfRange(`'input.validFrom' (${validFrom}) must be after the person's ${p.country} citizenship began (${p.validFrom}).`);
      }
    }

    if (dropped.length > 0)
      await tx
        .update(personCitizenships)
        .set({ validTo: validFrom })
        .where(and(eq(personCitizenships.personId, subject.row.id), isNull(personCitizenships.validTo), inArray(personCitizenships.country, dropped)));
    if (added.length > 0) await tx.insert(personCitizenships).values(added.map((country) => ({ personId: subject.row.id, country, validFrom })));
    await tx.update(persons).set({ citizenships: codes, updatedAt: new Date() }).where(eq(persons.id, subject.row.id));
    await appendPersonEvent(tx, subject, { type: 'CITIZENSHIP_CHANGE', details: { validFrom, from: before, to: codes } });
    return { personId: subject.row.id };
  });
}
