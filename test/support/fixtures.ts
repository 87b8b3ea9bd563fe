import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { nameSearchKey } from '../../kernel/search-key.js';
import {
  addresses,
  familyRelations,
  municipalities,
  personIdentifiers,
  personNames,
  persons,
  reserveIdentities,
  reserveIdentityLinks,
} from '../../db/schema/index.js';

export interface FixturePerson {
  id: string;
  identifier: string;
  givenNames: string;
  familyName: string;
}

let serial = 0;

/** Inserts one person with a current identifier, name and (optionally) registered address. */
export async function insertPerson(
  db: Db,
  p: {
    identifier: string;
    kind?: (typeof personIdentifiers.$inferInsert)['kind'];
    country?: 'SE' | 'DK';
    givenNames: string;
    familyName: string;
    birthDate?: string;
    sex?: (typeof persons.$inferInsert)['sex'];
    municipalityCode?: string | null;
  },
): Promise<FixturePerson> {
  const id = randomUUID();
  const country = p.country ?? 'SE';
  await db.insert(persons).values({
    id,
    country,
    birthDate: p.birthDate ?? null,
    sex: p.sex ?? 'FEMALE',
    status: 'ACTIVE',
    civilStatus: 'MARRIED',
    citizenships: [country],
    registeringAuthority: country === 'SE' ? 'Skatteverket' : 'CPR-kontoret',
  });
  await db
    .insert(personIdentifiers)
    .values({ personId: id, kind: p.kind ?? (country === 'SE' ? 'PERSONAL_IDENTITY_NUMBER' : 'CPR_NUMBER'), value: p.identifier });
  await db.insert(personNames).values({
    personId: id,
    givenNames: p.givenNames,
    familyName: p.familyName,
    addressingName: `${p.familyName}, ${p.givenNames}`,
    searchKey: nameSearchKey(p.givenNames, null, p.familyName),
    validFrom: '2000-01-01',
  });
  if (p.municipalityCode !== null) {
    const code = p.municipalityCode ?? (country === 'SE' ? '0180' : '101');
    await db
      .insert(municipalities)
      .values({ code, country, name: country === 'SE' ? 'Stockholm' : 'København' })
      .onConflictDoNothing();
    await db.insert(addresses).values({
      personId: id,
      kind: 'REGISTERED',
      countryCode: country,
      municipalityCode: code,
      streetName: 'Storgatan',
      houseNumber: String(++serial),
      postalCode: '111 22',
      postalDistrict: 'Stockholm',
      deliveryLines: [`Storgatan ${serial}`],
      validFrom: '2010-05-01',
    });
  }
  return { id, identifier: p.identifier, givenNames: p.givenNames, familyName: p.familyName };
}

export async function relate(
  db: Db,
  personId: string,
  kind: (typeof familyRelations.$inferInsert)['kind'],
  relative: { id: string } | { name: string; birthDate: string },
  validTo: string | null = null,
) {
  await db.insert(familyRelations).values({
    personId,
    kind,
    relativePersonId: 'id' in relative ? relative.id : null,
    relativeName: 'name' in relative ? relative.name : null,
    relativeBirthDate: 'birthDate' in relative ? relative.birthDate : null,
    validFrom: '2001-01-01',
    validTo,
  });
}

/** Links a new national reserve ID to the person. */
export async function linkReserveIdentity(db: Db, personId: string, value: string, targetValue: string) {
  const id = randomUUID();
  await db.insert(reserveIdentities).values({ id, kind: 'NATIONAL_RESERVE_ID', value, givenNames: 'Okänd', familyName: 'Reserv' });
  await db.insert(reserveIdentityLinks).values({ reserveIdentityId: id, targetKind: 'PERSONAL_IDENTITY_NUMBER', targetValue, targetPersonId: personId });
}

export async function recordMove(db: Db, personId: string, identifier: string, before: string, after: string) {
  await db.transaction((tx) =>
    appendChangeEvents(tx, [
      { type: 'MOVE', personId, identifier, municipalityBefore: before, municipalityAfter: after, occurredAt: new Date('2025-03-01T00:00:00Z') },
    ]),
  );
}
