import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import {
  addresses,
  changeEvents,
  familyRelations,
  personCitizenships,
  personIdentifiers,
  personNames,
  persons,
  protectionMarkers,
} from '../../db/schema/index.js';
import { ingestCpr } from '../../ingest/cpr.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { cprFile, dkPnr, interleaved, personRecords, type CprPersonSpec } from '../support/cpr-files.js';

const today = '2026-12-02';
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.dispose());

const home = {
  komkod: '0101',
  vejkod: '0345',
  street: 'Ægirsgade',
  house: '12',
  floor: '3',
  door: 'tv',
  postnr: '2200',
  district: 'København N',
  since: '2016-01-01',
};

/** A family of three (serials from `n`, so each test has its own persons). */
function family(n: number) {
  const mother = dkPnr('1980-05-06', n);
  const father = dkPnr('1979-01-02', n + 1, 'MALE');
  const child = dkPnr('2015-08-09', n + 2, 'MALE');
  const karen: CprPersonSpec = {
    pnr: mother,
    birthDate: '1980-05-06',
    given: 'Karen Sø',
    family: 'Østergård',
    nameSince: '2010-06-01',
    previousNames: [{ given: 'Karen Sø', family: 'Ågesen', from: '1980-05-06', to: '2010-06-01' }],
    address: home,
    protection: [{ type: '0001', from: '2020-01-01' }],
    citizenship: '5100',
    civil: { civst: 'G', since: '2010-06-01', spouse: father },
    children: [child],
    events: [{ at: '202612010830', code: 'A13' }],
  };
  const jens: CprPersonSpec = {
    pnr: father,
    sex: 'M',
    birthDate: '1979-01-02',
    given: 'Jens',
    family: 'Østergård',
    address: home,
    civil: { civst: 'G', since: '2010-06-01', spouse: mother },
    children: [child],
  };
  const boy: CprPersonSpec = {
    pnr: child,
    sex: 'M',
    birthDate: '2015-08-09',
    given: 'Bo',
    family: 'Østergård',
    address: home,
    mother,
    father,
    custody: '0003',
    events: [{ at: '202612010900', code: 'A01', derived: '01' }],
  };
  return { mother, father, child, karen, jens, boy };
}

async function personOf(pnr: string) {
  const [row] = await database.db.select({ id: personIdentifiers.personId }).from(personIdentifiers).where(eq(personIdentifiers.value, pnr));
  return row?.id ?? null;
}
async function counts() {
  const [row] = await selectRows<{
    persons: number;
    names: number;
    addresses: number;
    relations: number;
    markers: number;
    identifiers: number;
    citizenships: number;
    events: number;
  }>(
    database.db,
    sql`select (select count(*) from persons)::int as persons, (select count(*) from person_names)::int as names, (select count(*) from addresses)::int as addresses,
          (select count(*) from family_relations)::int as relations, (select count(*) from protection_markers)::int as markers,
          (select count(*) from person_identifiers)::int as identifiers, (select count(*) from person_citizenships)::int as citizenships,
          (select count(*) from change_events)::int as events`,
  );
  return row!;
}

async function citizenshipsOf(personId: string) {
  const rows = await database.db.select().from(personCitizenships).where(eq(personCitizenships.personId, personId)).orderBy(personCitizenships.id);
  return rows.map((r) => [r.country, r.validFrom, r.validTo]);
}

describe.each([
  ['one record per line, trailing blanks cut', { shape: 'lines', trimTrailingBlanks: true }, 1000],
  ['fixed-length records, no line breaks', { shape: 'fixed' }, 2000],
] as const)('a CPR change extract, %s', (_, shape, task) => {
  it('creates each person from records spread over the file, with every part applied; a second ingest changes nothing', async () => {
    const { mother, father, child, karen, jens, boy } = family(task / 10);
    const before = await counts();
    // The three persons' records interleaved: no person's records stand together.
    const file = cprFile({ task, date: '2026-12-01' }, [interleaved(boy, karen, jens)], shape);
    const report = await ingestCpr(database.db, file, { today });
    expect(report.lines).toEqual([]);
    expect(report).toMatchObject({ accepted: true, repeated: false, task: String(task).padStart(6, '0'), productionDate: '2026-12-01' });
    expect(report.summary).toEqual({ personsCreated: 3, personsUpdated: 0, personsUnchanged: 0, personsRefused: 0, eventsWritten: 2 });

    const id = (await personOf(mother))!;
    const [p] = await database.db.select().from(persons).where(eq(persons.id, id));
    expect(p).toMatchObject({
      country: 'DK',
      sex: 'FEMALE',
      birthDate: '1980-05-06',
      status: 'ACTIVE',
      civilStatus: 'MARRIED',
      civilStatusSince: '2010-06-01',
      citizenships: ['DK'],
      municipalityCode: '101',
    });
    expect(p!.civilStatusPartnerId).toBe(await personOf(father));
    const names = await database.db.select().from(personNames).where(eq(personNames.personId, id)).orderBy(personNames.validFrom);
    expect(names.map((n) => [n.familyName, n.validFrom, n.validTo])).toEqual([
      ['Ågesen', '1980-05-06', '2010-06-01'],
      ['Østergård', '2010-06-01', null],
    ]);
    const [address] = await database.db.select().from(addresses).where(eq(addresses.personId, id));
    expect(address).toMatchObject({
      kind: 'REGISTERED',
      countryCode: 'DK',
      municipalityCode: '101',
      roadCode: '0345',
      streetName: 'Ægirsgade',
      houseNumber: '12',
      floor: '3',
      sideDoor: 'tv',
      postalCode: '2200',
      postalDistrict: 'København N',
      validFrom: '2016-01-01',
      validTo: null,
    });
    const markers = await database.db.select().from(protectionMarkers).where(eq(protectionMarkers.personId, id));
    expect(markers.map((m) => [m.kind, m.validFrom, m.validTo])).toEqual([['DK_NAME_AND_ADDRESS', '2020-01-01', null]]);
    expect(await citizenshipsOf(id)).toEqual([['DK', '1980-05-06', null]]); // 010's HAENSTART
    const relations = await database.db
      .select()
      .from(familyRelations)
      .where(eq(familyRelations.personId, (await personOf(child))!));
    expect(relations.map((r) => r.kind).sort()).toEqual(['CUSTODY_HOLDER', 'FATHER', 'MOTHER']);
    expect(relations.every((r) => r.relativePersonId !== null)).toBe(true);
    const events = await database.db
      .select()
      .from(changeEvents)
      .where(eq(changeEvents.personId, (await personOf(child))!));
    expect(
      events.map((e) => [
        e.type,
        (e.details as Record<string, unknown>).cprChangeCode ?? null,
        (e.details as Record<string, unknown>).cprDerivedMarker ?? null,
      ]),
    ).toEqual([
      ['PERSON_REGISTERED', null, null],
      ['MOVE', 'A01', '01'],
    ]);

    const afterFirst = await counts();
    expect(afterFirst.persons - before.persons).toBe(3);
    const again = await ingestCpr(database.db, file, { today });
    expect(again).toMatchObject({ accepted: true, repeated: true });
    expect(again.summary).toEqual({ personsCreated: 0, personsUpdated: 0, personsUnchanged: 3, personsRefused: 0, eventsWritten: 0 });
    expect(await counts()).toEqual(afterFirst);
  });
});

describe('the production-date chain', () => {
  const task = 3000;
  const one = { pnr: dkPnr('1990-01-01', 20), birthDate: '1990-01-01', address: home };
  it('accepts the next file, refuses one that skips a file (nothing written) unless forced', async () => {
    expect((await ingestCpr(database.db, cprFile({ task, date: '2026-11-01' }, [one]), { today })).accepted).toBe(true);
    expect(
      (await ingestCpr(database.db, cprFile({ task, date: '2026-11-02', previous: '2026-11-01' }, [{ ...one, given: 'Else' }]), { today })).summary
        .personsUpdated,
    ).toBe(1);
    const before = await counts();
    const skipping = cprFile({ task, date: '2026-11-04', previous: '2026-11-03' }, [{ ...one, given: 'Ellen' }]);
    const refused = await ingestCpr(database.db, skipping, { today });
    expect(refused).toMatchObject({
      accepted: false,
      summary: { personsCreated: 0, personsUpdated: 0, personsUnchanged: 0, personsRefused: 0, eventsWritten: 0 },
    });
    expect(refused.lines).toEqual([
      expect.objectContaining({
        severity: 'refused',
        pnr: null,
        recordType: '000',
        field: 'PRODDTOFORRIG',
        value: '2026-11-03',
        reason: 'CHAIN_BROKEN',
        line: 1,
      }),
    ]);
    expect(await counts()).toEqual(before);
    const older = await ingestCpr(database.db, cprFile({ task, date: '2026-10-30', previous: '2026-10-29' }, [one]), { today });
    expect(older.lines.map((l) => l.reason)).toEqual(['OUT_OF_ORDER']);
    const forced = await ingestCpr(database.db, skipping, { today, force: true });
    expect(forced).toMatchObject({ accepted: true, forced: true, summary: { personsUpdated: 1 } });
    // The chain goes on from the forced file.
    expect((await ingestCpr(database.db, cprFile({ task, date: '2026-11-05', previous: '2026-11-04' }, [one]), { today })).accepted).toBe(true);
  });
});

describe('a file with bad records', () => {
  it('lands the good persons; refuses each bad one with its record, field, value and reason; writes nothing of them', async () => {
    const good = { pnr: dkPnr('1970-02-03', 30), birthDate: '1970-02-03', address: home, events: [{ at: '202612010800', code: 'A01' }] };
    const badMunicipality = {
      pnr: dkPnr('1971-02-03', 31),
      birthDate: '1971-02-03',
      address: { ...home, komkod: '0999' },
      events: [{ at: '202612010800', code: 'A01' }],
    };
    const badProtection = { pnr: dkPnr('1972-02-03', 32), birthDate: '1972-02-03', address: home, protection: [{ type: '0009', from: '2020-01-01' }] };
    const badDate = { pnr: dkPnr('1973-02-03', 33), birthDate: '1973-02-03', address: { ...home, since: '2016-02-30' } };
    const pnr5 = dkPnr('1974-02-03', 34);
    const notNumeric = personRecords({ pnr: pnr5, birthDate: '1974-02-03' });
    // A letter in the numeric STATUS of the fifth person's 001 (the same length: the layout holds).
    const text = cprFile({ task: 4000, date: '2026-12-01' }, [good, badMunicipality, badProtection, badDate, notNumeric]).toString('latin1');
    const patched = Buffer.from(text.replace(`001${pnr5}${pnr5}01`, `001${pnr5}${pnr5}0X`), 'latin1');
    const before = await counts();
    const report = await ingestCpr(database.db, patched, { today });
    expect(report.accepted).toBe(true);
    expect(report.summary).toEqual({ personsCreated: 1, personsUpdated: 0, personsUnchanged: 0, personsRefused: 4, eventsWritten: 1 });
    const lines = report.lines.map(({ pnr, recordType, field, value, reason }) => ({ pnr, recordType, field, value, reason }));
    expect(lines).toEqual([
      { pnr: badMunicipality.pnr, recordType: '002', field: 'KOMKOD', value: '0999', reason: 'UNKNOWN_MUNICIPALITY' },
      { pnr: badProtection.pnr, recordType: '004', field: 'BESKYTTYPE', value: '0009', reason: 'UNKNOWN_PROTECTION_KIND' },
      { pnr: badDate.pnr, recordType: '002', field: 'TILFLYDTO', value: '201602301200', reason: 'BAD_DATE' },
      { pnr: pnr5, recordType: '001', field: 'STATUS', value: '0X', reason: 'NOT_NUMERIC' },
    ]);
    expect(report.lines.every((l) => typeof l.offset === 'number' && typeof l.line === 'number')).toBe(true);
    for (const bad of [badMunicipality, badProtection, badDate]) expect(await personOf(bad.pnr)).toBeNull();
    expect(await personOf(good.pnr)).not.toBeNull();
    const after = await counts();
    expect(after.persons - before.persons).toBe(1);
    expect(after.events - before.events).toBe(2); // PERSON_REGISTERED and the good person's MOVE
  });
});

describe('changes in a later file', () => {
  it('a new name ends the old one (name history) and its 099 is logged once; protection ends when its record says so', async () => {
    const pnr = dkPnr('1985-07-08', 40);
    const first = {
      pnr,
      birthDate: '1985-07-08',
      given: 'Mette',
      family: 'Holm',
      nameSince: '1985-07-08',
      address: home,
      protection: [{ type: '0001', from: '2025-01-01' }],
    };
    await ingestCpr(database.db, cprFile({ task: 5000, date: '2026-11-01' }, [first]), { today });
    const renamed = {
      ...first,
      family: 'Lund',
      nameSince: '2026-11-15',
      previousNames: [{ given: 'Mette', family: 'Holm', from: '1985-07-08', to: '2026-11-15' }],
      protection: [{ type: '0001', from: '2025-01-01', to: '2026-12-02' }],
      events: [
        { at: '202611150900', code: 'A13' },
        { at: '202612020900', code: 'A33' },
        { at: '202612020900', code: 'Z99' },
      ],
    };
    const second = cprFile({ task: 5000, date: '2026-11-16', previous: '2026-11-01' }, [renamed]);
    const report = await ingestCpr(database.db, second, { today });
    expect(report.summary).toMatchObject({ personsUpdated: 1, eventsWritten: 2 });
    expect(report.lines).toEqual([
      expect.objectContaining({ severity: 'notice', recordType: '099', field: 'HAENDELSE', value: 'Z99', reason: 'EVENT_CODE_UNKNOWN' }),
    ]);
    const id = (await personOf(pnr))!;
    const names = await database.db.select().from(personNames).where(eq(personNames.personId, id)).orderBy(personNames.validFrom);
    expect(names.map((n) => [n.familyName, n.validFrom, n.validTo])).toEqual([
      ['Holm', '1985-07-08', '2026-11-15'],
      ['Lund', '2026-11-15', null],
    ]);
    const markers = await database.db.select().from(protectionMarkers).where(eq(protectionMarkers.personId, id));
    expect(markers.map((m) => [m.validFrom, m.validTo])).toEqual([['2025-01-01', '2026-12-02']]);
    const events = await database.db.select().from(changeEvents).where(eq(changeEvents.personId, id));
    expect(events.map((e) => e.type)).toEqual(['PERSON_REGISTERED', 'NAME_CHANGE', 'PROTECTION_CHANGE']);
    expect((await ingestCpr(database.db, second, { today })).summary).toMatchObject({ personsUnchanged: 1, eventsWritten: 0 });
  });
});

describe('citizenship history (010 and 027)', () => {
  const pnr = dkPnr('1966-03-04', 60);
  const person: CprPersonSpec = {
    pnr,
    birthDate: '1966-03-04',
    address: home,
    citizenship: '5100',
    citizenshipSince: '2001-03-04',
    previousCitizenships: [
      { country: '5100', from: '1966-03-04', to: '1995-01-01' },
      { country: '5150', from: '1995-01-01', to: '2001-03-04' },
      { country: '5100', from: '1966-03-04', to: '1990-01-01', annulled: true },
    ],
  };

  it('the current one from its 010 start, ended ones from 027 (unknown country codes a notice, annulled ones skipped); a second ingest writes nothing', async () => {
    const file = cprFile({ task: 6000, date: '2026-11-01' }, [person]);
    const report = await ingestCpr(database.db, file, { today });
    expect(report.summary).toMatchObject({ personsCreated: 1, personsRefused: 0 });
    expect(report.lines.map(({ severity, recordType, field, value, reason }) => ({ severity, recordType, field, value, reason }))).toEqual([
      { severity: 'notice', recordType: '027', field: 'LANDEKOD', value: '5150', reason: 'COUNTRY_CODE_UNKNOWN' },
    ]);
    const id = (await personOf(pnr))!;
    expect(await citizenshipsOf(id)).toEqual([
      ['DK', '2001-03-04', null],
      ['DK', '1966-03-04', '1995-01-01'],
    ]);
    const afterFirst = await counts();
    const again = await ingestCpr(database.db, file, { today });
    expect(again.summary).toMatchObject({ personsCreated: 0, personsUpdated: 0, personsUnchanged: 1 });
    expect(await counts()).toEqual(afterFirst);
  });

  it('a citizenship no longer in 010 ends where its 027 says (the same period, not a second one), else today; again: unchanged', async () => {
    const id = (await personOf(pnr))!;
    const lost = cprFile({ task: 6000, date: '2026-11-02', previous: '2026-11-01' }, [
      { ...person, citizenship: undefined, previousCitizenships: [...person.previousCitizenships!, { country: '5100', from: '2001-03-04', to: '2026-06-01' }] },
    ]);
    expect((await ingestCpr(database.db, lost, { today })).summary).toMatchObject({ personsUpdated: 1, personsRefused: 0 });
    const [row] = await database.db.select({ citizenships: persons.citizenships }).from(persons).where(eq(persons.id, id));
    expect(row!.citizenships).toEqual([]);
    expect(await citizenshipsOf(id)).toEqual([
      ['DK', '2001-03-04', '2026-06-01'],
      ['DK', '1966-03-04', '1995-01-01'],
    ]);
    const afterLost = await counts();
    expect((await ingestCpr(database.db, lost, { today })).summary).toMatchObject({ personsUnchanged: 1 });
    expect(await counts()).toEqual(afterLost);

    // DK again from a 010 with a start; then dropped with no 027 saying when: it ends on the ingest's day.
    const regained = cprFile({ task: 6000, date: '2026-11-03', previous: '2026-11-02' }, [{ ...person, citizenshipSince: '2026-09-01' }]);
    await ingestCpr(database.db, regained, { today });
    expect((await citizenshipsOf(id)).slice(2)).toEqual([['DK', '2026-09-01', null]]);
    await ingestCpr(database.db, cprFile({ task: 6000, date: '2026-11-04', previous: '2026-11-03' }, [{ ...person, citizenship: undefined }]), { today });
    expect((await citizenshipsOf(id)).slice(2)).toEqual([['DK', '2026-09-01', today]]);
  });

  it('refuses a person whose 027 ends before it starts, writing nothing of them', async () => {
    const before = await counts();
    const backwards = {
      ...person,
      pnr: dkPnr('1967-03-04', 61),
      birthDate: '1967-03-04',
      previousCitizenships: [{ country: '5100', from: '2001-01-01', to: '1999-01-01' }],
    };
    const report = await ingestCpr(database.db, cprFile({ task: 6100, date: '2026-11-01' }, [backwards]), { today });
    expect(report.lines.map(({ recordType, field, reason }) => ({ recordType, field, reason }))).toEqual([
      { recordType: '027', field: 'HAENSLUT-STATSBORGERSKAB', reason: 'EMPTY_RANGE' },
    ]);
    expect(await personOf(backwards.pnr)).toBeNull();
    expect(await counts()).toEqual(before);
  });
});
