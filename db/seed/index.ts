/**
 * Writes a synthetic population of Swedish and Danish persons (see `population.ts` for what it
 * contains). Deterministic: the same `persons` and `seed` give identical rows, uuids and bigserial ids
 * included, on an empty database.
 *
 * Speed: rows are generated a chunk of households at a time and sent as one JSON parameter per table
 * and statement (`json_populate_recordset`), one transaction per chunk; this works alike on
 * postgres.js and PGlite. Change events go to a staging table first, because they must enter the
 * outbox in chronological order across all chunks; one final transaction moves them over sorted.
 */
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from '../client.js';
import { REFERENCE_DAY, timestampOn } from './dates.js';
import { IdentifierAllocator } from './ids.js';
import { PopulationGenerator } from './population.js';
import type {
  AddressRow,
  ChunkRows,
  ContactRow,
  EventRow,
  IdentifierRow,
  MarkerRow,
  NameRow,
  PersonRow,
  RelationRow,
  ReserveIdentityRow,
  ReserveLinkRow,
} from './rows.js';

export { foldForSearch, nameSearchKey } from '../../kernel/search-key.js';
export { REFERENCE_DATE } from './dates.js';

export interface SeedOptions {
  /** Number of persons to write (exactly). */
  persons: number;
  /** Any integer; the same seed gives the same population. */
  seed: number;
  /** Called after each chunk is committed. */
  onProgress?: (done: number, total: number) => void;
  /** Events per outbox transaction. @default 5_000 */
  eventBatch?: number;
}

/**
 * The version of the population the generator writes for a given `persons` and `seed`. Bump it when a
 * change to the seed writes different rows: the benchmark keeps one seeded database per persons, seed and
 * version (`test/bench/seeded.ts`) and would otherwise go on measuring the old population.
 */
export const SEED_VERSION = 1;

/** Tables the seed writes, by SQL name. */
export const SEEDED_TABLES = [
  'persons',
  'person_identifiers',
  'person_names',
  'protection_markers',
  'contact_details',
  'addresses',
  'family_relations',
  'reserve_identities',
  'reserve_identity_links',
  'change_events',
] as const;
export type SeededTable = (typeof SEEDED_TABLES)[number];

export interface SeedSummary {
  persons: number;
  seed: number;
  /** Rows written per table. */
  rows: Record<SeededTable, number>;
  /** Persons with a protection marker in force. */
  protectedPersons: number;
  /** Chunks (transactions) the persons were written in. */
  chunks: number;
  /** Wall-clock time of the whole seed. */
  milliseconds: number;
}

/** Thrown when the database already holds persons: seeding adds to an empty register only. */
export class SeedRefusedError extends Error {
  override name = 'SeedRefusedError';
}

/** Persons per chunk: one transaction, a few MB of JSON per statement; two large families each (1 in 2,000). */
const CHUNK_PERSONS = 4_000;
/** Rows per INSERT statement. */
const ROWS_PER_STATEMENT = 10_000;
const STAGING = 'seed_change_events_staging';
/** Chunks written at the same time (two cores: Postgres on one while the generator uses the other). */
const PARALLEL_CHUNKS = 2;

/** bigserial tables whose ids the seed assigns itself (so they do not depend on sequence state). */
const SERIAL_TABLES = [
  'person_identifiers',
  'person_names',
  'protection_markers',
  'addresses',
  'family_relations',
  'reserve_identity_links',
  'change_events',
] as const;
type SerialTable = (typeof SERIAL_TABLES)[number];

/** Persons in the database (the seed refuses to add to a non-empty register). */
export async function countPersons(db: Db): Promise<number> {
  const [row] = await selectRows<{ n: string | number }>(db, sql`select count(*) as n from persons`);
  return Number(row?.n ?? 0);
}

/**
 * Writes `options.persons` synthetic persons with their names, identifiers, addresses, relations,
 * protection markers, contact details, reserve identities and change history.
 * @throws SeedRefusedError when the database already has persons.
 */
export async function seedPopulation(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const total = Math.floor(options.persons);
  if (!Number.isFinite(total) || total < 0) throw new RangeError(`persons must be a non-negative integer, got ${options.persons}`);
  const existing = await countPersons(db);
  if (existing > 0) throw new SeedRefusedError(`The database already has ${existing} persons; seed only an empty database.`);

  const lastIds = await currentMaxIds(db);
  const generator = new PopulationGenerator(options.seed, new IdentifierAllocator(options.seed));
  const rows = Object.fromEntries(SEEDED_TABLES.map((t) => [t, 0])) as Record<SeededTable, number>;
  let protectedPersons = 0;
  let eventSeq = 0;

  await db.execute(sql.raw(`drop table if exists ${STAGING}`));
  await db.execute(sql.raw(`drop table if exists ${STAGING}_ranked`));
  await db.execute(
    sql.raw(
      `create unlogged table ${STAGING} (seq bigint not null, type text not null, person_id uuid, identifier text, occurred_at timestamptz not null, recorded_at timestamptz not null, municipality_before text, municipality_after text, birth_date date, details jsonb not null)`,
    ),
  );

  // While one chunk is being written, the next is generated and may start writing on a second
  // connection: Postgres and the generator then work at the same time. (PGlite runs transactions one
  // after the other anyway.) Ids and event order are fixed at generation, so the data does not depend
  // on which transaction commits first.
  const chunks = Math.ceil(total / CHUNK_PERSONS);
  const inFlight: Promise<void>[] = [];
  let generated = 0;
  let done = 0;
  for (let index = 0; index < chunks; index++) {
    const size = Math.min(CHUNK_PERSONS, total - generated);
    generated += size;
    const chunk = generator.generateChunk(index, size);
    assignIds(chunk, lastIds);
    for (const e of chunk.events) e.seq = ++eventSeq;
    countRows(rows, chunk);
    protectedPersons += new Set(chunk.markers.filter((m) => !m.valid_to).map((m) => m.person_id)).size;
    const write = writeChunk(db, chunk).then(() => {
      done += size;
      options.onProgress?.(done, total);
    });
    write.catch(() => {}); // awaited below; this only keeps Node from reporting it unhandled meanwhile
    inFlight.push(write);
    if (inFlight.length >= PARALLEL_CHUNKS) await inFlight.shift();
  }
  await Promise.all(inFlight);

  rows.change_events = await moveEventsToOutbox(db, lastIds.change_events, options.eventBatch ?? 5_000);
  await resetSequences(db);
  // Fresh statistics: without them the planner picks sequential scans over millions of rows.
  await db.execute(sql.raw('analyze'));
  return { persons: total, seed: options.seed, rows, protectedPersons, chunks, milliseconds: Math.round(performance.now() - started) };
}

/** One transaction per chunk: a chunk is written whole or not at all. */
async function writeChunk(db: Db, chunk: ChunkRows): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [spec, data] of tablesOf(chunk)) await insertJson(tx as unknown as Db, spec, data);
  });
}

/** `recorded_at` of seeded rows (and persons' `updated_at`): when folkreg "loaded" the register extract. */
export const SEED_RECORDED_AT = timestampOn(REFERENCE_DAY, 0);

/**
 * How a table is inserted: the JSON keys it takes (checked against the row type: a column missing
 * here is a compile error) and columns that are the same constant for every seeded row, so the
 * server parses them once instead of once per row. Naming columns keeps later-added columns at
 * their defaults instead of NULL.
 */
interface TableSpec {
  table: string;
  columns: readonly string[];
  constants?: Readonly<Record<string, SQL>>;
}

/** Columns of row type T, all of them (else the missing ones are reported as a type error). */
function columnsOf<T>() {
  return <const C extends readonly (keyof T & string)[]>(
    ...columns: C & ([Exclude<keyof T, C[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, C[number]> })
  ) => columns;
}

const SEED_TIMESTAMP = sql`${SEED_RECORDED_AT}::timestamptz`;
const RECORDED = { recorded_at: SEED_TIMESTAMP };
const PERSONS: TableSpec = {
  table: 'persons',
  columns: columnsOf<PersonRow>()(
    'id',
    'country',
    'birth_date',
    'sex',
    'status',
    'status_date',
    'civil_status',
    'civil_status_since',
    // Left NULL by the seed: its marriages are the family domain's SPOUSE relations.
    'civil_status_partner_id',
    'citizenships',
    'registering_authority',
    'registered_on',
  ),
  constants: { updated_at: SEED_TIMESTAMP, recorded_at: SEED_TIMESTAMP },
};
const IDENTIFIERS: TableSpec = {
  table: 'person_identifiers',
  columns: columnsOf<IdentifierRow>()('id', 'person_id', 'kind', 'value', 'valid_from', 'valid_to'),
  constants: RECORDED,
};
const NAMES: TableSpec = {
  table: 'person_names',
  columns: columnsOf<NameRow>()('id', 'person_id', 'given_names', 'middle_name', 'family_name', 'addressing_name', 'search_key', 'valid_from', 'valid_to'),
  constants: RECORDED,
};
const MARKERS: TableSpec = {
  table: 'protection_markers',
  columns: columnsOf<MarkerRow>()('id', 'person_id', 'kind', 'valid_from', 'valid_to'),
  constants: RECORDED,
};
const CONTACTS: TableSpec = {
  table: 'contact_details',
  columns: columnsOf<ContactRow>()('person_id', 'phone', 'email', 'preferred_language', 'version', 'updated_at'),
};
const ADDRESSES: TableSpec = {
  table: 'addresses',
  columns: columnsOf<AddressRow>()(
    'id',
    'person_id',
    'kind',
    'country_code',
    'municipality_code',
    'county_code',
    'road_code',
    'street_name',
    'house_number',
    'floor',
    'side_door',
    'building_number',
    'locality',
    'postal_code',
    'postal_district',
    'care_of',
    'delivery_lines',
    'standard_address_line',
    'emigration_date',
    'valid_from',
    'valid_to',
  ),
  constants: RECORDED,
};
const RELATIONS: TableSpec = {
  table: 'family_relations',
  columns: columnsOf<RelationRow>()('id', 'person_id', 'kind', 'relative_person_id', 'relative_name', 'relative_birth_date', 'valid_from', 'valid_to'),
  constants: RECORDED,
};
const RESERVE_IDENTITIES: TableSpec = {
  table: 'reserve_identities',
  columns: columnsOf<ReserveIdentityRow>()(
    'id',
    'kind',
    'region',
    'value',
    'given_names',
    'family_name',
    'birth_date',
    'sex',
    'stated_address',
    'stated_postal_code',
    'stated_city',
    'stated_country',
    'issued_by',
    'updated_at',
    'recorded_at',
  ),
};
const RESERVE_LINKS: TableSpec = {
  table: 'reserve_identity_links',
  columns: columnsOf<ReserveLinkRow>()('id', 'reserve_identity_id', 'target_kind', 'target_value', 'target_person_id', 'linked_at', 'unlinked_at'),
};
const STAGED_EVENTS: TableSpec = {
  table: STAGING,
  columns: columnsOf<EventRow>()(
    'seq',
    'type',
    'person_id',
    'identifier',
    'occurred_at',
    'recorded_at',
    'municipality_before',
    'municipality_after',
    'birth_date',
    'details',
  ),
};

/** The tables of a chunk in foreign-key order. */
function tablesOf(chunk: ChunkRows): [TableSpec, object[]][] {
  return [
    [PERSONS, chunk.persons],
    [IDENTIFIERS, chunk.identifiers],
    [NAMES, chunk.names],
    [MARKERS, chunk.markers],
    [CONTACTS, chunk.contacts],
    [ADDRESSES, chunk.addresses],
    [RELATIONS, chunk.relations],
    [RESERVE_IDENTITIES, chunk.reserveIdentities],
    [RESERVE_LINKS, chunk.reserveLinks],
    [STAGED_EVENTS, chunk.events],
  ];
}

function countRows(rows: Record<SeededTable, number>, chunk: ChunkRows): void {
  rows.persons += chunk.persons.length;
  rows.person_identifiers += chunk.identifiers.length;
  rows.person_names += chunk.names.length;
  rows.protection_markers += chunk.markers.length;
  rows.contact_details += chunk.contacts.length;
  rows.addresses += chunk.addresses.length;
  rows.family_relations += chunk.relations.length;
  rows.reserve_identities += chunk.reserveIdentities.length;
  rows.reserve_identity_links += chunk.reserveLinks.length;
}

/**
 * Inserts rows whose keys are the table's column names; missing keys become NULL. The whole batch is
 * one JSON text parameter, so a statement costs one round trip whatever its size.
 */
async function insertJson(db: Db, spec: TableSpec, data: object[]): Promise<void> {
  const constants = Object.entries(spec.constants ?? {});
  const target = [...spec.columns, ...constants.map(([c]) => c)].map((c) => sql.identifier(c));
  const values = [...spec.columns.map((c) => sql.identifier(c)), ...constants.map(([, v]) => v)];
  for (let i = 0; i < data.length; i += ROWS_PER_STATEMENT) {
    const json = JSON.stringify(data.slice(i, i + ROWS_PER_STATEMENT));
    await db.execute(
      sql`insert into ${sql.identifier(spec.table)} (${sql.join(target, sql`, `)}) select ${sql.join(values, sql`, `)} from json_populate_recordset(null::${sql.identifier(spec.table)}, ${json}::json)`,
    );
  }
}

async function currentMaxIds(db: Db): Promise<Record<SerialTable, number>> {
  const selects = SERIAL_TABLES.map((t) => `(select coalesce(max(id), 0) from ${t}) as ${t}`).join(', ');
  const [row] = await selectRows<Record<SerialTable, string | number>>(db, sql.raw(`select ${selects}`));
  return Object.fromEntries(SERIAL_TABLES.map((t) => [t, Number(row?.[t] ?? 0)])) as Record<SerialTable, number>;
}

/**
 * Gives bigserial rows explicit ids, so ids do not depend on sequence state (a failed earlier attempt
 * advances sequences). Family relations are numbered oldest first: the family pages list relations in
 * id order, "the order the register recorded them".
 */
function assignIds(chunk: ChunkRows, last: Record<SerialTable, number>): void {
  const number = (table: SerialTable, rows: { id?: number }[]) => {
    for (const row of rows) row.id = ++last[table];
  };
  chunk.relations.sort((a, b) => (a.valid_from ?? '').localeCompare(b.valid_from ?? ''));
  number('person_identifiers', chunk.identifiers);
  number('person_names', chunk.names);
  number('protection_markers', chunk.markers);
  number('addresses', chunk.addresses);
  number('family_relations', chunk.relations);
  number('reserve_identity_links', chunk.reserveLinks);
}

/**
 * Moves the staged events into the outbox in the order folkreg recorded them (recordedAt: ids ascending
 * with time), as a live register's log grows. Not in occurredAt order: an event's place in the log is
 * visible to every reader, so it must not tell the day a change took effect when that day is masked.
 */
async function moveEventsToOutbox(db: Db, lastId: number, batch: number): Promise<number> {
  // Events enter the outbox in history order, in transactions of `batch` events: like a register that
  // has been running, the log's transaction ids grow along it (one giant transaction would give every
  // event the same tx_id, and mislead both readers' plans and benchmarks).
  await db.execute(sql.raw(`create unlogged table ${STAGING}_ranked as select row_number() over (order by recorded_at, seq) as n, * from ${STAGING}`));
  await db.execute(sql.raw(`create index on ${STAGING}_ranked (n)`));
  await db.execute(sql.raw(`drop table ${STAGING}`));
  const [row] = await selectRows<{ n: string | number }>(db, sql.raw(`select count(*) as n from ${STAGING}_ranked`));
  const total = Number(row?.n ?? 0);
  for (let from = 0; from < total; from += batch) {
    await db.transaction(async (tx) => {
      await tx.execute(
        sql.raw(
          `insert into change_events (id, type, person_id, identifier, occurred_at, recorded_at, municipality_before, municipality_after, birth_date, details)
           select ${lastId} + n, type, person_id, identifier, occurred_at, recorded_at, municipality_before, municipality_after, birth_date, details
           from ${STAGING}_ranked where n > ${from} and n <= ${from + batch} order by n`,
        ),
      );
    });
  }
  await db.execute(sql.raw(`drop table ${STAGING}_ranked`));
  return total;
}

/** Moves each bigserial sequence past the ids the seed gave explicitly. */
async function resetSequences(db: Db): Promise<void> {
  const statements: SQL[] = SERIAL_TABLES.map((t) =>
    sql.raw(`select setval(pg_get_serial_sequence('${t}', 'id'), coalesce((select max(id) from ${t}), 0) + 1, false)`),
  );
  for (const statement of statements) await db.execute(statement);
}
