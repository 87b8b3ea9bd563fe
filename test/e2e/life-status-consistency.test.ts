import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { persons } from '../../db/schema/index.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { eventsOf, expectRefused, registerState, swede } from '../support/register-writes.js';
import { useTestStack } from '../support/stack.js';

/**
 * The register's facts kept consistent with each other across writes: a death widows the surviving
 * spouse or partner (and its annulment undoes that), a move ends a disappearance, and a dead person
 * neither moves nor emigrates.
 */
let anna: FixturePerson;
let bertil: FixturePerson;
let cecilia: FixturePerson;
let david: FixturePerson;
let erik: FixturePerson;
let frida: FixturePerson;
let gustav: FixturePerson;
let clerk: string;

const person = (birthDate: string, serial: number, givenNames: string) => swede(birthDate, serial, givenNames, 'Sjö');

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, person('1950-01-01', 124, 'Anna'));
    bertil = await insertPerson(db, person('1949-02-02', 135, 'Bertil'));
    cecilia = await insertPerson(db, person('1960-03-03', 146, 'Cecilia'));
    david = await insertPerson(db, person('1961-04-04', 157, 'David'));
    erik = await insertPerson(db, person('1962-05-05', 168, 'Erik'));
    frida = await insertPerson(db, person('1980-06-06', 179, 'Frida'));
    gustav = await insertPerson(db, person('1981-07-07', 180, 'Gustav'));
    // The fixture makes everyone MARRIED without a partner; these start unmarried and marry through the API.
    for (const p of [anna, bertil, cecilia, david, erik])
      await db.update(persons).set({ civilStatus: 'UNMARRIED', civilStatusSince: null }).where(eq(persons.id, p.id));
  },
});

const CIVIL = /* GraphQL */ `
  query Civil($id: String!) {
    person(identifier: $id) {
      status
      statusDate
      civilStatus
      civilStatusSince
      civilStatusPartner {
        id
      }
    }
  }
`;
const CHANGE = /* GraphQL */ `
  mutation Civil($input: ChangeCivilStatusInput!) {
    changeCivilStatus(input: $input) {
      person {
        civilStatus
      }
    }
  }
`;
const DEATH = /* GraphQL */ `
  mutation Death($input: RegisterDeathInput!) {
    registerDeath(input: $input) {
      person {
        status
        civilStatus
      }
    }
  }
`;
const ANNUL = /* GraphQL */ `
  mutation Annul($input: AnnulDeathInput!) {
    annulDeath(input: $input) {
      person {
        status
      }
    }
  }
`;
const DISAPPEAR = /* GraphQL */ `
  mutation Disappear($input: LifeEventInput!) {
    registerDisappearance(input: $input) {
      person {
        status
      }
    }
  }
`;
const MOVE = /* GraphQL */ `
  mutation Move($input: MoveAddressInput!) {
    moveAddress(input: $input) {
      address {
        kind
        validFrom
      }
    }
  }
`;

async function read(p: FixturePerson) {
  const res = await env.stack.query(CIVIL, { id: p.identifier });
  expect(res.errors).toBeUndefined();
  return res.data.person;
}
const civilOf = async (p: FixturePerson) => {
  const { civilStatus, civilStatusSince, civilStatusPartner } = await read(p);
  return { civilStatus, civilStatusSince, partner: civilStatusPartner?.id ?? null };
};
const marry = async (a: FixturePerson, b: FixturePerson, civilStatus: string, since: string) => {
  const res = await env.stack.queryAs(clerk, CHANGE, { input: { personId: a.id, civilStatus, since, partnerPersonId: b.id } });
  expect(res.errors).toBeUndefined();
};
const death = (p: FixturePerson, diedOn: string) => env.stack.queryAs(clerk, DEATH, { input: { personId: p.id, diedOn } });
const annul = (p: FixturePerson) => env.stack.queryAs(clerk, ANNUL, { input: { personId: p.id } });
const move = (p: FixturePerson, movedOn: string, address: Record<string, unknown>) =>
  env.stack.queryAs(clerk, MOVE, { input: { personId: p.id, movedOn, address } });
const HOME = { countryCode: 'SE', municipalityCode: '2505', streetName: 'Storgatan', houseNumber: '1', postalCode: '933 31' };
const ABROAD = { countryCode: 'NO', deliveryLines: ['Karl Johans gate 1', '0154 Oslo'] };
const types = async (p: FixturePerson) => (await eventsOf(env.stack, p.id)).map((e) => `${e.type} ${e.cprChangeCode ?? ''}`.trim());
const addressCount = async () => (await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from addresses`))[0]!.n;

beforeAll(async () => {
  clerk = await env.stack.token('folkreg:read register:write address:write', { sub: 'registrar' });
});

describe('a death widows the surviving spouse or partner', () => {
  it('the spouse becomes WIDOWED from the day of death, with an A24 of their own, in the same write', async () => {
    await marry(anna, bertil, 'MARRIED', '1975-06-14');
    const res = await death(bertil, '2024-02-10');
    expect(res.errors).toBeUndefined();
    expect(res.data.registerDeath.person).toEqual({ status: 'DECEASED', civilStatus: 'MARRIED' });
    expect(await civilOf(anna)).toEqual({ civilStatus: 'WIDOWED', civilStatusSince: '2024-02-10', partner: bertil.id });
    expect(await types(anna)).toEqual(['CIVIL_STATUS_CHANGE A24', 'CIVIL_STATUS_CHANGE A24']);
    expect(await types(bertil)).toEqual(['CIVIL_STATUS_CHANGE A24', 'DEATH A21']);
  });

  it('an annulled death makes the survivor married again, from the day the marriage began', async () => {
    const res = await annul(bertil);
    expect(res.errors).toBeUndefined();
    expect(await civilOf(anna)).toEqual({ civilStatus: 'MARRIED', civilStatusSince: '1975-06-14', partner: bertil.id });
    expect((await read(bertil)).status).toBe('ACTIVE');
    expect(await types(anna)).toEqual(['CIVIL_STATUS_CHANGE A24', 'CIVIL_STATUS_CHANGE A24', 'CIVIL_STATUS_CHANGE A24']);
  });

  it('a registered partner becomes SURVIVING_PARTNER; one who has remarried since keeps the new marriage when the death is annulled', async () => {
    await marry(cecilia, david, 'REGISTERED_PARTNERSHIP', '2001-09-01');
    expect((await death(david, '2020-03-03')).errors).toBeUndefined();
    expect(await civilOf(cecilia)).toEqual({ civilStatus: 'SURVIVING_PARTNER', civilStatusSince: '2020-03-03', partner: david.id });
    await marry(cecilia, erik, 'MARRIED', '2022-08-08');
    expect((await annul(david)).errors).toBeUndefined();
    expect(await civilOf(cecilia)).toEqual({ civilStatus: 'MARRIED', civilStatusSince: '2022-08-08', partner: erik.id });
    expect(await civilOf(erik)).toEqual({ civilStatus: 'MARRIED', civilStatusSince: '2022-08-08', partner: cecilia.id });
  });

  it('refuses a death before the marriage began, writing nothing on either side', async () => {
    const before = await registerState(env.db);
    await expectRefused(env.db, await death(anna, '1975-06-13'), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);
    expect(await civilOf(bertil)).toEqual({ civilStatus: 'MARRIED', civilStatusSince: '1975-06-14', partner: anna.id });
  });
});

describe('life status and moves', () => {
  it('a move of a disappeared person ends the disappearance: REAPPEARANCE (A03) then MOVE (A01), ACTIVE from the move', async () => {
    expect((await env.stack.queryAs(clerk, DISAPPEAR, { input: { personId: frida.id, on: '2023-01-01' } })).errors).toBeUndefined();
    const res = await move(frida, '2023-09-01', HOME);
    expect(res.errors).toBeUndefined();
    expect(await read(frida)).toMatchObject({ status: 'ACTIVE', statusDate: '2023-09-01' });
    const events = (await eventsOf(env.stack, frida.id)).map((e) => [e.type, e.cprChangeCode, e.municipalityAfter]);
    expect(events).toEqual([
      ['DISAPPEARANCE', 'A02', null],
      ['REAPPEARANCE', 'A03', '2505'],
      ['MOVE', 'A01', '2505'],
    ]);
  });

  it('an emigration of a disappeared person is a reappearance and an emigration: EMIGRATED', async () => {
    expect((await env.stack.queryAs(clerk, DISAPPEAR, { input: { personId: frida.id, on: '2024-01-01' } })).errors).toBeUndefined();
    // Not before the disappearance.
    const before = await registerState(env.db);
    const addresses = await addressCount();
    await expectRefused(env.db, await move(frida, '2023-12-01', ABROAD), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);
    expect(await addressCount()).toBe(addresses);
    expect((await move(frida, '2024-03-01', ABROAD)).errors).toBeUndefined();
    expect(await read(frida)).toMatchObject({ status: 'EMIGRATED', statusDate: '2024-03-01' });
    expect((await types(frida)).slice(-3)).toEqual(['DISAPPEARANCE A02', 'REAPPEARANCE A03', 'EMIGRATION A06']);
  });

  it('a dead person neither emigrates nor moves (LIFE_STATUS), nothing written', async () => {
    expect((await death(gustav, '2024-05-05')).errors).toBeUndefined();
    const before = await registerState(env.db);
    const addresses = await addressCount();
    await expectRefused(env.db, await move(gustav, '2024-06-01', ABROAD), 'BAD_USER_INPUT', 'LIFE_STATUS', before);
    await expectRefused(env.db, await move(gustav, '2024-06-01', HOME), 'BAD_USER_INPUT', 'LIFE_STATUS', before);
    expect(await addressCount()).toBe(addresses);
  });
});
