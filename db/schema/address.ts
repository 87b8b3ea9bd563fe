import { bigserial, char, date, foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { recorded, validity } from './columns.js';
import { ADDRESS_KINDS, REGISTER_COUNTRIES } from '../../kernel/register-codes.js';

/**
 * Municipality codes of both countries (SE kommunkod 4 digits, DK kommunekode stored with 3 digits).
 * Keyed by (country, code): a code alone names a municipality only within its country.
 */
export const municipalities = pgTable(
  'municipalities',
  {
    code: text('code').notNull(),
    country: char('country', { length: 2, enum: REGISTER_COUNTRIES }).notNull(),
    name: text('name').notNull(),
    /** SE länskod (2 digits) / DK region code. */
    countyCode: text('county_code'),
    /** MUNICIPALITY, or CPR_SPECIAL for CPR's codes that are no municipality (Greenland): no registered address is in one. */
    kind: text('kind', { enum: ['MUNICIPALITY', 'CPR_SPECIAL'] })
      .notNull()
      .default('MUNICIPALITY'),
  },
  (t) => [primaryKey({ name: 'municipalities_pkey', columns: [t.country, t.code] })],
);

/**
 * One address shape for both countries. `kind`: REGISTERED (SE folkbokföringsadress, CPR 002/003),
 * SPECIAL_POSTAL (SE särskild postadress, CPR 006 kontaktadresse), FOREIGN (SE utlandsadress, CPR 005).
 * The person id is a federation reference, not a join into the person domain.
 */
export const addresses = pgTable(
  'addresses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: uuid('person_id').notNull(),
    kind: text('kind', { enum: ADDRESS_KINDS }).notNull(),
    countryCode: char('country_code', { length: 2 }).notNull(),
    /** Set for addresses in SE or DK; it names a municipality of `countryCode`. */
    municipalityCode: text('municipality_code'),
    countyCode: text('county_code'),
    /** CPR VEJKOD */
    roadCode: text('road_code'),
    streetName: text('street_name'),
    houseNumber: text('house_number'),
    /** CPR ETAGE */
    floor: text('floor'),
    /** CPR SIDEDOER */
    sideDoor: text('side_door'),
    /** CPR BNR */
    buildingNumber: text('building_number'),
    /** CPR LOKALITET */
    locality: text('locality'),
    postalCode: text('postal_code'),
    /** CPR POSTDISTTXT / SE postort */
    postalDistrict: text('postal_district'),
    careOf: text('care_of'),
    /** SE utdelningsadress 1–2; foreign address lines (CPR UDLANDADR1–5). */
    deliveryLines: text('delivery_lines').array(),
    /** CPR STANDARDADR: street, number, floor and door in one line. */
    standardAddressLine: text('standard_address_line'),
    emigrationDate: date('emigration_date', { mode: 'string' }),
    ...validity,
    ...recorded,
  },
  (t) => [
    index('addresses_person_idx').on(t.personId, t.validTo),
    index('addresses_municipality_idx').on(t.municipalityCode),
    foreignKey({
      name: 'addresses_municipality_fk',
      columns: [t.countryCode, t.municipalityCode],
      foreignColumns: [municipalities.country, municipalities.code],
    }),
  ],
);
