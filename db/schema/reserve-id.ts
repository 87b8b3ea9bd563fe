import { sql } from 'drizzle-orm';
import { bigserial, char, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { recorded } from './columns.js';
import { IDENTIFIER_KINDS } from '../../kernel/identifiers.js';
import { SEXES } from '../../kernel/register-codes.js';

/** The identifier kinds a reserve identity is. */
const RESERVE_KINDS = ['NATIONAL_RESERVE_ID', 'LOCAL_RESERVE_ID'] as const satisfies readonly (typeof IDENTIFIER_KINDS)[number][];

/** Reserve identities (Personuppgiftstjänsten reservID): national (NRID) or regional (LRID). */
export const reserveIdentities = pgTable(
  'reserve_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: RESERVE_KINDS }).notNull(),
    /** VGR, SLL … for local reserve IDs. */
    region: text('region'),
    /** Canonical form (subgraphs/shared/identifiers.ts). */
    value: text('value').notNull(),
    givenNames: text('given_names'),
    familyName: text('family_name'),
    birthDate: date('birth_date', { mode: 'string' }),
    sex: text('sex', { enum: SEXES }),
    /** Uppgiven adress: what the person stated, unverified. */
    statedAddress: text('stated_address'),
    statedPostalCode: text('stated_postal_code'),
    statedCity: text('stated_city'),
    statedCountry: char('stated_country', { length: 2 }),
    issuedBy: text('issued_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    ...recorded,
  },
  (t) => [uniqueIndex('reserve_identities_value_uq').on(t.value)],
);

/**
 * A link from a reserve identity to a higher identity (LRID → NRID → SNR → PNR). The target is named by
 * its canonical identifier and, when it is a registered person, by the person's federation id.
 * Unlinking sets `unlinkedAt`; the row stays as history.
 */
export const reserveIdentityLinks = pgTable(
  'reserve_identity_links',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reserveIdentityId: uuid('reserve_identity_id')
      .notNull()
      .references(() => reserveIdentities.id),
    targetKind: text('target_kind', { enum: IDENTIFIER_KINDS }).notNull(),
    targetValue: text('target_value').notNull(),
    targetPersonId: uuid('target_person_id'),
    linkedAt: timestamp('linked_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    unlinkedAt: timestamp('unlinked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('reserve_identity_links_reserve_idx').on(t.reserveIdentityId),
    index('reserve_identity_links_person_idx').on(t.targetPersonId),
    index('reserve_identity_links_target_idx').on(t.targetValue),
    // At most one link in force per reserve identity: its main identity is unambiguous.
    uniqueIndex('reserve_identity_links_current_uq')
      .on(t.reserveIdentityId)
      .where(sql`${t.unlinkedAt} is null`),
  ],
);

/**
 * Next free national reserve ID per birth date and sex (`key`): issuing takes `next` with one atomic
 * upsert, so concurrent issuers never build the same number.
 */
export const nationalReserveIdSerials = pgTable('national_reserve_id_serials', {
  key: text('key').primaryKey(),
  next: integer('next').notNull(),
});
