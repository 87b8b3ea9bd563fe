import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { contactDetails, persons } from '../../db/schema/index.js';
import { personColumns, personRow, type PersonRow } from './loaders.js';
import { conflict, notFound, protectedIdentity, userInputError } from '../../kernel/errors.js';
import { requirePersonId, requireScope } from '../../kernel/validate.js';
import type { Caller } from '../../kernel/caller.js';
import { isHidden, markersInForce } from '../../kernel/protection.js';
import type { ContactDetailsInput } from './generated/resolvers.js';

export const PERSON_WRITE_SCOPE = 'person:write';
const FIELDS = ['phone', 'email', 'preferredLanguage'] as const;
type Field = (typeof FIELDS)[number];

// The mutation's input as its SDL declares it (left out: keep; null: clear).
export type { ContactDetailsInput } from './generated/resolvers.js';

export type ContactRow = typeof contactDetails.$inferSelect;

/** Normalises and checks the values sent; only the fields present in the input change. */
function validate(input: ContactDetailsInput): Partial<Record<Field, string | null>> {
  const changes: Partial<Record<Field, string | null>> = {};
  for (const field of FIELDS) {
    if (!(field in input) || input[field] === undefined) continue;
    const value = input[field] === null ? null : input[field]!.trim() || null;
    if (value !== null) {
      if (field === 'phone' && !/^\+?\d[\d -]{4,20}\d$/.test(value)) {
        throw userInputError(`'phone' must be digits with an optional leading '+' and spaces or dashes; got '${value}'.`, 'PHONE');
      }
      if (field === 'email' && (value.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))) {
        throw userInputError(`'email' is not an e-mail address: '${value}'.`, 'EMAIL');
      }
      if (field === 'preferredLanguage' && !/^[a-z]{2}$/.test(value)) {
        throw userInputError(`'preferredLanguage' must be an ISO 639-1 code such as 'sv', 'da' or 'en'; got '${value}'.`, 'LANGUAGE');
      }
    }
    changes[field] = value;
  }
  if (!Number.isInteger(input.version) || input.version < 0)
    throw userInputError(`'version' must be the version you read (0 when none); got ${input.version}.`, 'VERSION');
  return changes;
}

/**
 * Optimistic concurrency: the row changes only if its version is still the one the caller read
 * (`update … where version = $read`, or an insert for version 0). A concurrent writer holding the same
 * version blocks on the row lock, then finds the version moved and gets CONFLICT.
 */
export async function updateContactDetails(db: Db, caller: Caller, input: ContactDetailsInput): Promise<{ row: ContactRow; person: PersonRow }> {
  requireScope(caller.scopes, PERSON_WRITE_SCOPE, `Updating contact details needs the scope '${PERSON_WRITE_SCOPE}'.`);
  const changes = validate(input);
  requirePersonId(input.personId, 'input.personId');

  return db.transaction(async (tx) => {
    // The whole person row, markers included: it answers the protection check here, and the payload's
    // `person` (which the gateway asks for the markers to mask by) from the request's loader afterwards.
    const [selected] = await tx
      .select({ ...personColumns, identifier: currentIdentifier })
      .from(persons)
      .where(eq(persons.id, input.personId));
    if (!selected) throw notFound(`No person has the id '${input.personId}'.`);
    const person = personRow(selected);
    if (
      isHidden(
        caller,
        markersInForce(person.markers).map((m) => m.kind),
        'CONTACT',
      )
    ) {
      throw protectedIdentity("This person's protected identity does not allow you to change their contact details.");
    }

    let row: ContactRow | undefined;
    if (input.version === 0) {
      [row] = await tx
        .insert(contactDetails)
        .values({ personId: input.personId, ...changes, version: 1 })
        .onConflictDoNothing()
        .returning();
    } else {
      [row] = await tx
        .update(contactDetails)
        .set({ ...changes, version: sql`${contactDetails.version} + 1`, updatedAt: new Date() })
        .where(and(eq(contactDetails.personId, input.personId), eq(contactDetails.version, input.version)))
        .returning();
    }
    if (!row) {
      const [current] = await tx.select({ version: contactDetails.version }).from(contactDetails).where(eq(contactDetails.personId, input.personId));
      throw conflict(
        `The contact details changed since you read them (you sent version ${input.version}, the current version is ${current?.version ?? 0}); read them again and retry.`,
        { currentVersion: current?.version ?? 0 },
      );
    }
    await appendChangeEvents(tx, [
      {
        type: 'CONTACT_DETAILS_CHANGE',
        personId: input.personId,
        identifier: selected.identifier,
        birthDate: person.birthDate,
        details: { version: row.version, changedFields: Object.keys(changes) },
      },
    ]);
    return { row, person };
  });
}

const currentIdentifier = sql<string | null>`(select i.value from person_identifiers i where i.person_id = persons.id and i.valid_to is null
  order by i.valid_from desc nulls last, i.id desc limit 1)`;
