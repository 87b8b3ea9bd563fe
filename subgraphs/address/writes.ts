import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { readMunicipalityCode } from '../../kernel/municipalities.js';
import { addresses, municipalities } from '../../db/schema/index.js';
import { userInputError } from '../../kernel/errors.js';
import { lockPerson, today, type PersonFacts } from '../shared/writes.js';
import type { AddressRow } from './loaders.js';

type Tx = Pick<Db, 'insert' | 'select' | 'execute' | 'update'>;

export interface NewAddress {
  countryCode: string;
  municipalityCode?: string | null;
  roadCode?: string | null;
  streetName?: string | null;
  houseNumber?: string | null;
  floor?: string | null;
  sideDoor?: string | null;
  buildingNumber?: string | null;
  locality?: string | null;
  postalCode?: string | null;
  postalDistrict?: string | null;
  careOf?: string | null;
  deliveryLines?: string[] | null;
  standardAddressLine?: string | null;
}

/**
 * Life statuses a move can be registered in (EMIGRATED: moving back, or on abroad; DISAPPEARED: found
 * again at an address, which the move records as a REAPPEARANCE first). DECEASED, ANNULLED and REPLACED
 * records have no moves (LIFE_STATUS): no emigration of a dead person.
 */
const MOVABLE_STATUSES = ['ACTIVE', 'EMIGRATED', 'DISAPPEARED'];

function blankToNull(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

/** CPR STANDARDADR: `Street 12, 3. th`. */
function standardLine(a: NewAddress): string | null {
  if (!a.streetName) return null;
  const floor = a.floor ? `, ${a.floor}.${a.sideDoor ? ` ${a.sideDoor}` : ''}` : a.sideDoor ? `, ${a.sideDoor}` : '';
  return `${a.streetName.trim()}${a.houseNumber ? ` ${a.houseNumber.trim()}` : ''}${floor}`;
}

/**
 * Registers a move in the caller's transaction: validates the address against the person's register
 * country and the municipality table, ends the current registered/foreign address, inserts the new one
 * and appends the MOVE / EMIGRATION / IMMIGRATION event (after a REAPPEARANCE for a disappeared person).
 * The events set the person's life status in the same transaction (EMIGRATED from `movedOn`, ACTIVE again
 * on return or when found: the person domain's trigger on the log, migration 0010). Throws BAD_USER_INPUT
 * before writing anything.
 */
export async function registerMove(tx: Tx, person: PersonFacts, movedOn: string, input: NewAddress): Promise<AddressRow> {
  // Life status follows the move's event (migration 0009): a deceased, annulled or replaced record has no moves.
  if (!MOVABLE_STATUSES.includes(person.status)) {
    throw userInputError(`The person's life status is ${person.status}: the register records no move for them.`, 'LIFE_STATUS');
  }
  // A disappeared person registered at an address is found again (CPR genfinding, A03): the move ends the
  // disappearance on the day it is dated, and may not be dated before the disappearance.
  if (person.status === 'DISAPPEARED' && person.statusDate && movedOn < person.statusDate) {
    throw userInputError(`'movedOn' (${movedOn}) is before the person's disappearance (${person.statusDate}).`, 'DATE_OUT_OF_RANGE');
  }
  const country = input.countryCode.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw userInputError(`'countryCode' must be an ISO 3166-1 alpha-2 code such as SE or DK; got '${input.countryCode}'.`, 'COUNTRY');
  const foreign = country !== person.country;
  const lines = (input.deliveryLines ?? []).map((l) => l.trim()).filter(Boolean);
  let municipalityCode: string | null = null;
  let municipalityName: string | null = null;
  let countyCode: string | null = null;
  if (foreign) {
    if (input.municipalityCode)
      throw userInputError(
        `An address in ${country} is a foreign address for a person registered in ${person.country}; it has no municipality code.`,
        'INVALID_MUNICIPALITY_CODE',
      );
    if (lines.length < 1 || lines.length > 5) throw userInputError('A foreign address needs 1 to 5 delivery lines (CPR UDLANDADR1–5).', 'DELIVERY_LINES');
  } else {
    if (!input.municipalityCode) throw userInputError(`A registered address in ${country} needs a municipality code.`, 'INVALID_MUNICIPALITY_CODE');
    // The reading every search and event filter uses too (CPR's `0101` is stored `101`).
    const read = readMunicipalityCode(input.municipalityCode, country === 'SE' || country === 'DK' ? country : null);
    municipalityCode = 'municipality' in read ? read.municipality.code : null;
    const [m] = municipalityCode
      ? await tx
          .select()
          .from(municipalities)
          .where(and(eq(municipalities.country, country), eq(municipalities.code, municipalityCode)))
      : [];
    if (!m) throw userInputError(`'${input.municipalityCode}' is not a known ${country} municipality code.`, 'UNKNOWN_MUNICIPALITY');
    // CPR's Greenland codes: an address there is a foreign address of a person registered in DK.
    if (m.kind === 'CPR_SPECIAL')
      throw userInputError(`'${input.municipalityCode}' is CPR's code for ${m.name}, not a municipality of ${country}.`, 'UNKNOWN_MUNICIPALITY');
    municipalityName = m.name;
    countyCode = m.countyCode;
    if (!blankToNull(input.postalCode)) throw userInputError('A registered address needs a postal code.', 'POSTAL_CODE');
  }

  await lockPerson(tx, 'address', person.id);
  const movable = and(
    eq(addresses.personId, person.id),
    inArray(addresses.kind, ['REGISTERED', 'FOREIGN']),
    or(isNull(addresses.validTo), gt(addresses.validTo, today())),
  );
  const previous = await tx.select().from(addresses).where(movable);
  const latestStart =
    previous
      .map((a) => a.validFrom ?? '')
      .sort()
      .at(-1) ?? '';
  if (latestStart && movedOn <= latestStart) {
    throw userInputError(`'movedOn' (${movedOn}) must be after the current address began (${latestStart}).`, 'DATE_OUT_OF_RANGE');
  }
  const wasForeign = previous.some((a) => a.kind === 'FOREIGN');
  const before = previous.find((a) => a.kind === 'REGISTERED')?.municipalityCode ?? null;
  if (previous.length) await tx.update(addresses).set({ validTo: movedOn }).where(movable);

  const kind = foreign ? 'FOREIGN' : 'REGISTERED';
  const [row] = await tx
    .insert(addresses)
    .values({
      personId: person.id,
      kind,
      countryCode: country,
      municipalityCode,
      countyCode,
      roadCode: blankToNull(input.roadCode),
      streetName: blankToNull(input.streetName),
      houseNumber: blankToNull(input.houseNumber),
      floor: blankToNull(input.floor),
      sideDoor: blankToNull(input.sideDoor),
      buildingNumber: blankToNull(input.buildingNumber),
      locality: blankToNull(input.locality),
      postalCode: blankToNull(input.postalCode),
      postalDistrict: blankToNull(input.postalDistrict),
      careOf: blankToNull(input.careOf),
      deliveryLines: lines.length ? lines : null,
      standardAddressLine: blankToNull(input.standardAddressLine) ?? (country === 'DK' ? standardLine(input) : null),
      // Moving on abroad keeps the date the person left the register's country.
      emigrationDate: foreign ? (wasForeign ? (previous.find((a) => a.kind === 'FOREIGN')?.emigrationDate ?? movedOn) : movedOn) : null,
      validFrom: movedOn,
    })
    .returning();
  const type = foreign && !wasForeign ? 'EMIGRATION' : !foreign && wasForeign ? 'IMMIGRATION' : 'MOVE';
  if (person.status === 'DISAPPEARED') {
    // Its own statement: the life-status trigger applies the last life event of each INSERT, so the person
    // is ACTIVE again before an EMIGRATION (which follows ACTIVE only) is applied.
    await appendChangeEvents(tx, [
      {
        type: 'REAPPEARANCE',
        personId: person.id,
        identifier: person.identifier,
        birthDate: person.birthDate,
        municipalityAfter: municipalityCode,
        details: { validFrom: movedOn, byMove: true },
      },
    ]);
  }
  await appendChangeEvents(tx, [
    {
      type,
      personId: person.id,
      identifier: person.identifier,
      birthDate: person.birthDate,
      municipalityBefore: before,
      municipalityAfter: municipalityCode,
      details: { addressKind: kind, validFrom: movedOn },
    },
  ]);
  return { ...row!, municipalityName };
}
