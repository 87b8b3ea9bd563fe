import { sql } from 'drizzle-orm';
import { bigserial, char, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { recorded, validity } from './columns.js';
import { IDENTIFIER_KINDS } from '../../kernel/identifiers.js';
import { PROTECTION_KINDS } from '../../kernel/protection.js';
import { CIVIL_STATUSES, LIFE_STATUSES, REGISTER_COUNTRIES, SEXES } from '../../kernel/register-codes.js';

/** A person in either register. Identity lives in `personIdentifiers`; the id is ours and never changes. */
export const persons = pgTable(
  'persons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** 'SE' (folkbokföring) or 'DK' (CPR). */
    country: char('country', { length: 2, enum: REGISTER_COUNTRIES }).notNull(),
    birthDate: date('birth_date', { mode: 'string' }),
    /** MALE | FEMALE | UNKNOWN (CPR KOEN; Swedish: parity of the serial). */
    sex: text('sex', { enum: SEXES }).notNull(),
    /**
     * ACTIVE | DECEASED | EMIGRATED | DISAPPEARED | ANNULLED | REPLACED (CPR STATUS; SPAR avregistrering).
     * Follows the person's life events (EMIGRATION, IMMIGRATION, DEATH …) through a trigger on the change
     * log, in the event's transaction (migration *_life_status_custom).
     */
    status: text('status', { enum: LIFE_STATUSES }).notNull().default('ACTIVE'),
    statusDate: date('status_date', { mode: 'string' }),
    /** One enum for both code sets (CPR CIVST U/G/F/E/P/O/L/D; SE OG/G/S/Ä/RP/SP/EP). */
    civilStatus: text('civil_status', { enum: CIVIL_STATUSES }),
    civilStatusSince: date('civil_status_since', { mode: 'string' }),
    /**
     * The spouse or partner the civil status is about, when registered here (CPR record 012 holds their
     * PNR): for MARRIED/REGISTERED_PARTNERSHIP the current one, for DIVORCED, WIDOWED … the former one.
     */
    civilStatusPartnerId: uuid('civil_status_partner_id').references((): AnyPgColumn => persons.id),
    /**
     * ISO 3166-1 alpha-2 codes (CPR record 010; SE medborgarskap): the current set. Their periods, and
     * the ended ones, are `personCitizenships`, which triggers keep in step with this column.
     */
    citizenships: text('citizenships')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Who keeps the record: Skatteverket, CPR-kontoret, or a municipality code. */
    registeringAuthority: text('registering_authority').notNull(),
    registeredOn: date('registered_on', { mode: 'string' }),
    /**
     * Municipality of registration (SE folkbokföringskommun, CPR KOMKOD): the person domain's own copy,
     * kept by a trigger from the registered address (migration *_person_municipality_custom), so a
     * search by municipality never joins the address domain's tables.
     */
    municipalityCode: text('municipality_code'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    ...recorded,
  },
  (t) => [
    // Keyset order of a birth-date search: (birth_date, id).
    index('persons_birth_date_idx').on(t.birthDate, t.id),
    index('persons_municipality_idx').on(t.municipalityCode, t.id),
  ],
);

/**
 * The columns each table of a person's facts with history starts with: the row's own id and the person
 * it belongs to. A function: each table gets its own column builders.
 */
function personHistoryKeys() {
  return {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
  };
}

/**
 * Every identifier a person has had: personnummer, samordningsnummer, CPR number. `value` is the
 * canonical form (subgraphs/shared/identifiers.ts); a replaced number keeps finding the person.
 */
export const personIdentifiers = pgTable(
  'person_identifiers',
  {
    ...personHistoryKeys(),
    kind: text('kind', { enum: IDENTIFIER_KINDS }).notNull(),
    value: text('value').notNull(),
    ...validity,
    ...recorded,
  },
  (t) => [
    uniqueIndex('person_identifiers_value_uq').on(t.value),
    index('person_identifiers_person_idx').on(t.personId),
    // Prefix search (`value LIKE '19850101%'`) in byte order, whatever the database's collation.
    index('person_identifiers_prefix_idx').on(sql`(${t.value} collate "C")`, t.personId),
  ],
);

/** Names with history (CPR record 008; SE förnamn/mellannamn/efternamn/aviseringsnamn). */
export const personNames = pgTable(
  'person_names',
  {
    ...personHistoryKeys(),
    givenNames: text('given_names'),
    middleName: text('middle_name'),
    familyName: text('family_name'),
    /** CPR ADRNVN / SE aviseringsnamn: the name as written on an envelope. */
    addressingName: text('addressing_name'),
    /** Lower-case, diacritics folded ("östlund" → "ostlund"): what name search compares. */
    searchKey: text('search_key').notNull(),
    ...validity,
    ...recorded,
  },
  (t) => [
    index('person_names_person_idx').on(t.personId, t.validTo),
    // Name search: every word of the query a prefix of a word of the current name.
    index('person_names_search_idx')
      .using('gin', sql`to_tsvector('simple'::regconfig, ${t.searchKey})`)
      .where(sql`${t.validTo} is null`),
  ],
);

/**
 * The words of each person's current name search key, one row per distinct word, kept by a trigger on
 * `person_names` (migration *_name_words_custom). Name search walks `(word, person_id)` in index order
 * from the first word's prefix, so even a name thousands share costs one short index range per page.
 */
export const personNameWords = pgTable(
  'person_name_words',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    word: text('word').notNull(),
    /**
     * The word before `word` among this person's, in byte order (collate "C"); null for the first. A prefix's
     * words are one run in that order, so a row is its person's first match of a prefix when this one does
     * not match it (migration 0025_search_covering_custom; the index on `word` INCLUDEs it).
     */
    prevWord: text('prev_word'),
    /**
     * Copies of the person's `municipality_code`, `birth_date` and `country`, kept by triggers on persons
     * and on names (migration 0040_search_filters_custom), so that a name search with those criteria is
     * answered from this table's indexes without a probe of persons per scanned word.
     */
    municipalityCode: text('municipality_code'),
    birthDate: date('birth_date', { mode: 'string' }),
    country: char('country', { length: 2, enum: REGISTER_COUNTRIES }),
    /**
     * The person's current name search key(s) (`person_names.search_key`, space-joined), kept by the name
     * triggers (migration 0042_search_name_key_custom): a search of several words checks the others on the
     * index entry instead of a probe of person_names per candidate.
     */
    nameKey: text('name_key'),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.word] }),
    // Both INCLUDE prev_word, birth_date, country (migration 0040) and name_key (0042): drizzle-kit cannot declare INCLUDE.
    index('person_name_words_word_idx').on(sql`(${t.word} collate "C")`, t.personId),
    index('person_name_words_municipality_idx')
      .on(t.municipalityCode, sql`(${t.word} collate "C")`, t.personId)
      .where(sql`${t.municipalityCode} is not null`),
  ],
);

/**
 * Every citizenship a person has had, with its period (CPR records 010 and 027; SE medborgarskap): the
 * current ones (`validTo` null) are `persons.citizenships`, kept in step by triggers on persons whoever
 * writes the set (migration 0041_citizenship_history_custom); a null `validFrom` is a start not known.
 */
export const personCitizenships = pgTable(
  'person_citizenships',
  {
    ...personHistoryKeys(),
    /** ISO 3166-1 alpha-2. */
    country: char('country', { length: 2 }).notNull(),
    ...validity,
    ...recorded,
  },
  (t) => [
    index('person_citizenships_person_idx').on(t.personId, t.validTo),
    uniqueIndex('person_citizenships_current_uq')
      .on(t.personId, t.country)
      .where(sql`${t.validTo} is null`),
    check('person_citizenships_country_ck', sql`${t.country} ~ '^[A-Z]{2}$'`),
    check('person_citizenships_range_ck', sql`${t.validFrom} is null or ${t.validTo} is null or ${t.validFrom} < ${t.validTo}`),
  ],
);

/** Protection markers (SE sekretessmarkering/skyddad folkbokföring; CPR record 004 BESKYTTYPE). */
export const protectionMarkers = pgTable(
  'protection_markers',
  {
    ...personHistoryKeys(),
    kind: text('kind', { enum: PROTECTION_KINDS }).notNull(),
    ...validity,
    ...recorded,
  },
  (t) => [index('protection_markers_person_idx').on(t.personId, t.kind)],
);

/** Contact details (Personuppgiftstjänsten kontaktuppgifter); `version` guards concurrent updates. */
export const contactDetails = pgTable('contact_details', {
  personId: uuid('person_id')
    .primaryKey()
    .references(() => persons.id),
  phone: text('phone'),
  email: text('email'),
  preferredLanguage: text('preferred_language'),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
