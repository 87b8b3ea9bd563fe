import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { persons } from '../../db/schema/index.js';
import { registerDate } from '../../kernel/register-date.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { eventsOf, expectRefused, registerState } from '../support/register-writes.js';
import { useTestStack } from '../support/stack.js';

let nils: FixturePerson;
let clerk: string;

const env = useTestStack({
  seed: async (db) => {
    nils = await insertPerson(db, { identifier: '198211059954', givenNames: 'Nils', familyName: 'Ek', birthDate: '1982-11-05' });
  },
});

const CHANGE = /* GraphQL */ `
  mutation Citizenships($input: ChangeCitizenshipsInput!) {
    changeCitizenships(input: $input) {
      person {
        citizenships
        citizenshipHistory {
          country
          validFrom
          validTo
          current
        }
      }
    }
  }
`;

beforeAll(async () => {
  clerk = await env.stack.token('folkreg:read register:write', { sub: 'registrar' });
});

describe('citizenship change', () => {
  it('replaces the citizenships from a day, one CITIZENSHIP_CHANGE event (no CPR code)', async () => {
    const res = await env.stack.queryAs(clerk, CHANGE, { input: { personId: nils.id, citizenships: ['se', 'NO'], validFrom: '2024-09-01' } });
    expect(res.errors).toBeUndefined();
    expect(res.data.changeCitizenships.person.citizenships).toEqual(['NO', 'SE']);
    // The fixture's SE came with the person row: held since a day not known.
    expect(res.data.changeCitizenships.person.citizenshipHistory).toEqual([
      { country: 'NO', validFrom: '2024-09-01', validTo: null, current: true },
      { country: 'SE', validFrom: null, validTo: null, current: true },
    ]);
    const read = await env.stack.query(`query($id: String!) { person(identifier: $id) { citizenships } }`, { id: nils.identifier });
    expect(read.data.person.citizenships).toEqual(['NO', 'SE']);
    expect((await eventsOf(env.stack, nils.id)).map((e) => [e.type, e.cprChangeCode])).toEqual([['CITIZENSHIP_CHANGE', null]]);
  });

  it('refuses codes that are no country, no change, and bad days, writing nothing', async () => {
    const before = await registerState(env.db);
    const change = (citizenships: string[], validFrom = '2025-01-01') =>
      env.stack.queryAs(clerk, CHANGE, { input: { personId: nils.id, citizenships, validFrom } });
    await expectRefused(env.db, await change(['Sweden']), 'BAD_USER_INPUT', 'COUNTRY', before);
    await expectRefused(env.db, await change(['SE', 'NO']), 'BAD_USER_INPUT', 'NO_CHANGE', before);
    await expectRefused(env.db, await change(['SE'], '1982-11-04'), 'BAD_USER_INPUT', 'EVENT_BEFORE_BIRTH', before);
    await expectRefused(env.db, await change(['SE'], '2025-02-29'), 'BAD_USER_INPUT', 'IMPOSSIBLE_DATE', before);
    const unscoped = await env.stack.query(CHANGE, { input: { personId: nils.id, citizenships: ['SE'], validFrom: '2025-01-01' } });
    await expectRefused(env.db, unscoped, 'FORBIDDEN', 'MISSING_SCOPE', before);
  });

  it('ends a dropped citizenship on the day and starts a new one; days out of step with the periods are refused, writing nothing', async () => {
    const before = await registerState(env.db);
    const change = (citizenships: string[], validFrom: string) => env.stack.queryAs(clerk, CHANGE, { input: { personId: nils.id, citizenships, validFrom } });
    // NO began 2024-09-01: it cannot end before or on that day, nor be held from before it.
    await expectRefused(env.db, await change(['SE'], '2024-08-31'), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);
    await expectRefused(env.db, await change(['SE'], '2024-09-01'), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);
    await expectRefused(env.db, await change(['FI', 'NO', 'SE'], '2024-08-01'), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);

    const res = await change(['SE', 'FI'], '2025-03-01');
    expect(res.errors).toBeUndefined();
    const history = [
      { country: 'FI', validFrom: '2025-03-01', validTo: null, current: true },
      { country: 'SE', validFrom: null, validTo: null, current: true },
      { country: 'NO', validFrom: '2024-09-01', validTo: '2025-03-01', current: false },
    ];
    expect(res.data.changeCitizenships.person).toEqual({ citizenships: ['FI', 'SE'], citizenshipHistory: history });
    const read = await env.stack.query(`query($id: String!) { person(identifier: $id) { citizenshipHistory { country validFrom validTo current } } }`, {
      id: nils.identifier,
    });
    expect(read.data.person.citizenshipHistory).toEqual(history);

    // NO again, from a day its earlier period still covered: the two would overlap.
    const after = await registerState(env.db);
    await expectRefused(env.db, await change(['FI', 'NO', 'SE'], '2025-02-01'), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', after);
  });

  it('follows a set written straight to persons.citizenships (the seed, an import): dropped countries end on the register date, new ones start unknown', async () => {
    await env.db
      .update(persons)
      .set({ citizenships: ['FI', 'IS'] })
      .where(eq(persons.id, nils.id));
    const read = await env.stack.query(`query($id: String!) { person(identifier: $id) { citizenshipHistory { country validFrom validTo current } } }`, {
      id: nils.identifier,
    });
    expect(read.data.person.citizenshipHistory).toEqual([
      { country: 'FI', validFrom: '2025-03-01', validTo: null, current: true },
      { country: 'IS', validFrom: null, validTo: null, current: true },
      { country: 'SE', validFrom: null, validTo: registerDate(), current: false },
      { country: 'NO', validFrom: '2024-09-01', validTo: '2025-03-01', current: false },
    ]);
  });
});
