/**
 * The synthetic population as its users rely on it: valid identifiers, both registers, every
 * protection kind, long family pages, name-only relatives, reserve identities, a chronological change
 * log, and the same data for the same seed. Always on in-memory PGlite (this file creates and compares
 * three databases; it does not need the shared server).
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, selectRows, type Database } from '../../db/client.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { CHANGE_EVENT_TYPES } from '../../kernel/events.js';
import { addresses } from '../../db/schema/index.js';
import { MUNICIPALITIES } from '../../kernel/municipalities.js';
import { nameSearchKey, REFERENCE_DATE, seedPopulation, SeedRefusedError, type SeedSummary } from '../../db/seed/index.js';
import { MUNICIPALITIES_MIGRATION, renderMunicipalitiesSql } from '../../db/seed/municipalities-sql.js';
import { parseIdentifier } from '../../kernel/identifiers.js';
// The seed covers every kind and status the product knows: the catalogues themselves, not copies of them.
import { PROTECTION_KINDS } from '../../kernel/protection.js';
import { CIVIL_STATUSES } from '../../kernel/register-codes.js';

const PERSONS = 2_000;
const SEED = 42;
const REFERENCE = new Date(`${REFERENCE_DATE}T00:00:00Z`);

/** What the relative's own row says about the person, for each kind. */
const REVERSE: Record<string, string[]> = {
  MOTHER: ['CHILD'],
  FATHER: ['CHILD'],
  CHILD: ['MOTHER', 'FATHER'],
  SPOUSE: ['SPOUSE'],
  REGISTERED_PARTNER: ['REGISTERED_PARTNER'],
  CUSTODY_HOLDER: ['IN_CUSTODY_OF'],
  IN_CUSTODY_OF: ['CUSTODY_HOLDER'],
  GUARDIAN: ['WARD'],
  WARD: ['GUARDIAN'],
};

async function freshDatabase(): Promise<Database> {
  const database = await openDatabase({ inMemory: true });
  await database.migrate();
  return database;
}

/** One hash per table of every row in primary-key order. change_events.tx_id is the writing transaction's id, not seeded data. */
async function tableHashes(database: Database): Promise<Record<string, string>> {
  const tables: [string, string][] = [
    ['persons', 'id'],
    ['person_identifiers', 'id'],
    ['person_names', 'id'],
    ['protection_markers', 'id'],
    ['contact_details', 'person_id'],
    ['addresses', 'id'],
    ['family_relations', 'id'],
    ['reserve_identities', 'id'],
    ['reserve_identity_links', 'id'],
    ['change_events', 'id'],
    ['municipalities', 'code'],
  ];
  const out: Record<string, string> = {};
  for (const [table, key] of tables) {
    const [row] = await selectRows<{ h: string }>(
      database.db,
      sql.raw(`select md5(coalesce(string_agg((to_jsonb(t) - 'tx_id')::text, E'\\n' order by t.${key}), '')) as h from ${table} t`),
    );
    out[table] = row!.h;
  }
  return out;
}

function rows<T>(database: Database, query: string): Promise<T[]> {
  return selectRows<T>(database.db, sql.raw(query));
}

let db: Database;
let summary: SeedSummary;
const progress: [number, number][] = [];

beforeAll(async () => {
  db = await freshDatabase();
  summary = await seedPopulation(db.db, { persons: PERSONS, seed: SEED, eventBatch: 100, onProgress: (done, total) => progress.push([done, total]) });
});

afterAll(async () => {
  await db?.close();
});

describe('seedPopulation', () => {
  it('writes exactly the requested number of persons and reports what it wrote', async () => {
    const [count] = await rows<{ n: number }>(db, 'select count(*)::int as n from persons');
    expect(count!.n).toBe(PERSONS);
    expect(summary.persons).toBe(PERSONS);
    expect(summary.rows.persons).toBe(PERSONS);
    const [events] = await rows<{ n: number }>(db, 'select count(*)::int as n from change_events');
    expect(summary.rows.change_events).toBe(events!.n);
    expect(progress.at(-1)).toEqual([PERSONS, PERSONS]);
  });

  it('refuses a database that already has persons', async () => {
    await expect(seedPopulation(db.db, { persons: 10, seed: SEED })).rejects.toBeInstanceOf(SeedRefusedError);
  });

  it('gives every person exactly one current identifier and one current name', async () => {
    const bad = await rows<{ id: string }>(
      db,
      `select p.id from persons p
       where (select count(*) from person_identifiers i where i.person_id = p.id and i.valid_to is null) <> 1
          or (select count(*) from person_names n where n.person_id = p.id and n.valid_to is null) <> 1`,
    );
    expect(bad).toEqual([]);
  });

  it('stores only identifiers that parse back as their kind, in canonical form', async () => {
    const identifiers = await rows<{ kind: string; value: string; country: string }>(
      db,
      'select i.kind, i.value, p.country from person_identifiers i join persons p on p.id = i.person_id',
    );
    const kinds = new Set(identifiers.map((i) => i.kind));
    expect(kinds).toEqual(new Set(['PERSONAL_IDENTITY_NUMBER', 'COORDINATION_NUMBER', 'CPR_NUMBER']));
    for (const { kind, value, country } of identifiers) {
      const readings = parseIdentifier(value, { today: REFERENCE });
      expect(
        readings.some((r) => r.kind === kind && r.canonical === value && r.country === country),
        `${kind} ${value}`,
      ).toBe(true);
    }
    const reserve = await rows<{ kind: string; region: string | null; value: string }>(db, 'select kind, region, value from reserve_identities');
    for (const { kind, region, value } of reserve) {
      const readings = parseIdentifier(value, { today: REFERENCE });
      expect(
        readings.some((r) => r.kind === kind && r.canonical === value && (r.region ?? null) === region),
        `${kind} ${value}`,
      ).toBe(true);
    }
  });

  it('never ends a dated fact before it starts', async () => {
    for (const table of ['person_identifiers', 'person_names', 'protection_markers', 'addresses', 'family_relations']) {
      const [bad] = await rows<{ n: number }>(
        db,
        `select count(*)::int as n from ${table} where valid_to is not null and (valid_from is null or valid_to <= valid_from)`,
      );
      expect(bad!.n, table).toBe(0);
    }
    const [future] = await rows<{ n: number }>(
      db,
      `select (select count(*) from persons where birth_date >= date '${REFERENCE_DATE}' or status_date >= date '${REFERENCE_DATE}' or civil_status_since >= date '${REFERENCE_DATE}')::int
            + (select count(*) from family_relations where valid_from >= date '${REFERENCE_DATE}')::int as n`,
    );
    expect(future!.n).toBe(0);
  });

  it('keeps replaced identifiers as history that still names the person', async () => {
    const replaced = await rows<{ kind: string; n: number }>(
      db,
      `select old.kind, count(*)::int as n from person_identifiers old
       join person_identifiers cur on cur.person_id = old.person_id and cur.valid_to is null
       where old.valid_to is not null group by old.kind`,
    );
    expect(replaced.find((r) => r.kind === 'PERSONAL_IDENTITY_NUMBER' || r.kind === 'CPR_NUMBER')).toBeDefined();
  });

  it('has Swedish and Danish persons with their register, birth dates 1915–2025 and some aged 100+', async () => {
    const byCountry = await rows<{ country: string; authority: string; n: number }>(
      db,
      'select country, registering_authority as authority, count(*)::int as n from persons group by 1, 2 order by 1',
    );
    expect(byCountry.map((r) => [r.country, r.authority])).toEqual([
      ['DK', 'CPR-kontoret'],
      ['SE', 'Skatteverket'],
    ]);
    for (const r of byCountry) expect(r.n).toBeGreaterThan(PERSONS / 4);
    const [range] = await rows<{ first: string; last: string; centenarians: number }>(
      db,
      `select min(birth_date)::text as first, max(birth_date)::text as last,
              count(*) filter (where status = 'ACTIVE' and birth_date <= date '${REFERENCE_DATE}' - interval '100 years')::int as centenarians
       from persons`,
    );
    expect(range!.first >= '1915-01-01').toBe(true);
    expect(range!.last <= '2025-12-31').toBe(true);
    expect(range!.centenarians).toBeGreaterThan(0);
  });

  it('has mostly active persons, and deceased, emigrated persons with the matching facts', async () => {
    const statuses = await rows<{ status: string; n: number; dated: number }>(
      db,
      'select status, count(*)::int as n, count(status_date)::int as dated from persons group by status',
    );
    const by = Object.fromEntries(statuses.map((s) => [s.status, s]));
    expect(by.ACTIVE!.n).toBeGreaterThan(PERSONS * 0.8);
    expect(by.DECEASED!.n).toBeGreaterThan(0);
    expect(by.DECEASED!.dated).toBe(by.DECEASED!.n);
    expect(by.EMIGRATED!.n).toBeGreaterThan(0);
    const emigrantsWithoutForeign = await rows<{ id: string }>(
      db,
      `select p.id from persons p where p.status = 'EMIGRATED'
       and not exists (select 1 from addresses a where a.person_id = p.id and a.kind = 'FOREIGN' and a.valid_to is null and a.emigration_date = p.status_date)`,
    );
    expect(emigrantsWithoutForeign).toEqual([]);
    const deathsWithoutEvent = await rows<{ id: string }>(
      db,
      `select p.id from persons p where p.status = 'DECEASED' and not exists (select 1 from change_events e where e.person_id = p.id and e.type = 'DEATH')`,
    );
    expect(deathsWithoutEvent).toEqual([]);
    const civil = await rows<{ civil_status: string }>(db, 'select distinct civil_status from persons');
    for (const { civil_status } of civil) expect(CIVIL_STATUSES).toContain(civil_status);
    expect(civil.length).toBeGreaterThanOrEqual(5);
  });

  it('has names with Nordic letters, historic names, and search keys folded from the name', async () => {
    const names = await rows<{
      given_names: string;
      middle_name: string | null;
      family_name: string;
      addressing_name: string;
      search_key: string;
      valid_to: string | null;
    }>(db, 'select given_names, middle_name, family_name, addressing_name, search_key, valid_to from person_names');
    const all = names.map((n) => `${n.given_names} ${n.middle_name ?? ''} ${n.family_name}`).join(' ');
    for (const letter of ['å', 'ä', 'ö', 'æ', 'ø', 'Å', 'Ö', 'Ø']) expect(all).toContain(letter);
    expect(names.some((n) => n.valid_to !== null)).toBe(true);
    for (const n of names) {
      expect(n.search_key).toBe(nameSearchKey(n.given_names, n.middle_name, n.family_name));
      expect(n.search_key).toMatch(/^[a-z' -]+$/);
      expect(n.addressing_name.startsWith(`${n.family_name}, ${n.given_names}`)).toBe(true);
    }
    expect(nameSearchKey('Åsa', null, 'Østergaard-Æbeltoft')).toBe('asa ostergaard-aebeltoft');
  });

  it('has protected persons of every kind, about 1%, without contact details', async () => {
    const kinds = await rows<{ kind: string; n: number }>(
      db,
      'select kind, count(distinct person_id)::int as n from protection_markers where valid_to is null group by kind',
    );
    expect(kinds.map((k) => k.kind).sort()).toEqual([...PROTECTION_KINDS].sort());
    expect(summary.protectedPersons).toBeGreaterThanOrEqual(PERSONS * 0.004);
    expect(summary.protectedPersons).toBeLessThanOrEqual(PERSONS * 0.03);
    const withContacts = await rows<{ person_id: string }>(
      db,
      'select c.person_id from contact_details c join protection_markers m using (person_id) where m.valid_to is null',
    );
    expect(withContacts).toEqual([]);
  });

  it("gives skyddad folkbokföring only Skatteverket's forwarding address, never a street address", async () => {
    const addresses = await rows<{ person_id: string; kind: string; delivery_lines: string[] | null; postal_code: string | null }>(
      db,
      `select a.person_id, a.kind, a.delivery_lines, a.postal_code from addresses a
       where a.person_id in (select person_id from protection_markers where kind = 'SE_PROTECTED_REGISTRATION')`,
    );
    expect(addresses.length).toBeGreaterThan(0);
    for (const a of addresses) {
      expect(a.kind).toBe('SPECIAL_POSTAL');
      expect(a.delivery_lines).toEqual(['Skatteverket', 'Box 2820']);
      expect(a.postal_code).toBe('403 20');
    }
  });

  it("gives almost everyone a current registered address in a real municipality, in each country's shape", async () => {
    const [coverage] = await rows<{ active: number; housed: number }>(
      db,
      `select count(*)::int as active,
              count(*) filter (where exists (select 1 from addresses a where a.person_id = p.id and a.kind = 'REGISTERED' and a.valid_to is null))::int as housed
       from persons p where p.status = 'ACTIVE'`,
    );
    expect(coverage!.housed / coverage!.active).toBeGreaterThan(0.97);
    const unknownMunicipality = await rows<{ code: string }>(
      db,
      'select distinct a.municipality_code as code from addresses a left join municipalities m on m.code = a.municipality_code where a.municipality_code is not null and m.code is null',
    );
    expect(unknownMunicipality).toEqual([]);
    const swedish = await rows<{ postal_code: string; delivery_lines: string[]; county_code: string; municipality_code: string }>(
      db,
      "select postal_code, delivery_lines, county_code, municipality_code from addresses where kind = 'REGISTERED' and country_code = 'SE'",
    );
    for (const a of swedish) {
      expect(a.postal_code).toMatch(/^\d{3} \d{2}$/);
      expect(a.delivery_lines.length).toBeGreaterThan(0);
      expect(a.county_code).toBe(a.municipality_code.slice(0, 2));
    }
    const danish = await rows<{
      road_code: string;
      house_number: string;
      postal_code: string;
      postal_district: string;
      standard_address_line: string;
      floor: string | null;
      county_code: string;
    }>(
      db,
      "select road_code, house_number, postal_code, postal_district, standard_address_line, floor, county_code from addresses where kind = 'REGISTERED' and country_code = 'DK'",
    );
    for (const a of danish) {
      expect(a.road_code).toMatch(/^\d{4}$/);
      expect(a.postal_code).toMatch(/^\d{4}$/);
      expect(a.standard_address_line).toContain(a.house_number);
      expect(['1081', '1082', '1083', '1084', '1085']).toContain(a.county_code);
    }
    expect(danish.some((a) => a.floor !== null)).toBe(true);
    const kinds = await rows<{ kind: string; historic: boolean }>(db, 'select distinct kind, valid_to is not null as historic from addresses');
    expect(kinds).toEqual(
      expect.arrayContaining([
        { kind: 'REGISTERED', historic: true },
        { kind: 'REGISTERED', historic: false },
        { kind: 'FOREIGN', historic: false },
        { kind: 'SPECIAL_POSTAL', historic: false },
      ]),
    );
  });

  it('states every relation between registered persons from both sides', async () => {
    const relations = await rows<{ person_id: string; kind: string; relative_person_id: string; valid_from: string; valid_to: string | null }>(
      db,
      'select person_id, kind, relative_person_id, valid_from::text, valid_to::text from family_relations where relative_person_id is not null',
    );
    const index = new Set(relations.map((r) => `${r.person_id}|${r.relative_person_id}|${r.kind}|${r.valid_from}|${r.valid_to}`));
    const oneSided = relations.filter(
      (r) => !REVERSE[r.kind]!.some((k) => index.has(`${r.relative_person_id}|${r.person_id}|${k}|${r.valid_from}|${r.valid_to}`)),
    );
    expect(oneSided).toEqual([]);
    const kinds = new Set(relations.map((r) => r.kind));
    expect(kinds).toEqual(new Set(Object.keys(REVERSE)));
  });

  it('gives custody only of minors, and ends it at 18', async () => {
    const adultsInCustody = await rows<{ id: string }>(
      db,
      `select p.id from family_relations r join persons p on p.id = r.person_id
       where r.kind = 'CUSTODY_HOLDER' and r.valid_to is null and p.birth_date <= date '${REFERENCE_DATE}' - interval '18 years'`,
    );
    expect(adultsInCustody).toEqual([]);
  });

  it('has a person whose family pages run past 45 current relations (three pages of 20)', async () => {
    const [top] = await rows<{ n: number }>(
      db,
      'select count(*)::int as n from family_relations where valid_to is null group by person_id order by 1 desc limit 1',
    );
    expect(top!.n).toBeGreaterThan(45);
  });

  it('has relatives known only by name and birth date, as CPR keeps them', async () => {
    const nameOnly = await rows<{ kind: string; country: string; relative_name: string | null; relative_birth_date: string | null }>(
      db,
      'select r.kind, p.country, r.relative_name, r.relative_birth_date::text from family_relations r join persons p on p.id = r.person_id where r.relative_person_id is null',
    );
    expect(nameOnly.length).toBeGreaterThan(0);
    for (const r of nameOnly) {
      expect(r.country).toBe('DK');
      expect(r.relative_name).toBeTruthy();
      expect(r.relative_birth_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(nameOnly.some((r) => r.kind === 'MOTHER' || r.kind === 'FATHER')).toBe(true);
    expect(nameOnly.some((r) => r.kind === 'SPOUSE')).toBe(true);
  });

  it('has national and regional reserve identities, some linked to a seeded personnummer', async () => {
    const kinds = await rows<{ kind: string; region: string | null }>(db, 'select distinct kind, region from reserve_identities');
    expect(kinds).toEqual(
      expect.arrayContaining([
        { kind: 'NATIONAL_RESERVE_ID', region: null },
        { kind: 'LOCAL_RESERVE_ID', region: 'SLL' },
        { kind: 'LOCAL_RESERVE_ID', region: 'VGR' },
      ]),
    );
    const links = await rows<{ target_value: string; current: string | null; linked: boolean }>(
      db,
      `select l.target_value, i.value as current, l.unlinked_at is null as linked
       from reserve_identity_links l
       left join person_identifiers i on i.person_id = l.target_person_id and i.valid_to is null and i.kind = 'PERSONAL_IDENTITY_NUMBER'
       where l.target_kind = 'PERSONAL_IDENTITY_NUMBER'`,
    );
    const active = links.filter((l) => l.linked);
    expect(active.length).toBeGreaterThan(0);
    for (const l of active) expect(l.target_value).toBe(l.current);
    const [share] = await rows<{ linked: number; total: number }>(
      db,
      `select count(distinct l.reserve_identity_id)::int as linked, (select count(*)::int from reserve_identities) as total
       from reserve_identity_links l where l.unlinked_at is null and l.target_kind = 'PERSONAL_IDENTITY_NUMBER'`,
    );
    expect(share!.linked / share!.total).toBeGreaterThan(0.3);
    expect(share!.linked / share!.total).toBeLessThan(0.8);
  });

  it('gives contact details to a share of persons', async () => {
    const [share] = await rows<{ n: number }>(db, 'select count(*)::int as n from contact_details');
    expect(share!.n).toBeGreaterThan(PERSONS * 0.1);
    expect(share!.n).toBeLessThan(PERSONS * 0.6);
  });

  it('has a change log of several types, in the past, in the order folkreg recorded them', async () => {
    const events = await rows<{
      id: number;
      type: string;
      occurred_at: string;
      recorded_at: string;
      identifier: string | null;
      person_id: string | null;
      birth_date: string | null;
    }>(
      db,
      `select id, type, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as occurred_at,
         to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as recorded_at, identifier, person_id, birth_date::text
       from change_events order by id`,
    );
    expect(events.length).toBeGreaterThan(PERSONS / 10);
    expect(events.length).toBeLessThan(PERSONS);
    const types = new Set(events.map((e) => e.type));
    for (const type of ['PERSON_REGISTERED', 'MOVE', 'NAME_CHANGE', 'CIVIL_STATUS_CHANGE', 'DEATH', 'EMIGRATION', 'PROTECTION_CHANGE'])
      expect(types).toContain(type);
    for (const type of types) expect(Object.keys(CHANGE_EVENT_TYPES)).toContain(type);
    for (let i = 1; i < events.length; i++) expect(events[i]!.recorded_at >= events[i - 1]!.recorded_at).toBe(true);
    expect(events.at(-1)!.recorded_at < REFERENCE_DATE).toBe(true);
    // Recorded after the change took effect, and mostly not on that day: the recording day, which every
    // reader sees, does not restate the day a masked fact began.
    for (const e of events) expect(e.recorded_at >= e.occurred_at).toBe(true);
    const sameDay = events.filter((e) => e.recorded_at.slice(0, 10) === e.occurred_at.slice(0, 10)).length;
    expect(sameDay).toBeLessThan(events.length / 4);
    for (const e of events) {
      expect(e.identifier).toBeTruthy();
      expect(parseIdentifier(e.identifier!, { today: REFERENCE }).length).toBeGreaterThan(0);
    }
    // Written in recording order over several transactions, so the log's (tx_id, id) order is the recording order.
    const log = await rows<{ id: number; tx: string }>(db, 'select id, tx_id::text as tx from change_events order by tx_id, id');
    expect(log.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(new Set(log.map((e) => e.tx)).size).toBe(Math.ceil(events.length / 100));
    const moves = await rows<{ before: string | null; after: string | null }>(
      db,
      "select municipality_before as before, municipality_after as after from change_events where type = 'MOVE'",
    );
    expect(moves.some((m) => m.before !== null && m.after !== null && m.before !== m.after)).toBe(true);
  });

  it('leaves the id sequences past the seeded rows, so the application can keep inserting', async () => {
    const [before] = await rows<{ events: number; addresses: number }>(
      db,
      'select (select max(id) from change_events)::int as events, (select max(id) from addresses)::int as addresses',
    );
    await db.db.transaction(async (tx) => {
      await appendChangeEvents(tx, [{ type: 'CONTACT_DETAILS_CHANGE', identifier: '191212121212', occurredAt: REFERENCE }]);
    });
    const [person] = await rows<{ id: string }>(db, 'select id from persons order by id limit 1');
    await db.db.insert(addresses).values({ personId: person!.id, kind: 'SPECIAL_POSTAL', countryCode: 'SE' });
    const [after] = await rows<{ events: number; addresses: number }>(
      db,
      'select (select max(id) from change_events)::int as events, (select max(id) from addresses)::int as addresses',
    );
    expect(after).toEqual({ events: before!.events + 1, addresses: before!.addresses + 1 });
    await db.db.execute(sql`delete from change_events where id = ${after!.events}`);
    await db.db.execute(sql`delete from addresses where id = ${after!.addresses}`);
  });

  it('reference migration and municipality list agree', async () => {
    expect(readFileSync(MUNICIPALITIES_MIGRATION, 'utf8')).toBe(renderMunicipalitiesSql());
    const stored = await rows<{ code: string; country: string; name: string; county_code: string | null; kind: string }>(
      db,
      'select code, country, name, county_code, kind from municipalities order by code',
    );
    const expected = MUNICIPALITIES.map((m) => ({ code: m.code, country: m.country, name: m.name, county_code: m.countyCode, kind: m.kind })).sort((a, b) =>
      a.code < b.code ? -1 : 1,
    );
    // Migration 0001's rows are updated by 0016, never duplicated: every municipality once, as listed.
    expect(stored).toEqual(expected);
    expect(stored.filter((m) => m.country === 'SE' && m.kind === 'MUNICIPALITY')).toHaveLength(290);
    expect(stored.filter((m) => m.country === 'DK' && m.kind === 'MUNICIPALITY')).toHaveLength(98);
  });

  it('writes identical rows for the same seed and different rows for another seed', async () => {
    const again = await freshDatabase();
    const other = await freshDatabase();
    try {
      await seedPopulation(again.db, { persons: PERSONS, seed: SEED });
      await seedPopulation(other.db, { persons: PERSONS, seed: SEED + 1 });
      const [first, second, third] = await Promise.all([tableHashes(db), tableHashes(again), tableHashes(other)]);
      expect(second).toEqual(first);
      for (const table of ['persons', 'person_identifiers', 'person_names', 'addresses', 'family_relations', 'change_events']) {
        expect(third[table], table).not.toBe(first[table]);
      }
    } finally {
      await again.close();
      await other.close();
    }
  });
});
