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
import { appendPersonEvent, readSubject, requireEventDate, requireVisible, writeRegister, type Subject, type Tx, type Written } from './register-writes.js';
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
export async function recordedPartner(db: Db, personId: string): Promise<string[]> {
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
async function record(tx: Tx, subject: Subject, status: CivilStatus, since: string | null, partnerId: string | null): Promise<void> {
  await tx
    .update(persons)
    .set({ civilStatus: status, civilStatusSince: since, civilStatusPartnerId: partnerId, updatedAt: new Date() })
    .where(eq(persons.id, subject.row.id));
  await appendPersonEvent(tx, subject, {
    type: 'CIVIL_STATUS_CHANGE',
    details: { validFrom: since, from: subject.row.civilStatus, to: status, partnerPersonId: partnerId },
  });
}

/** What a death did to the surviving spouse or partner, kept in the DEATH event for its annulment to undo. */
export interface Widowing {
  widowedPartnerId: string;
  partnerCivilStatusBefore: CivilStatus;
  partnerCivilStatusSinceBefore: string | null;
}

const WIDOWHOOD: Partial<Record<string, CivilStatus>> = { MARRIED: 'WIDOWED', REGISTERED_PARTNERSHIP: 'SURVIVING_PARTNER' };

/**
 * The surviving spouse or partner of `deceased` (dying on `diedOn`), when both are in the register and
 * recorded as each other's: they become WIDOWED / SURVIVING_PARTNER from the day of the death, with their
 * own CIVIL_STATUS_CHANGE (A24), in the death's transaction. Not checked against the caller's view of
 * the partner: the widowhood follows from the death, and the caller is told nothing about the partner.
 * DATE_OUT_OF_RANGE when the death is before the marriage or partnership began. Call before the DEATH
 * event is appended (its details keep the answer), then `applyWidowing`.
 */
export async function survivorOf(tx: Tx, deceased: Subject, diedOn: string): Promise<{ survivor: Subject; widowing: Widowing } | null> {
  const { row } = deceased;
  const widowhood = WIDOWHOOD[row.civilStatus ?? ''];
  if (!widowhood) return null;
  if (row.civilStatusSince && diedOn < row.civilStatusSince)
    throw userInputError(`The death (${diedOn}) is before the person's ${row.civilStatus} began (${row.civilStatusSince}).`, 'DATE_OUT_OF_RANGE');
  if (!row.civilStatusPartnerId) return null;
  // Locked with the person when it was recorded before the transaction; one recorded since is locked now.
  await lockPerson(tx, 'person', row.civilStatusPartnerId);
  const partner = await readSubject(tx, row.civilStatusPartnerId);
  if (!partner || partner.row.status === 'DECEASED' || partner.row.civilStatus !== row.civilStatus || partner.row.civilStatusPartnerId !== row.id) return null;
  return {
    survivor: partner,
    widowing: {
      widowedPartnerId: partner.row.id,
      partnerCivilStatusBefore: partner.row.civilStatus as CivilStatus,
      partnerCivilStatusSinceBefore: partner.row.civilStatusSince,
    },
  };
}

/** Makes the survivor WIDOWED / SURVIVING_PARTNER from `diedOn`, still naming the deceased. */
export async function applyWidowing(tx: Tx, deceased: Subject, found: { survivor: Subject; widowing: Widowing }, diedOn: string): Promise<void> {
  await record(tx, found.survivor, WIDOWHOOD[found.widowing.partnerCivilStatusBefore]!, diedOn, deceased.row.id);
}

/**
 * Undoes the widowing of an annulled death: the survivor is MARRIED / REGISTERED_PARTNERSHIP again from
 * the day it began, with an A24 of their own — only while they are still the widow(er) of this death
 * (not remarried, not dead since); otherwise they keep the civil status they have now.
 */
export async function undoWidowing(tx: Tx, deceased: Subject, widowing: Widowing, diedOn: string | null): Promise<void> {
  await lockPerson(tx, 'person', widowing.widowedPartnerId);
  const survivor = await readSubject(tx, widowing.widowedPartnerId);
  if (!survivor || survivor.row.status === 'DECEASED') return;
  const { civilStatus, civilStatusPartnerId, civilStatusSince } = survivor.row;
  if (civilStatus !== WIDOWHOOD[widowing.partnerCivilStatusBefore] || civilStatusPartnerId !== deceased.row.id || civilStatusSince !== diedOn) return;
  await record(tx, survivor, widowing.partnerCivilStatusBefore, widowing.partnerCivilStatusSinceBefore, deceased.row.id);
}
