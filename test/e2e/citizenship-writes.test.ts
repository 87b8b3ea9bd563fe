import { beforeAll, describe, expect, it } from 'vitest';
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
});
