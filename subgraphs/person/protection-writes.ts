/**
 * Protection markers started and ended (CPR A33 Beskyttelse; SE sekretessmarkering, skyddad
 * folkbokföring). The gateway masks by the markers it reads with every person, so a marker written here
 * masks the person's next read; nothing is cached in between.
 */
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { protectionMarkers } from '../../db/schema/index.js';
import { conflict, userInputError } from '../../kernel/errors.js';
import type { Caller } from '../../kernel/caller.js';
import { requireDate } from '../../kernel/validate.js';
import { appendPersonEvent, writeRegister, type Written } from './register-writes.js';
import type { MarkerRow } from './loaders.js';
import type { EndProtectionInput, StartProtectionInput } from './generated/resolvers.js';

/** Whether `[fromA, toA)` and `[fromB, toB)` share a day; null is open (as every validity column). */
function overlaps(fromA: string | null, toA: string | null, fromB: string | null, toB: string | null): boolean {
  return (toB === null || fromA === null || fromA < toB) && (toA === null || fromB === null || fromB < toA);
}

/** Starts a marker of `input.kind`; refused when one of that kind overlaps its period. */
export function startProtection(db: Db, caller: Caller, input: StartProtectionInput): Promise<Written> {
  return writeRegister(db, caller, input.personId, 'IDENTITY', async (tx, subject) => {
    const { row } = subject;
    if (!input.kind.startsWith(`${row.country}_`))
      throw userInputError(`${input.kind} is not a protection of the ${row.country} register, which keeps this person.`, 'PROTECTION_KIND');
    const validFrom = requireDate(input.validFrom, 'input.validFrom');
    const validTo = input.validTo == null ? null : requireDate(input.validTo, 'input.validTo');
    if (validTo !== null && validTo <= validFrom)
      throw userInputError(`'input.validTo' (${validTo}) must be after 'input.validFrom' (${validFrom}).`, 'EMPTY_RANGE');
    if (row.birthDate && validFrom < row.birthDate)
      throw userInputError(`'input.validFrom' (${validFrom}) is before the person's birth date (${row.birthDate}).`, 'EVENT_BEFORE_BIRTH');
    const clash = row.markers.find((m: MarkerRow) => m.kind === input.kind && overlaps(m.validFrom, m.validTo, validFrom, validTo));
    if (clash)
      throw conflict(`The person has a ${input.kind} marker from ${clash.validFrom ?? 'the start'} to ${clash.validTo ?? 'no end'} that overlaps this one.`, {
        reason: 'OVERLAPPING_MARKER',
      });
    await tx.insert(protectionMarkers).values({ personId: row.id, kind: input.kind, validFrom, validTo });
    await appendPersonEvent(tx, subject, { type: 'PROTECTION_CHANGE', details: { action: 'STARTED', kind: input.kind, validFrom, validTo } });
    return { personId: row.id };
  });
}

/** Ends the marker of `input.kind` in force on the day before `endsOn` (it began before `endsOn`, ends after it or never). */
export function endProtection(db: Db, caller: Caller, input: EndProtectionInput): Promise<Written> {
  return writeRegister(db, caller, input.personId, 'IDENTITY', async (tx, subject) => {
    const endsOn = requireDate(input.endsOn, 'input.endsOn');
    const ending = and(
      eq(protectionMarkers.personId, subject.row.id),
      eq(protectionMarkers.kind, input.kind),
      or(isNull(protectionMarkers.validFrom), lt(protectionMarkers.validFrom, endsOn)),
      or(isNull(protectionMarkers.validTo), gt(protectionMarkers.validTo, endsOn)),
    );
    // Markers of one kind never overlap (startProtection), so at most one spans the day before endsOn.
    const [ended] = await tx.update(protectionMarkers).set({ validTo: endsOn }).where(ending).returning();
    if (!ended) throw conflict(`The person has no ${input.kind} marker in force before ${endsOn} to end.`, { reason: 'NO_MARKER' });
    await appendPersonEvent(tx, subject, {
      type: 'PROTECTION_CHANGE',
      details: { action: 'ENDED', kind: input.kind, validFrom: ended.validFrom, validTo: endsOn },
    });
    return { personId: subject.row.id };
  });
}
