/** Citizenship changes (CPR record 010; SE medborgarskap): the person's whole set, from a day. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { persons } from '../../db/schema/index.js';
import { userInputError } from '../../kernel/errors.js';
import type { Caller } from '../../kernel/caller.js';
import { appendPersonEvent, requireEventDate, writeRegister, type Written } from './register-writes.js';
import type { ChangeCitizenshipsInput } from './generated/resolvers.js';

/** Replaces the person's citizenships; the event names the set before and after. */
export function changeCitizenships(db: Db, caller: Caller, input: ChangeCitizenshipsInput): Promise<Written> {
  return writeRegister(db, caller, input.personId, 'CITIZENSHIP', async (tx, subject) => {
    const codes = [...new Set(input.citizenships.map((c) => c.trim().toUpperCase()))].sort();
    const bad = codes.find((c) => !/^[A-Z]{2}$/.test(c));
    if (bad !== undefined) throw userInputError(`Citizenships are ISO 3166-1 alpha-2 codes such as SE or DK; got '${bad}'.`, 'COUNTRY');
    const validFrom = requireEventDate(input.validFrom, 'input.validFrom', subject.row);
    const before = [...subject.row.citizenships].sort();
    if (before.join() === codes.join()) throw userInputError('The person has these citizenships already.', 'NO_CHANGE');
    await tx.update(persons).set({ citizenships: codes, updatedAt: new Date() }).where(eq(persons.id, subject.row.id));
    await appendPersonEvent(tx, subject, { type: 'CITIZENSHIP_CHANGE', details: { validFrom, from: before, to: codes } });
    return { personId: subject.row.id };
  });
}
