/**
 * Civil-status changes (CPR A24 Ændring af civilstandsdata; SE civilstånd), on both sides where both
 * persons are in the register: a marriage or partnership names the partner on each side
 * (`civil_status_partner_id`, CPR record 012's spouse PNR), and its ending changes both.
 */
import { eq } from 'drizzle-orm';
import { persons } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import { conflict, notFound, userInputError } from '../../kernel/errors.js';
import type { Caller } from '../../kernel/caller.js';
import type { CivilStatus } from '../../kernel/register-codes.js';
import { isUuid, requirePersonId } from '../../kernel/validate.js';
import { lockPerson } from '../shared/writes.js';
import { appendPersonEvent, readSubject, requireEventDate, requireVisible, writeRegister, type Subject, type Tx } from './register-writes.js';
import type { Written } from './life-events.js';
import type { ChangeCivilStatusInput } from './generated/resolvers.js';

/** Statuses of a person in a marriage or partnership now. */
const UNITED: readonly string[] = ['MARRIED', 'REGISTERED_PARTNERSHIP'];
/** The union each ending ends, and whether the ending changes the partner too (not when they died). */
const ENDINGS: Partial<Record<CivilStatus, { ends: CivilStatus; bothSides: boolean }>> = {
  DIVORCED: { ends: 'MARRIED', bothSides: true },
  DISSOLVED_PARTNERSHIP: { ends: 'REGISTERED_PARTNERSHIP', bothSides: true },
  WIDOWED: { ends: 'MARRIED', bothSides: false },
  SURVIVING_PARTNER: { ends: 'REGISTERED_PARTNERSHIP', bothSides: false },
};

/** Records the new civil status of the person and, for a union or a divorce, of the partner. */
export async function changeCivilStatus(db: Db, caller: Caller, input: ChangeCivilStatusInput): Promise<Written> {
  const status = input.civilStatus;
  if (status === 'UNMARRIED' || status === 'DECEASED')
    throw userInputError(`No civil-status change leads to ${status}${status === 'DECEASED' ? ': register the death with registerDeath' : ''}.`, 'CIVIL_STATUS');
  const partnerArg = input.partnerPersonId == null ? null : requirePersonId(input.partnerPersonId, 'input.partnerPersonId');
  // An ending changes the recorded partner too: lock them with the person, read (unlocked) beforehand.
  const alsoLock = partnerArg ? [partnerArg] : ENDINGS[status]?.bothSides ? await recordedPartner(db, input.personId) : [];
  return writeRegister(
    db,
    caller,
    input.personId,
    'CIVIL_STATUS',
    async (tx, subject) => {
      const since = requireEventDate(input.since, 'input.since', subject.row);
      requireAfterCurrent(subject, since);
      const ending = ENDINGS[status];
      if (ending) return end(tx, caller, subject, status, since, ending, partnerArg);
      if (partnerArg === subject.row.id) throw userInputError('A person cannot be their own spouse or partner.', 'RELATIVE');
      if (UNITED.includes(subject.row.civilStatus ?? ''))
        throw conflict(`The person is already ${subject.row.civilStatus} (since ${subject.row.civilStatusSince}).`, { reason: 'ALREADY_MARRIED' });
      const partner = partnerArg ? await readPartner(tx, caller, partnerArg, since) : null;
      if (partner && UNITED.includes(partner.row.civilStatus ?? ''))
        throw conflict(`The partner is ${partner.row.civilStatus} to someone else (since ${partner.row.civilStatusSince}).`, { reason: 'SPOUSE_MARRIED' });
      await record(tx, subject, status, since, partner?.row.id ?? null);
      if (partner) await record(tx, partner, status, since, subject.row.id);
      return { personId: subject.row.id };
    },
    alsoLock,
  );
}

/** The partner recorded for `personId` now, as a list of none or one id (read without a lock). */
async function recordedPartner(db: Db, personId: string): Promise<string[]> {
  if (!isUuid(personId)) return [];
  const [row] = await db.select({ partner: persons.civilStatusPartnerId }).from(persons).where(eq(persons.id, personId));
  return row?.partner ? [row.partner] : [];
}

/** DATE_OUT_OF_RANGE unless `since` is after the day the person's current civil status began. */
function requireAfterCurrent(subject: Subject, since: string): void {
  const current = subject.row.civilStatusSince;
  if (current && since <= current)
    throw userInputError(`'input.since' (${since}) must be after the current civil status began (${current}).`, 'DATE_OUT_OF_RANGE');
}

/** The partner, checked as the person is: registered, visible, alive on the day, born before it. */
async function readPartner(tx: Tx, caller: Caller, partnerId: string, since: string): Promise<Subject> {
  const partner = await readSubject(tx, partnerId);
  if (!partner) throw notFound(`No person has the id '${partnerId}'.`);
  requireVisible(caller, partner, 'CIVIL_STATUS');
  if (partner.row.status === 'DECEASED') throw userInputError('The partner is registered as deceased.', 'LIFE_STATUS');
  requireEventDate(since, 'input.since', partner.row);
  requireAfterCurrent(partner, since);
  return partner;
}

/** A divorce, dissolution or widowhood: ends the union the person is in, for the partner too where it is both sides'. */
async function end(
  tx: Tx,
  caller: Caller,
  subject: Subject,
  status: CivilStatus,
  since: string,
  ending: { ends: CivilStatus; bothSides: boolean },
  partnerArg: string | null,
): Promise<Written> {
  const { row } = subject;
  if (row.civilStatus !== ending.ends)
    throw conflict(`${status} ends a civil status of ${ending.ends}; the person is ${row.civilStatus ?? 'of no recorded civil status'}.`, {
      reason: 'NOT_MARRIED',
    });
  const partnerId = row.civilStatusPartnerId;
  if (partnerArg && partnerArg !== partnerId) throw userInputError("The partner given is not the person's recorded spouse or partner.", 'RELATIVE');
  // Locked with the person (`recordedPartner`); one recorded since that read is locked now.
  if (ending.bothSides && partnerId) await lockPerson(tx, 'person', partnerId);
  const partner = ending.bothSides && partnerId ? await readSubject(tx, partnerId) : null;
  const united = partner && partner.row.civilStatus === ending.ends && partner.row.civilStatusPartnerId === row.id ? partner : null;
  if (united) {
    requireVisible(caller, united, 'CIVIL_STATUS');
    requireEventDate(since, 'input.since', united.row);
    requireAfterCurrent(united, since);
  }
  await record(tx, subject, status, since, partnerId);
  if (united) await record(tx, united, status, since, row.id);
  return { personId: row.id };
}

/** Sets one person's civil status and appends their CIVIL_STATUS_CHANGE event. */
async function record(tx: Tx, subject: Subject, status: CivilStatus, since: string, partnerId: string | null): Promise<void> {
  await tx
    .update(persons)
    .set({ civilStatus: status, civilStatusSince: since, civilStatusPartnerId: partnerId, updatedAt: new Date() })
    .where(eq(persons.id, subject.row.id));
  await appendPersonEvent(tx, subject, {
    type: 'CIVIL_STATUS_CHANGE',
    details: { validFrom: since, from: subject.row.civilStatus, to: status, partnerPersonId: partnerId },
  });
}
