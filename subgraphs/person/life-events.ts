/**
 * Life events: death and its annulment, disappearance and reappearance. Each writes only its change
 * event; the person's life status and status date follow from it in the same transaction (the trigger
 * of migrations 0010/0011), so a CPR extract writing the same events keeps the status the same way.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { changeEvents } from '../../db/schema/index.js';
import { conflict, userInputError } from '../../kernel/errors.js';
import type { Caller } from '../../kernel/caller.js';
import { appendPersonEvent, requireEventDate, writeRegister, type Subject, type Tx, type Written } from './register-writes.js';
import { applyWidowing, recordedPartner, survivorOf, undoWidowing, type Widowing } from './civil-status-writes.js';
import type { AnnulDeathInput, LifeEventInput, RegisterDeathInput } from './generated/resolvers.js';

export type { Written } from './register-writes.js';

/** Life statuses with no life events at all: the record itself was annulled or replaced. */
const CLOSED_RECORD = ['ANNULLED', 'REPLACED'];

function refuseClosedRecord(subject: Subject): void {
  if (CLOSED_RECORD.includes(subject.row.status))
    throw userInputError(`The person's record is ${subject.row.status}: it records no life events.`, 'LIFE_STATUS');
}

/**
 * DEATH (A21): DECEASED from `diedOn`; the event keeps the status it ends, for an annulment to restore.
 * The surviving spouse or partner in the register is widowed in the same transaction (`survivorOf`).
 */
export function registerDeath(db: Db, caller: Caller, input: RegisterDeathInput): Promise<Written> {
  return writeLifeStatusWithPartner(db, caller, input.personId, async (tx, subject) => {
    refuseClosedRecord(subject);
    if (subject.row.status === 'DECEASED')
      throw conflict(`The person is already registered as deceased (on ${subject.row.statusDate}).`, { reason: 'ALREADY_DEAD' });
    const diedOn = requireEventDate(input.diedOn, 'input.diedOn', subject.row);
    const survivor = await survivorOf(tx, subject, diedOn);
    await appendPersonEvent(tx, subject, {
      type: 'DEATH',
      municipalityBefore: subject.row.municipalityCode,
      details: { validFrom: diedOn, statusBefore: subject.row.status, statusDateBefore: subject.row.statusDate, ...survivor?.widowing },
    });
    if (survivor) await applyWidowing(tx, subject, survivor, diedOn);
    return { personId: subject.row.id };
  });
}

/** DEATH_ANNULLED (A25): back to the status the annulled DEATH event ended; a widowing it caused is undone. */
export function annulDeath(db: Db, caller: Caller, input: AnnulDeathInput): Promise<Written> {
  return writeLifeStatusWithPartner(db, caller, input.personId, async (tx, subject) => {
    if (subject.row.status !== 'DECEASED')
      throw conflict(`The person is not registered as deceased (life status ${subject.row.status}).`, { reason: 'NOT_DEAD' });
    const before = await deathBefore(tx, subject.row.id);
    await appendPersonEvent(tx, subject, {
      type: 'DEATH_ANNULLED',
      details: { annulledDeathOn: subject.row.statusDate, restoredStatus: before.status, restoredStatusDate: before.statusDate },
    });
    if (before.widowing) await undoWidowing(tx, subject, before.widowing, subject.row.statusDate);
    return { personId: subject.row.id };
  });
}

/**
 * A life-status write that may change the spouse or partner too (a death widows them, its annulment
 * undoes that; the deceased keeps naming them): the partner recorded now is locked with the person.
 */
async function writeLifeStatusWithPartner(db: Db, caller: Caller, personId: string, write: (tx: Tx, subject: Subject) => Promise<Written>): Promise<Written> {
  return writeRegister(db, caller, personId, 'LIFE_STATUS', write, await recordedPartner(db, personId));
}

/**
 * The status the person had before their death, and whom it widowed: from the last DEATH event. A death
 * recorded without one (a seeded or imported DECEASED row) restores ACTIVE with no date.
 */
async function deathBefore(tx: Tx, personId: string): Promise<{ status: string; statusDate: string | null; widowing: Widowing | null }> {
  const [death] = await tx
    .select({ details: changeEvents.details })
    .from(changeEvents)
    .where(and(eq(changeEvents.personId, personId), eq(changeEvents.type, 'DEATH')))
    .orderBy(desc(changeEvents.txId), desc(changeEvents.id))
    .limit(1);
  const d = (death?.details ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const widowedPartnerId = str(d.widowedPartnerId);
  const partnerCivilStatusBefore = str(d.partnerCivilStatusBefore);
  return {
    status: str(d.statusBefore) ?? 'ACTIVE',
    statusDate: str(d.statusDateBefore),
    widowing:
      widowedPartnerId && (partnerCivilStatusBefore === 'MARRIED' || partnerCivilStatusBefore === 'REGISTERED_PARTNERSHIP')
        ? { widowedPartnerId, partnerCivilStatusBefore, partnerCivilStatusSinceBefore: str(d.partnerCivilStatusSinceBefore) }
        : null,
  };
}

/** DISAPPEARANCE (A02): from ACTIVE only; the event names the municipality the person was registered in. */
export function registerDisappearance(db: Db, caller: Caller, input: LifeEventInput): Promise<Written> {
  return writeRegister(db, caller, input.personId, 'LIFE_STATUS', async (tx, subject) => {
    const on = requireEventDate(input.on, 'input.on', subject.row);
    const status = subject.row.status;
    if (status === 'DISAPPEARED')
      throw conflict(`The person is already registered as disappeared (since ${subject.row.statusDate}).`, { reason: 'ALREADY_DISAPPEARED' });
    if (status === 'DECEASED') throw userInputError(`The person is registered as deceased (${subject.row.statusDate}).`, 'EVENT_AFTER_DEATH');
    if (status !== 'ACTIVE') throw userInputError(`The person's life status is ${status}: only an active person can disappear.`, 'LIFE_STATUS');
    await appendPersonEvent(tx, subject, { type: 'DISAPPEARANCE', municipalityBefore: subject.row.municipalityCode, details: { validFrom: on } });
    return { personId: subject.row.id };
  });
}

/** REAPPEARANCE (A03): from DISAPPEARED only, on or after the disappearance. */
export function registerReappearance(db: Db, caller: Caller, input: LifeEventInput): Promise<Written> {
  return writeRegister(db, caller, input.personId, 'LIFE_STATUS', async (tx, subject) => {
    const on = requireEventDate(input.on, 'input.on', subject.row);
    if (subject.row.status !== 'DISAPPEARED')
      throw conflict(`The person is not registered as disappeared (life status ${subject.row.status}).`, { reason: 'NOT_DISAPPEARED' });
    if (subject.row.statusDate && on < subject.row.statusDate)
      throw userInputError(`'input.on' (${on}) is before the disappearance (${subject.row.statusDate}).`, 'DATE_OUT_OF_RANGE');
    await appendPersonEvent(tx, subject, { type: 'REAPPEARANCE', municipalityAfter: subject.row.municipalityCode, details: { validFrom: on } });
    return { personId: subject.row.id };
  });
}
