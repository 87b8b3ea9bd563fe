import { beforeAll, describe, expect, it } from 'vitest';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { eventsOf, expectRefused, registerState, swede } from '../support/register-writes.js';
import { useTestStack } from '../support/stack.js';
import { today } from '../../subgraphs/shared/writes.js';

let astrid: FixturePerson;
let bo: FixturePerson;
let cilla: FixturePerson;
let clerk: string;

const person = (birthDate: string, serial: number, givenNames: string) => swede(birthDate, serial, givenNames, 'Lind');

const env = useTestStack({
  seed: async (db) => {
    astrid = await insertPerson(db, person('1940-02-03', 124, 'Astrid'));
    bo = await insertPerson(db, person('1975-06-07', 135, 'Bo'));
    cilla = await insertPerson(db, person('1990-11-12', 146, 'Cilla'));
  },
});

const STATUS = /* GraphQL */ `
  query Status($id: String!) {
    person(identifier: $id) {
      status
      statusDate
    }
  }
`;
const DEATH = /* GraphQL */ `
  mutation Death($input: RegisterDeathInput!) {
    registerDeath(input: $input) {
      person {
        id
        status
        statusDate
      }
    }
  }
`;
const ANNUL = /* GraphQL */ `
  mutation Annul($input: AnnulDeathInput!) {
    annulDeath(input: $input) {
      person {
        status
        statusDate
      }
    }
  }
`;
const DISAPPEAR = /* GraphQL */ `
  mutation Disappear($input: LifeEventInput!) {
    registerDisappearance(input: $input) {
      person {
        status
        statusDate
      }
    }
  }
`;
const REAPPEAR = /* GraphQL */ `
  mutation Reappear($input: LifeEventInput!) {
    registerReappearance(input: $input) {
      person {
        status
        statusDate
      }
    }
  }
`;

async function status(p: FixturePerson) {
  const res = await env.stack.query(STATUS, { id: p.identifier });
  expect(res.errors).toBeUndefined();
  return res.data.person;
}

beforeAll(async () => {
  clerk = await env.stack.token('folkreg:read register:write', { sub: 'registrar' });
});

describe('death and its annulment', () => {
  it('registers a death: DECEASED from the day, one DEATH event (A21)', async () => {
    const res = await env.stack.queryAs(clerk, DEATH, { input: { personId: astrid.id, diedOn: '2024-03-01' } });
    expect(res.errors).toBeUndefined();
    expect(res.data.registerDeath.person).toEqual({ id: astrid.id, status: 'DECEASED', statusDate: '2024-03-01' });
    expect(await status(astrid)).toEqual({ status: 'DECEASED', statusDate: '2024-03-01' });
    const events = await eventsOf(env.stack, astrid.id);
    expect(events.filter((e) => e.type === 'DEATH')).toEqual([expect.objectContaining({ type: 'DEATH', cprChangeCode: 'A21', identifier: astrid.identifier })]);
  });

  it('refuses impossible, future and pre-birth days, and a second death, writing nothing', async () => {
    const before = await registerState(env.db);
    const death = (personId: string, diedOn: string) => env.stack.queryAs(clerk, DEATH, { input: { personId, diedOn } });
    await expectRefused(env.db, await death(bo.id, '2023-02-30'), 'BAD_USER_INPUT', 'IMPOSSIBLE_DATE', before);
    await expectRefused(env.db, await death(bo.id, '2999-01-01'), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);
    await expectRefused(env.db, await death(bo.id, '1975-06-06'), 'BAD_USER_INPUT', 'EVENT_BEFORE_BIRTH', before);
    await expectRefused(env.db, await death(astrid.id, '2024-04-01'), 'CONFLICT', 'ALREADY_DEAD', before);
    await expectRefused(env.db, await death('not-an-id', '2024-04-01'), 'BAD_USER_INPUT', 'INVALID_ID', before);
    expect((await death('00000000-0000-4000-8000-000000000000', '2024-04-01')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('annuls a death: the status before it comes back, one DEATH_ANNULLED event (A25)', async () => {
    const res = await env.stack.queryAs(clerk, ANNUL, { input: { personId: astrid.id } });
    expect(res.errors).toBeUndefined();
    expect(res.data.annulDeath.person).toEqual({ status: 'ACTIVE', statusDate: null });
    const annulled = (await eventsOf(env.stack, astrid.id)).filter((e) => e.type === 'DEATH_ANNULLED');
    expect(annulled).toEqual([expect.objectContaining({ cprChangeCode: 'A25' })]);
    const before = await registerState(env.db);
    await expectRefused(env.db, await env.stack.queryAs(clerk, ANNUL, { input: { personId: astrid.id } }), 'CONFLICT', 'NOT_DEAD', before);
  });
});

describe('disappearance and reappearance', () => {
  it('registers a disappearance (A02) and a reappearance (A03), each once, with the status between', async () => {
    const gone = await env.stack.queryAs(clerk, DISAPPEAR, { input: { personId: bo.id, on: '2023-05-01' } });
    expect(gone.errors).toBeUndefined();
    expect(gone.data.registerDisappearance.person).toEqual({ status: 'DISAPPEARED', statusDate: '2023-05-01' });
    const back = await env.stack.queryAs(clerk, REAPPEAR, { input: { personId: bo.id, on: '2024-01-15' } });
    expect(back.errors).toBeUndefined();
    expect(await status(bo)).toEqual({ status: 'ACTIVE', statusDate: '2024-01-15' });
    const events = (await eventsOf(env.stack, bo.id)).map((e) => [e.type, e.cprChangeCode, e.municipalityBefore, e.municipalityAfter]);
    expect(events).toEqual([
      ['DISAPPEARANCE', 'A02', '0180', null],
      ['REAPPEARANCE', 'A03', null, '0180'],
    ]);
  });

  it('a death while disappeared, annulled, leaves the person disappeared again', async () => {
    await env.stack.queryAs(clerk, DISAPPEAR, { input: { personId: cilla.id, on: '2022-02-02' } });
    await env.stack.queryAs(clerk, DEATH, { input: { personId: cilla.id, diedOn: '2022-03-03' } });
    const res = await env.stack.queryAs(clerk, ANNUL, { input: { personId: cilla.id } });
    expect(res.data.annulDeath.person).toEqual({ status: 'DISAPPEARED', statusDate: '2022-02-02' });
  });

  it('refuses what the life status does not allow, and days out of order, writing nothing', async () => {
    const before = await registerState(env.db);
    const disappear = (personId: string, on: string) => env.stack.queryAs(clerk, DISAPPEAR, { input: { personId, on } });
    const reappear = (personId: string, on: string) => env.stack.queryAs(clerk, REAPPEAR, { input: { personId, on } });
    await expectRefused(env.db, await disappear(cilla.id, '2023-01-01'), 'CONFLICT', 'ALREADY_DISAPPEARED', before);
    await expectRefused(env.db, await reappear(cilla.id, '2022-01-01'), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);
    await expectRefused(env.db, await reappear(bo.id, '2024-02-01'), 'CONFLICT', 'NOT_DISAPPEARED', before);
    await expectRefused(env.db, await disappear(bo.id, '1970-01-01'), 'BAD_USER_INPUT', 'EVENT_BEFORE_BIRTH', before);
    await expectRefused(env.db, await disappear(bo.id, '2024-02-31'), 'BAD_USER_INPUT', 'IMPOSSIBLE_DATE', before);
    // A dead person disappears no more: the day after the death is after it.
    await env.stack.queryAs(clerk, DEATH, { input: { personId: bo.id, diedOn: '2024-06-01' } });
    const dead = await registerState(env.db);
    await expectRefused(env.db, await disappear(bo.id, '2024-07-01'), 'BAD_USER_INPUT', 'EVENT_AFTER_DEATH', dead);
    await expectRefused(env.db, await disappear(bo.id, today()), 'BAD_USER_INPUT', 'EVENT_AFTER_DEATH', dead);
  });
});

describe('who may write', () => {
  it('a caller without register:write gets FORBIDDEN (MISSING_SCOPE), nothing written', async () => {
    const reader = await env.stack.token('folkreg:read person:write', { sub: 'reader' });
    const before = await registerState(env.db);
    for (const [field, doc, input] of [
      ['registerDeath', DEATH, { personId: cilla.id, diedOn: '2024-01-01' }],
      ['annulDeath', ANNUL, { personId: cilla.id }],
      ['registerDisappearance', DISAPPEAR, { personId: cilla.id, on: '2024-01-01' }],
      ['registerReappearance', REAPPEAR, { personId: cilla.id, on: '2024-01-01' }],
    ] as const) {
      const res = await env.stack.queryAs(reader, doc, { input });
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'MISSING_SCOPE',
        requiredScopes: { [`Mutation.${field}`]: [['register:write']] },
      });
    }
    expect(await registerState(env.db)).toBe(before);
  });
});
