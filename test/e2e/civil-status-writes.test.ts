import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { persons } from '../../db/schema/index.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { eventsOf, expectRefused, registerState, swede } from '../support/register-writes.js';
import { useTestStack } from '../support/stack.js';

let eva: FixturePerson;
let olle: FixturePerson;
let pia: FixturePerson;
let rut: FixturePerson;
let clerk: string;

const person = (birthDate: string, serial: number, givenNames: string) => swede(birthDate, serial, givenNames, 'Nord');

const env = useTestStack({
  seed: async (db) => {
    eva = await insertPerson(db, person('1980-01-01', 124, 'Eva'));
    olle = await insertPerson(db, person('1979-02-02', 135, 'Olle'));
    pia = await insertPerson(db, person('1985-03-03', 146, 'Pia'));
    rut = await insertPerson(db, person('2010-04-04', 157, 'Rut'));
    // The fixture makes everyone MARRIED; these four start unmarried.
    for (const p of [eva, olle, pia, rut]) await db.update(persons).set({ civilStatus: 'UNMARRIED', civilStatusSince: null }).where(eq(persons.id, p.id));
  },
});

const READ = /* GraphQL */ `
  query Civil($id: String!) {
    person(identifier: $id) {
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
        civilStatusSince
        civilStatusPartner {
          id
        }
      }
    }
  }
`;

async function civil(p: FixturePerson) {
  const res = await env.stack.query(READ, { id: p.identifier });
  expect(res.errors).toBeUndefined();
  return res.data.person;
}
const change = (input: Record<string, unknown>) => env.stack.queryAs(clerk, CHANGE, { input });

beforeAll(async () => {
  clerk = await env.stack.token('folkreg:read register:write', { sub: 'registrar' });
});

describe('civil status with the spouse, both sides', () => {
  it('a marriage makes both MARRIED to each other, one A24 event each', async () => {
    const res = await change({ personId: eva.id, civilStatus: 'MARRIED', since: '2015-06-20', partnerPersonId: olle.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.changeCivilStatus.person).toEqual({ civilStatus: 'MARRIED', civilStatusSince: '2015-06-20', civilStatusPartner: { id: olle.id } });
    expect(await civil(olle)).toEqual({ civilStatus: 'MARRIED', civilStatusSince: '2015-06-20', civilStatusPartner: { id: eva.id } });
    for (const p of [eva, olle]) {
      expect((await eventsOf(env.stack, p.id)).map((e) => [e.type, e.cprChangeCode])).toEqual([['CIVIL_STATUS_CHANGE', 'A24']]);
    }
  });

  it('refuses a spouse married to someone else, a second marriage, oneself, a child, and days out of order, writing nothing', async () => {
    const before = await registerState(env.db);
    await expectRefused(
      env.db,
      await change({ personId: pia.id, civilStatus: 'MARRIED', since: '2020-01-01', partnerPersonId: olle.id }),
      'CONFLICT',
      'SPOUSE_MARRIED',
      before,
    );
    await expectRefused(
      env.db,
      await change({ personId: eva.id, civilStatus: 'MARRIED', since: '2020-01-01', partnerPersonId: pia.id }),
      'CONFLICT',
      'ALREADY_MARRIED',
      before,
    );
    await expectRefused(
      env.db,
      await change({ personId: pia.id, civilStatus: 'MARRIED', since: '2020-01-01', partnerPersonId: pia.id }),
      'BAD_USER_INPUT',
      'RELATIVE',
      before,
    );
    await expectRefused(
      env.db,
      await change({ personId: pia.id, civilStatus: 'MARRIED', since: '2009-01-01', partnerPersonId: rut.id }),
      'BAD_USER_INPUT',
      'EVENT_BEFORE_BIRTH',
      before,
    );
    await expectRefused(env.db, await change({ personId: pia.id, civilStatus: 'DIVORCED', since: '2020-01-01' }), 'CONFLICT', 'NOT_MARRIED', before);
    await expectRefused(
      env.db,
      await change({ personId: eva.id, civilStatus: 'DIVORCED', since: '2015-06-20' }),
      'BAD_USER_INPUT',
      'DATE_OUT_OF_RANGE',
      before,
    );
    await expectRefused(env.db, await change({ personId: eva.id, civilStatus: 'UNMARRIED', since: '2020-01-01' }), 'BAD_USER_INPUT', 'CIVIL_STATUS', before);
    await expectRefused(env.db, await change({ personId: eva.id, civilStatus: 'DIVORCED', since: '2020-02-30' }), 'BAD_USER_INPUT', 'IMPOSSIBLE_DATE', before);
    await expectRefused(
      env.db,
      await change({ personId: eva.id, civilStatus: 'DIVORCED', since: '2020-01-01', partnerPersonId: pia.id }),
      'BAD_USER_INPUT',
      'RELATIVE',
      before,
    );
    const unscoped = await env.stack.query(CHANGE, { input: { personId: eva.id, civilStatus: 'DIVORCED', since: '2020-01-01' } });
    await expectRefused(env.db, unscoped, 'FORBIDDEN', 'MISSING_SCOPE', before);
  });

  it('a divorce changes both sides, the former spouse kept; then either may marry again', async () => {
    const res = await change({ personId: olle.id, civilStatus: 'DIVORCED', since: '2021-09-01' });
    expect(res.errors).toBeUndefined();
    expect(await civil(eva)).toEqual({ civilStatus: 'DIVORCED', civilStatusSince: '2021-09-01', civilStatusPartner: { id: olle.id } });
    expect(await civil(olle)).toEqual({ civilStatus: 'DIVORCED', civilStatusSince: '2021-09-01', civilStatusPartner: { id: eva.id } });
    expect((await eventsOf(env.stack, eva.id)).map((e) => e.type)).toEqual(['CIVIL_STATUS_CHANGE', 'CIVIL_STATUS_CHANGE']);
    const again = await change({ personId: pia.id, civilStatus: 'REGISTERED_PARTNERSHIP', since: '2022-01-01', partnerPersonId: eva.id });
    expect(again.errors).toBeUndefined();
    expect(await civil(eva)).toMatchObject({ civilStatus: 'REGISTERED_PARTNERSHIP', civilStatusPartner: { id: pia.id } });
  });

  it('widowhood: the partner’s death makes this side SURVIVING_PARTNER itself; the deceased’s side stays', async () => {
    const death = await env.stack.queryAs(clerk, 'mutation($input: RegisterDeathInput!) { registerDeath(input: $input) { person { status } } }', {
      input: { personId: eva.id, diedOn: '2022-12-24' },
    });
    expect(death.errors).toBeUndefined();
    expect(await civil(pia)).toEqual({ civilStatus: 'SURVIVING_PARTNER', civilStatusSince: '2022-12-24', civilStatusPartner: { id: eva.id } });
    expect(await civil(eva)).toMatchObject({ civilStatus: 'REGISTERED_PARTNERSHIP' });
    // Written by hand as well, it ends a partnership she is no longer in.
    const before = await registerState(env.db);
    await expectRefused(env.db, await change({ personId: pia.id, civilStatus: 'SURVIVING_PARTNER', since: '2023-01-01' }), 'CONFLICT', 'NOT_MARRIED', before);
  });
});
