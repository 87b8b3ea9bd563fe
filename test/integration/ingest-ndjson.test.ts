import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { addresses, changeEvents, personIdentifiers, personNames, persons, protectionMarkers } from '../../db/schema/index.js';
import { ingestNdjson } from '../../ingest/ndjson.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { SchemaSet } from '../../kernel/json-schema.js';
import { PERSON_RECORD_SCHEMA } from '../support/delivery.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const today = '2026-12-02';
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.dispose());

/** A Swedish person's line, in the shape of folkreg's own files (person-record.schema.json). */
function record(serial: number, over: Record<string, unknown> = {}) {
  const birthDate = '1984-03-0' + ((serial % 9) + 1);
  return {
    recordType: 'PERSON',
    id: '6f1c8a52-3d4e-4b7a-9c1d-0e2f3a4b5c6d',
    country: 'SE',
    identifier: personalIdentityNumber({ birthDate, serial }),
    identifierKind: 'PERSONAL_IDENTITY_NUMBER',
    name: { givenNames: 'Åsa Märta', middleName: null, familyName: 'Öberg', addressingName: 'Öberg, Åsa', validFrom: '2004-06-01' },
    birthDate,
    sex: 'FEMALE',
    status: 'ACTIVE',
    statusDate: null,
    civilStatus: 'MARRIED',
    civilStatusSince: '2010-08-14',
    citizenships: ['SE', 'FI'],
    protection: [],
    address: {
      kind: 'REGISTERED',
      countryCode: 'SE',
      municipalityCode: '1480',
      municipalityName: 'Göteborg',
      streetName: 'Kungsgatan 12',
      postalCode: '41119',
      postalDistrict: 'Göteborg',
      careOf: null,
      validFrom: '2019-01-01',
    },
    withheld: [],
    ...over,
  };
}
const file = (...lines: (object | string)[]) => Buffer.from(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
const idOf = async (pnr: string) =>
  (await database.db.select({ id: personIdentifiers.personId }).from(personIdentifiers).where(eq(personIdentifiers.value, pnr)))[0]?.id ?? null;
async function counts() {
  const [row] = await selectRows<{ persons: number; names: number; addresses: number; markers: number; events: number; touched: string }>(
    database.db,
    sql`select (select count(*)::int from persons) as persons, (select count(*)::int from person_names) as names,
               (select count(*)::int from addresses) as addresses, (select count(*)::int from protection_markers) as markers,
               (select count(*)::int from change_events) as events, (select max(updated_at)::text from persons) as touched`,
  );
  return row!;
}

describe('the NDJSON change import (Swedish persons)', () => {
  it('its lines are total records of the published file schema: what folkreg writes, it reads', () => {
    const set = new SchemaSet([PERSON_RECORD_SCHEMA]);
    expect(set.faults(PERSON_RECORD_SCHEMA.$id, record(1))).toEqual([]);
  });

  it('creates each person with every part applied; a second import changes nothing and writes no event', async () => {
    const a = record(11);
    const b = record(12, { protection: [{ kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2025-01-01', validTo: null }], citizenships: ['SE'] });
    const bytes = file(a, b);
    const report = await ingestNdjson(database.db, bytes, { today });
    expect(report).toMatchObject({ format: 'ndjson', accepted: true, summary: { personsCreated: 2, personsRefused: 0 }, lines: [] });
    const id = (await idOf(a.identifier))!;
    const [row] = await database.db.select().from(persons).where(eq(persons.id, id));
    expect(row).toMatchObject({ country: 'SE', sex: 'FEMALE', civilStatus: 'MARRIED', civilStatusSince: '2010-08-14', registeringAuthority: 'Skatteverket' });
    expect([...row!.citizenships].sort()).toEqual(['FI', 'SE']);
    expect(row!.municipalityCode).toBe('1480');
    const [name] = await database.db.select().from(personNames).where(eq(personNames.personId, id));
    expect(name).toMatchObject({ givenNames: 'Åsa Märta', familyName: 'Öberg', validFrom: '2004-06-01', validTo: null });
    const [address] = await database.db.select().from(addresses).where(eq(addresses.personId, id));
    expect(address).toMatchObject({ kind: 'REGISTERED', municipalityCode: '1480', countyCode: '14', streetName: 'Kungsgatan 12', postalCode: '41119' });
    const markers = await database.db
      .select()
      .from(protectionMarkers)
      .where(eq(protectionMarkers.personId, (await idOf(b.identifier))!));
    expect(markers.map((m) => [m.kind, m.validFrom, m.validTo])).toEqual([['SE_PROTECTED_REGISTRATION', '2025-01-01', null]]);
    const registered = await database.db.select().from(changeEvents).where(eq(changeEvents.personId, id));
    expect(registered.map((e) => [e.type, e.details])).toEqual([['PERSON_REGISTERED', { source: 'NDJSON' }]]);

    const before = await counts();
    const again = await ingestNdjson(database.db, bytes, { today });
    expect(again.summary).toEqual({ personsCreated: 0, personsUpdated: 0, personsUnchanged: 2, personsRefused: 0, eventsWritten: 0 });
    expect(await counts()).toEqual(before);
  });

  it('a changed name keeps the old one as a previous name; a withheld category is left as it is; events are logged once', async () => {
    const a = record(21);
    await ingestNdjson(database.db, file(a), { today });
    const id = (await idOf(a.identifier))!;
    const renamed = record(21, {
      name: { ...a.name, familyName: 'Lind', addressingName: 'Lind, Åsa', validFrom: '2026-11-20' },
      address: null,
      withheld: ['ADDRESS'],
      events: [
        {
          cursor: 'x',
          type: 'NAME_CHANGE',
          cprChangeCode: null,
          occurredAt: '2026-11-20T00:00:00.000Z',
          recordedAt: '2026-11-20T08:00:00.000Z',
          municipalityBefore: null,
          municipalityAfter: null,
        },
      ],
    });
    const report = await ingestNdjson(database.db, file(renamed), { today });
    expect(report.summary).toMatchObject({ personsUpdated: 1, eventsWritten: 1 });
    const names = await database.db.select().from(personNames).where(eq(personNames.personId, id)).orderBy(personNames.id);
    expect(names.map((n) => [n.familyName, n.validFrom, n.validTo])).toEqual([
      ['Öberg', '2004-06-01', '2026-11-20'],
      ['Lind', '2026-11-20', null],
    ]);
    const current = await database.db.select().from(addresses).where(eq(addresses.personId, id));
    expect(current.map((r) => [r.streetName, r.validTo])).toEqual([['Kungsgatan 12', null]]);
    expect((await ingestNdjson(database.db, file(renamed), { today })).summary).toMatchObject({ personsUnchanged: 1, eventsWritten: 0 });
    const events = await database.db.select().from(changeEvents).where(eq(changeEvents.personId, id));
    expect(events.map((e) => e.type).sort()).toEqual(['NAME_CHANGE', 'PERSON_REGISTERED']);
  });

  it('bad lines refuse their person with line, JSON pointer, value and reason; the good persons land, nothing of the bad is written', async () => {
    const good = record(31);
    const impossible = record(32, { birthDate: '1984-02-30' });
    const municipality = record(33, { address: { ...record(33).address, municipalityCode: '9999' } });
    const checkDigit = record(34, { identifier: record(34).identifier.slice(0, 11) + ((Number(record(34).identifier[11]) + 1) % 10) });
    const danish = record(35, { country: 'DK' });
    const twice = record(36);
    const overlapping = record(37, {
      protection: [
        { kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2025-01-01', validTo: null },
        { kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2025-06-01', validTo: null },
      ],
    });
    const before = await counts();
    const report = await ingestNdjson(
      database.db,
      file('{"recordType": "PERSON", ', impossible, good, municipality, checkDigit, danish, twice, twice, overlapping),
      {
        today,
      },
    );
    // Eight lines refused, seven persons: the one named twice counts once.
    expect(report.summary).toMatchObject({ personsCreated: 1, personsRefused: 7 });
    const refused = report.lines.map((l) => [l.line, l.field, l.value, l.reason]);
    expect(refused).toEqual([
      [1, null, null, 'NOT_JSON'],
      [2, '/birthDate', '"1984-02-30"', 'SCHEMA'],
      [4, '/address/municipalityCode', '"9999"', 'UNKNOWN_MUNICIPALITY'],
      [5, '/identifier', JSON.stringify(checkDigit.identifier), 'BAD_PNR'],
      [6, '/country', '"DK"', 'SCHEMA'],
      [7, '/identifier', JSON.stringify(twice.identifier), 'DUPLICATE_PERSON'],
      [8, '/identifier', JSON.stringify(twice.identifier), 'DUPLICATE_PERSON'],
      [9, '/protection/1/validFrom', '"2025-06-01"', 'OVERLAPPING_MARKER'],
    ]);
    expect(report.lines.every((l) => l.severity === 'refused' && l.recordType === 'PERSON' && l.offset >= 0)).toBe(true);
    expect(await idOf(good.identifier)).not.toBeNull();
    for (const r of [municipality, twice, overlapping]) expect(await idOf(r.identifier)).toBeNull();
    const after = await counts();
    expect([after.persons - before.persons, after.names - before.names, after.addresses - before.addresses, after.markers - before.markers]).toEqual([
      1, 1, 1, 0,
    ]);
  });
});
