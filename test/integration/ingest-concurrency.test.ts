/**
 * The ingest applies a few persons at once (ingest/apply.ts `applyAll`, `INGEST_CONCURRENCY`): what a
 * user sees must be what one-after-the-other gave — every relative of the same file linked, a bad person
 * refused alone, the report in file order, a second ingest changing nothing — and a deadlock with another
 * writer runs the person again instead of failing the file. On the embedded database (one backend) it is
 * one at a time, and works the same.
 */
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, selectRows, type Db } from '../../db/client.js';
import { familyRelations, personIdentifiers, persons } from '../../db/schema/index.js';
import { ingestCpr } from '../../ingest/cpr.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { cprFile, dkPnr, interleaved, type CprPersonSpec } from '../support/cpr-files.js';

const today = '2026-12-02';
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.dispose());

const home = { komkod: '0101', street: 'Ægirsgade', house: '12', postnr: '2200', district: 'København N', since: '2016-01-01' };

/** Two spouses and their child, each naming the others: relatives of each other in one file. */
function family(n: number): CprPersonSpec[] {
  const year = 1950 + (n % 40);
  const mother = dkPnr(`${year}-05-06`, n);
  const father = dkPnr(`${year}-01-02`, n, 'MALE');
  const child = dkPnr(`${year + 25}-08-09`, n, 'MALE');
  return [
    { pnr: mother, birthDate: `${year}-05-06`, address: home, civil: { civst: 'G', since: '2010-06-01', spouse: father }, children: [child] },
    { pnr: father, sex: 'M', birthDate: `${year}-01-02`, address: home, civil: { civst: 'G', since: '2010-06-01', spouse: mother }, children: [child] },
    { pnr: child, sex: 'M', birthDate: `${year + 25}-08-09`, address: home, mother, father, events: [{ at: '202612010900', code: 'A01' }] },
  ];
}

async function personOf(db: Db, pnr: string) {
  const [row] = await db.select({ id: personIdentifiers.personId }).from(personIdentifiers).where(eq(personIdentifiers.value, pnr));
  return row?.id ?? null;
}

/** Every family's links, as ids: each spouse names the other, the child both parents, every link resolved. */
async function expectLinked(db: Db, families: CprPersonSpec[][]) {
  for (const [mother, father, child] of families) {
    const [m, f, c] = [await personOf(db, mother!.pnr), await personOf(db, father!.pnr), await personOf(db, child!.pnr)];
    const [mRow] = await db.select().from(persons).where(eq(persons.id, m!));
    const [fRow] = await db.select().from(persons).where(eq(persons.id, f!));
    expect([mRow!.civilStatusPartnerId, fRow!.civilStatusPartnerId]).toEqual([f, m]);
    const ofChild = await db.select().from(familyRelations).where(eq(familyRelations.personId, c!));
    expect(ofChild.map((r) => [r.kind, r.relativePersonId]).sort()).toEqual([
      ['FATHER', f],
      ['MOTHER', m],
    ]);
    const ofMother = await db.select().from(familyRelations).where(eq(familyRelations.personId, m!));
    expect(ofMother.map((r) => [r.kind, r.relativePersonId]).sort()).toEqual([
      ['CHILD', c],
      ['SPOUSE', f],
    ]);
  }
}

const counts = async (db: Db) =>
  (
    await selectRows<{ persons: number; relations: number; events: number }>(
      db,
      sql`select (select count(*) from persons)::int as persons, (select count(*) from family_relations)::int as relations,
               (select count(*) from change_events)::int as events`,
    )
  )[0]!;

/**
 * 20 families, their members' records interleaved so relatives stand side by side (in flight together),
 * and between them persons refused by the reader (an unknown municipality) and by the database's side of
 * the ingest (two overlapping markers of one kind, found inside the person's transaction).
 */
function busyFile(task: number, from: number) {
  const families = Array.from({ length: 20 }, (_, i) => family(from + i));
  const bad: { spec: CprPersonSpec; reason: string }[] = [];
  const people: CprPersonSpec[] = [];
  for (const [i, f] of families.entries()) {
    people.push(...f);
    if (i % 4 === 1) {
      const spec = { pnr: dkPnr('1960-03-03', from + i), birthDate: '1960-03-03', address: { ...home, komkod: '0999' } };
      bad.push({ spec, reason: 'UNKNOWN_MUNICIPALITY' });
      people.push(spec);
    }
    if (i % 4 === 3) {
      const spec = {
        pnr: dkPnr('1961-03-03', from + i),
        birthDate: '1961-03-03',
        address: home,
        protection: [
          { type: '0001', from: '2020-01-01' },
          { type: '0001', from: '2021-01-01' },
        ],
      };
      bad.push({ spec, reason: 'OVERLAPPING_MARKER' });
      people.push(spec);
    }
  }
  // Records interleaved in threes: each family's (and a bad person's) records mixed with their neighbours'.
  const records = [];
  for (let i = 0; i < people.length; i += 3) records.push(interleaved(...people.slice(i, i + 3)));
  return { families, bad, file: cprFile({ task, date: '2026-12-01' }, records) };
}

describe('persons applied several at once', () => {
  it('links relatives of one file both ways, refuses the bad alone, reports in file order; a second ingest changes nothing', async () => {
    const { families, bad, file } = busyFile(7000, 100);
    const before = await counts(database.db);
    const report = await ingestCpr(database.db, file, { today });
    expect(report.summary).toEqual({ personsCreated: 60, personsUpdated: 0, personsUnchanged: 0, personsRefused: bad.length, eventsWritten: 20 });
    expect(report.lines.map((l) => [l.pnr, l.reason])).toEqual(bad.map((b) => [b.spec.pnr, b.reason]));
    const offsets = report.lines.map((l) => l.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    for (const b of bad) expect(await personOf(database.db, b.spec.pnr)).toBeNull();
    await expectLinked(database.db, families);
    const after = await counts(database.db);
    // 60 persons; 6 relations a family (each spouse the other and the child, the child both parents); 20 moves and 60 registrations.
    expect([after.persons - before.persons, after.relations - before.relations, after.events - before.events]).toEqual([60, 120, 80]);

    const again = await ingestCpr(database.db, file, { today });
    expect(again.summary).toEqual({ personsCreated: 0, personsUpdated: 0, personsUnchanged: 60, personsRefused: bad.length, eventsWritten: 0 });
    expect(again.lines).toEqual(report.lines);
    expect(await counts(database.db)).toEqual(after);
  });

  it('on the embedded database (one backend) applies them one at a time, with the same outcome', async () => {
    const embedded = await openDatabase({ inMemory: true });
    try {
      await embedded.migrate();
      expect(embedded.pool.max).toBe(1);
      const { families, bad, file } = busyFile(7100, 200);
      const report = await ingestCpr(embedded.db, file, { today });
      expect(report.summary).toEqual({ personsCreated: 60, personsUpdated: 0, personsUnchanged: 0, personsRefused: bad.length, eventsWritten: 20 });
      expect(report.lines.map((l) => [l.pnr, l.reason])).toEqual(bad.map((b) => [b.spec.pnr, b.reason]));
      await expectLinked(embedded.db, families);
      const again = await ingestCpr(embedded.db, file, { today });
      expect(again.summary).toMatchObject({ personsCreated: 0, personsUpdated: 0, personsUnchanged: 60 });
    } finally {
      await embedded.close();
    }
  });

  it('a deadlock with another writer runs the person again: applied, nothing refused', async () => {
    expect(database.url, 'a deadlock needs a second backend: run with DATABASE_URL').toBeTruthy();
    const person: CprPersonSpec = { pnr: dkPnr('1977-07-07', 300), birthDate: '1977-07-07', address: home, given: 'Ida' };
    await ingestCpr(database.db, cprFile({ task: 7200, date: '2026-12-01' }, [person]), { today });
    const id = (await personOf(database.db, person.pnr))!;
    const other = postgres(database.url!, { max: 2, onnotice: () => {} });
    const deadlocks = async () => (await other<{ n: number }[]>`select deadlocks::int as n from pg_stat_database where datname = current_database()`)[0]!.n;
    const deadlocksBefore = await deadlocks();
    // Another writer holds the person's lock (the mutations' key, subgraphs/shared/writes.ts) and, once the
    // ingest holds the number's and waits for the person's, asks for the number's: a cycle. This writer
    // waits 60 s before looking for deadlocks, the ingest's backend 1 s, so the ingest's transaction is the one ended.
    const writer = await other.reserve();
    try {
      await writer`begin`;
      await writer`set local deadlock_timeout = '60s'`;
      await writer`select pg_advisory_xact_lock(hashtext(${`person:${id}`}))`;
      const ingesting = ingestCpr(database.db, cprFile({ task: 7200, date: '2026-12-02', previous: '2026-12-01' }, [{ ...person, given: 'Ida Marie' }]), {
        today,
      });
      for (;;) {
        const [waiting] = await other<{ n: number }[]>`select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid)
          where l.locktype = 'advisory' and not l.granted and a.datname = current_database()`;
        if (waiting!.n > 0) break;
        await new Promise((ok) => setTimeout(ok, 20));
      }
      await writer`select pg_advisory_xact_lock(hashtext(${`identifier:${person.pnr}`}))`;
      await writer`commit`;
      const report = await ingesting;
      expect(report.lines).toEqual([]);
      expect(report.summary).toEqual({ personsCreated: 0, personsUpdated: 1, personsUnchanged: 0, personsRefused: 0, eventsWritten: 0 });
    } finally {
      writer.release();
    }
    // The cycle was one: Postgres counted it.
    while ((await deadlocks()) === deadlocksBefore) await new Promise((ok) => setTimeout(ok, 50));
    await other.end();
  });
});
