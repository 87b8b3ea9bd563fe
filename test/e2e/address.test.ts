import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { addresses, changeEvents, municipalities, protectionMarkers } from '../../db/schema/index.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { codes, useTestStack } from '../support/stack.js';

let sven: FixturePerson;
let mette: FixturePerson;
let hidden: FixturePerson;
let writer: Record<string, string>;

const ADDRESS_FIELDS = `kind countryCode municipalityCode municipalityName countyCode roadCode streetName houseNumber floor sideDoor buildingNumber
  locality postalCode postalDistrict city careOf deliveryLines standardAddressLine emigrationDate validFrom validTo current`;
const READ = /* GraphQL */ `
  query Addresses($id: String!) {
    person(identifier: $id) {
      address { ${ADDRESS_FIELDS} }
      specialPostalAddress { kind careOf deliveryLines postalCode city }
      addresses(includeHistoric: true) { kind municipalityCode validFrom validTo current }
    }
  }
`;
const MOVE = /* GraphQL */ `
  mutation Move($input: MoveAddressInput!) { moveAddress(input: $input) { address { ${ADDRESS_FIELDS} } } }
`;

/** Mette's current Danish address, every field CPR gives set: stored as it is, read back as it is. */
const METTE_ADDRESS = {
  kind: 'REGISTERED',
  countryCode: 'DK',
  municipalityCode: '751',
  countyCode: '1082',
  roadCode: '0420',
  streetName: 'Vestergade',
  houseNumber: '12',
  floor: '3',
  sideDoor: 'th',
  buildingNumber: 'B7',
  locality: 'Indre By',
  postalCode: '8000',
  postalDistrict: 'Aarhus C',
  careOf: 'c/o Jens Holm',
  standardAddressLine: 'Vestergade 12, 3. th',
  validFrom: '2015-04-01',
} as const;

async function read(p: FixturePerson) {
  const res = await env.stack.query(READ, { id: p.identifier });
  expect(res.errors).toBeUndefined();
  return res.data.person;
}

async function move(personId: string, movedOn: string, address: Record<string, unknown>, headers = writer) {
  return env.stack.query(MOVE, { input: { personId, movedOn, address } }, headers);
}

async function counts(personId: string) {
  const [row] = await selectRows<{ a: number; e: number }>(
    env.db,
    sql`select (select count(*)::int from addresses where person_id = ${personId}) as a, (select count(*)::int from change_events) as e`,
  );
  return row;
}

const env = useTestStack({
  seed: async (db) => {
    sven = await insertPerson(db, { identifier: '198211059954', givenNames: 'Sven', familyName: 'Ek', sex: 'MALE' });
    mette = await insertPerson(db, { identifier: '0101801234', country: 'DK', givenNames: 'Mette', familyName: 'Holm', municipalityCode: null });
    hidden = await insertPerson(db, { identifier: '191212121212', givenNames: 'Hemlig', familyName: 'Berg' });
    await db.insert(protectionMarkers).values({ personId: hidden.id, kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2020-01-01' });
    await db.insert(addresses).values([
      { personId: mette.id, ...METTE_ADDRESS },
      {
        personId: mette.id,
        kind: 'REGISTERED',
        countryCode: 'DK',
        municipalityCode: '101',
        postalCode: '1050',
        postalDistrict: 'København K',
        validFrom: '2005-01-01',
        validTo: '2015-04-01',
      },
      {
        personId: sven.id,
        kind: 'SPECIAL_POSTAL',
        countryCode: 'SE',
        careOf: 'c/o Lisa Ek',
        deliveryLines: ['Box 123'],
        postalCode: '411 01',
        postalDistrict: 'Göteborg',
        validFrom: '2020-01-01',
      },
    ]);
  },
});

beforeAll(async () => {
  writer = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read address:write', sub: 'clerk' })}` };
});

describe('addresses of both countries in one shape', () => {
  it('gives every Danish field, and the history with validity dates', async () => {
    const p = await read(mette);
    // Every field of the row as stored, and what the subgraph derives: the municipality's name, the
    // unused Swedish and foreign fields, and the validity.
    expect(p.address).toEqual({
      ...METTE_ADDRESS,
      municipalityName: 'Aarhus',
      city: null,
      deliveryLines: [],
      emigrationDate: null,
      validTo: null,
      current: true,
    });
    expect(p.addresses).toEqual([
      { kind: 'REGISTERED', municipalityCode: '751', validFrom: '2015-04-01', validTo: null, current: true },
      { kind: 'REGISTERED', municipalityCode: '101', validFrom: '2005-01-01', validTo: '2015-04-01', current: false },
    ]);
  });

  it('gives the Swedish fields and the special postal address', async () => {
    const p = await read(sven);
    expect(p.address).toMatchObject({
      countryCode: 'SE',
      municipalityCode: '0180',
      municipalityName: 'Stockholm',
      postalCode: '111 22',
      city: 'Stockholm',
      deliveryLines: [expect.stringMatching(/^Storgatan \d+$/)],
    });
    expect(p.address.standardAddressLine).toBe(p.address.deliveryLines[0]);
    expect(p.specialPostalAddress).toEqual({
      kind: 'SPECIAL_POSTAL',
      careOf: 'c/o Lisa Ek',
      deliveryLines: ['Box 123'],
      postalCode: '411 01',
      city: 'Göteborg',
    });
  });

  it('keys municipalities by country and code', async () => {
    await env.db.insert(municipalities).values([
      { country: 'SE', code: '999', name: 'Test SE' },
      { country: 'DK', code: '999', name: 'Test DK' },
    ]);
    const rows = await env.db.select().from(municipalities).where(eq(municipalities.code, '999'));
    expect(rows.map((r) => r.country).sort()).toEqual(['DK', 'SE']);
  });
});

describe('moves', () => {
  it('a move ends the previous address and writes a MOVE event with the municipality before and after', async () => {
    const res = await move(sven.id, '2024-05-01', {
      countryCode: 'SE',
      municipalityCode: '1480',
      streetName: 'Avenyn',
      houseNumber: '3',
      postalCode: '411 36',
      postalDistrict: 'Göteborg',
      deliveryLines: ['Avenyn 3'],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.moveAddress.address).toMatchObject({
      kind: 'REGISTERED',
      municipalityCode: '1480',
      municipalityName: 'Göteborg',
      countyCode: '14',
      validFrom: '2024-05-01',
      current: true,
    });
    const p = await read(sven);
    expect(p.address).toMatchObject({ municipalityCode: '1480', streetName: 'Avenyn' });
    expect(p.addresses.filter((a: any) => a.kind === 'REGISTERED')).toEqual([
      { kind: 'REGISTERED', municipalityCode: '1480', validFrom: '2024-05-01', validTo: null, current: true },
      { kind: 'REGISTERED', municipalityCode: '0180', validFrom: '2010-05-01', validTo: '2024-05-01', current: false },
    ]);
    expect(p.specialPostalAddress).not.toBeNull(); // a move does not touch the special postal address
    const events = await env.db.select().from(changeEvents).where(eq(changeEvents.personId, sven.id));
    expect(events).toMatchObject([
      {
        type: 'MOVE',
        identifier: sven.identifier,
        municipalityBefore: '0180',
        municipalityAfter: '1480',
        details: { addressKind: 'REGISTERED', validFrom: '2024-05-01' },
      },
    ]);
  });

  it('moving abroad registers a foreign address with the emigration date and an EMIGRATION event; moving back an IMMIGRATION', async () => {
    const res = await move(sven.id, '2024-09-01', { countryCode: 'no', deliveryLines: ['Karl Johans gate 1', '0154 Oslo', 'Norge'] });
    expect(res.errors).toBeUndefined();
    expect(res.data.moveAddress.address).toMatchObject({
      kind: 'FOREIGN',
      countryCode: 'NO',
      municipalityCode: null,
      emigrationDate: '2024-09-01',
      deliveryLines: ['Karl Johans gate 1', '0154 Oslo', 'Norge'],
      standardAddressLine: null,
    });
    expect((await read(sven)).address).toMatchObject({ kind: 'FOREIGN', countryCode: 'NO', emigrationDate: '2024-09-01' });
    const back = await move(sven.id, '2025-01-10', {
      countryCode: 'SE',
      municipalityCode: '0180',
      postalCode: '111 22',
      postalDistrict: 'Stockholm',
      deliveryLines: ['Storgatan 9'],
    });
    expect(back.errors).toBeUndefined();
    const events = await env.db.select().from(changeEvents).where(eq(changeEvents.personId, sven.id)).orderBy(changeEvents.id);
    expect(events.map((e) => [e.type, e.municipalityBefore, e.municipalityAfter, (e.details as any).addressKind])).toEqual([
      ['MOVE', '0180', '1480', 'REGISTERED'],
      ['EMIGRATION', '1480', null, 'FOREIGN'],
      ['IMMIGRATION', null, '0180', 'REGISTERED'],
    ]);
  });

  it('life status follows the events: EMIGRATED from the day of an emigration, ACTIVE again from the day of return', async () => {
    const leif = await insertPerson(env.db, {
      identifier: personalIdentityNumber({ birthDate: '1970-01-01', serial: 987 }),
      givenNames: 'Leif',
      familyName: 'Resande',
      sex: 'MALE',
    });
    const status = async () =>
      (await env.stack.query(`query($id: String!) { person(identifier: $id) { status statusDate } }`, { id: leif.identifier })).data.person;
    expect(await status()).toEqual({ status: 'ACTIVE', statusDate: null });
    expect((await move(leif.id, '2024-03-01', { countryCode: 'DK', deliveryLines: ['Nørregade 1', '1165 København K'] })).errors).toBeUndefined();
    expect(await status()).toEqual({ status: 'EMIGRATED', statusDate: '2024-03-01' });
    // Moving on abroad is a MOVE: still emigrated since the day they left.
    expect((await move(leif.id, '2024-06-01', { countryCode: 'NO', deliveryLines: ['Karl Johans gate 1', '0154 Oslo'] })).errors).toBeUndefined();
    expect(await status()).toEqual({ status: 'EMIGRATED', statusDate: '2024-03-01' });
    expect((await move(leif.id, '2025-01-10', { countryCode: 'SE', municipalityCode: '1480', postalCode: '411 01' })).errors).toBeUndefined();
    expect(await status()).toEqual({ status: 'ACTIVE', statusDate: '2025-01-10' });
    const events = await env.db.select().from(changeEvents).where(eq(changeEvents.personId, leif.id)).orderBy(changeEvents.id);
    expect(events.map((e) => e.type)).toEqual(['EMIGRATION', 'MOVE', 'IMMIGRATION']);
  });

  it('status and events agree when moves of one person race (abroad and back at once)', async () => {
    for (let round = 0; round < 4; round++) {
      const p = await insertPerson(env.db, {
        identifier: personalIdentityNumber({ birthDate: '1980-01-01', serial: 100 + round }),
        givenNames: 'Race',
        familyName: `Round${round}`,
      });
      const results = await Promise.all([
        move(p.id, '2025-03-01', { countryCode: 'NO', deliveryLines: ['Karl Johans gate 1', '0154 Oslo'] }),
        move(p.id, '2025-04-01', { countryCode: 'SE', municipalityCode: '1480', postalCode: '411 01' }),
        move(p.id, '2025-05-01', { countryCode: 'DK', deliveryLines: ['Nørregade 1', '1165 København K'] }),
      ]);
      // Serialised per person: a move dated before the one that won the race is refused, never half-written.
      for (const r of results) if (r.errors) expect(r.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DATE_OUT_OF_RANGE' });
      const events = await env.db.select().from(changeEvents).where(eq(changeEvents.personId, p.id)).orderBy(changeEvents.txId, changeEvents.id);
      expect(events.length).toBe(results.filter((r) => !r.errors).length);
      const life = events.filter((e) => e.type === 'EMIGRATION' || e.type === 'IMMIGRATION').at(-1);
      const expected = !life
        ? { status: 'ACTIVE', statusDate: null }
        : { status: life.type === 'EMIGRATION' ? 'EMIGRATED' : 'ACTIVE', statusDate: (life.details as any).validFrom };
      const [row] = await selectRows<{ status: string; statusDate: string | null }>(
        env.db,
        sql`select status, status_date::text as "statusDate" from persons where id = ${p.id}`,
      );
      expect(row, JSON.stringify(events.map((e) => e.type))).toEqual(expected);
    }
  });

  it('refuses a move of a deceased person, writing nothing', async () => {
    const late = await insertPerson(env.db, {
      identifier: personalIdentityNumber({ birthDate: '1940-01-01', serial: 987 }),
      givenNames: 'Gunnar',
      familyName: 'Avliden',
      sex: 'MALE',
    });
    await env.db.execute(sql`update persons set status = 'DECEASED', status_date = '2024-12-24' where id = ${late.id}`);
    const before = await counts(late.id);
    const res = await move(late.id, '2025-01-10', { countryCode: 'NO', deliveryLines: ['Karl Johans gate 1', '0154 Oslo'] });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'LIFE_STATUS' });
    expect(await counts(late.id)).toEqual(before);
  });

  it('accepts a Danish KOMKOD with 4 digits and stores the 3-digit kommunekode', async () => {
    const res = await move(mette.id, '2025-02-01', {
      countryCode: 'DK',
      municipalityCode: '0101',
      roadCode: '1234',
      streetName: 'Nørregade',
      houseNumber: '5',
      floor: 'st',
      sideDoor: 'tv',
      postalCode: '1165',
      postalDistrict: 'København K',
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.moveAddress.address).toMatchObject({
      municipalityCode: '101',
      municipalityName: 'København',
      countyCode: '1084',
      standardAddressLine: 'Nørregade 5, st. tv',
    });
    const [event] = await env.db.select().from(changeEvents).where(eq(changeEvents.personId, mette.id));
    expect(event).toMatchObject({ type: 'MOVE', municipalityBefore: '751', municipalityAfter: '101' });

    // The same 4-digit code finds her in a search and selects the move in an event filter: one reading everywhere.
    for (const code of ['0101', '101']) {
      const found = await env.stack.query(`query($c: String!) { searchPersons(filter: { municipalityCode: $c }) { edges { node { id } } } }`, { c: code });
      expect(found.errors).toBeUndefined();
      expect(
        found.data.searchPersons.edges.map((e: any) => e.node.id),
        code,
      ).toEqual([mette.id]);
      const moves = await env.stack.query(
        `query($c: String!) { changeEvents(first: 10, filter: { municipalityCodes: [$c] }) { edges { node { type person { id } } } } }`,
        { c: code },
      );
      expect(moves.errors).toBeUndefined();
      expect(
        moves.data.changeEvents.edges.map((e: any) => [e.node.type, e.node.person.id]),
        code,
      ).toEqual([['MOVE', mette.id]]);
    }
    // An unknown code is refused in both, as in the move, instead of quietly matching nothing.
    const search = await env.stack.query(`{ searchPersons(filter: { municipalityCode: "9999" }) { edges { node { id } } } }`);
    expect(search.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_MUNICIPALITY' });
    const pull = await env.stack.query(`{ changeEvents(first: 1, filter: { municipalityCodes: ["0180", "9999"] }) { edges { cursor } } }`);
    expect(pull.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_MUNICIPALITY' });
  });

  it('refuses bad input with a stable code and writes nothing', async () => {
    const before = await counts(mette.id);
    const good = { countryCode: 'DK', municipalityCode: '751', postalCode: '8000' };
    const cases: [string, string, Record<string, unknown>, string, string?][] = [
      [mette.id, '2025-06-01', { ...good, municipalityCode: '9999' }, 'BAD_USER_INPUT', 'UNKNOWN_MUNICIPALITY'],
      [mette.id, '2025-06-01', { ...good, municipalityCode: '0180' }, 'BAD_USER_INPUT', 'UNKNOWN_MUNICIPALITY'], // a Swedish code
      [mette.id, '2025-06-01', { ...good, municipalityCode: 'abc' }, 'BAD_USER_INPUT', 'UNKNOWN_MUNICIPALITY'],
      [mette.id, '2025-06-01', { ...good, municipalityCode: null }, 'BAD_USER_INPUT', 'INVALID_MUNICIPALITY_CODE'],
      [mette.id, '2025-06-01', { ...good, postalCode: null }, 'BAD_USER_INPUT', 'POSTAL_CODE'],
      [mette.id, '2025-06-01', { countryCode: 'Denmark' }, 'BAD_USER_INPUT', 'COUNTRY'],
      [mette.id, '2025-06-01', { countryCode: 'DE', municipalityCode: '101', deliveryLines: ['Berlin'] }, 'BAD_USER_INPUT', 'INVALID_MUNICIPALITY_CODE'],
      [mette.id, '2025-06-01', { countryCode: 'DE' }, 'BAD_USER_INPUT', 'DELIVERY_LINES'],
      [mette.id, '2025-01-15', good, 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE'], // before the current address began
      [mette.id, '2999-01-01', good, 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE'],
      [mette.id, '2025-02-30', good, 'BAD_USER_INPUT', 'IMPOSSIBLE_DATE'],
      ['00000000-0000-4000-8000-000000000000', '2025-06-01', good, 'NOT_FOUND'],
      ['mette', '2025-06-01', good, 'BAD_USER_INPUT', 'INVALID_ID'],
    ];
    for (const [personId, movedOn, address, code, reason] of cases) {
      const res = await move(personId, movedOn, address);
      expect(codes(res), JSON.stringify([movedOn, address])).toEqual([code]);
      if (reason) expect(res.errors![0]!.extensions!.reason).toBe(reason);
    }
    expect(await counts(mette.id)).toEqual(before);
  });

  it('needs the address:write scope, and refuses a person whose address is hidden from the caller', async () => {
    const good = { countryCode: 'SE', municipalityCode: '0180', postalCode: '111 22' };
    const unscoped = await env.stack.query(MOVE, { input: { personId: sven.id, movedOn: '2025-06-01', address: good } });
    expect(codes(unscoped)).toEqual(['FORBIDDEN']);
    expect(unscoped.errors![0]!.message).toContain('address:write');
    const before = await counts(hidden.id);
    expect(codes(await move(hidden.id, '2025-06-01', good))).toEqual(['PROTECTED_IDENTITY']);
    expect(await counts(hidden.id)).toEqual(before);
  });
});
