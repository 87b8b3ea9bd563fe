import { beforeAll, describe, expect, it } from 'vitest';
import { personNames, protectionMarkers } from '../../db/schema/index.js';
import { nameSearchKey } from '../../kernel/search-key.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { eventsOf, expectRefused, registerState } from '../support/register-writes.js';
import { useTestStack } from '../support/stack.js';

let karin: FixturePerson;
let jens: FixturePerson;
let clerk: string;

const env = useTestStack({
  seed: async (db) => {
    karin = await insertPerson(db, { identifier: '198211059954', givenNames: 'Karin', familyName: 'Ek', birthDate: '1982-11-05' });
    jens = await insertPerson(db, { identifier: '0101801234', country: 'DK', givenNames: 'Jens', familyName: 'Holm', birthDate: '1980-01-01' });
    // Jens had another name before; his name and address are protected from private parties.
    await db.insert(personNames).values({
      personId: jens.id,
      givenNames: 'Jens',
      familyName: 'Hansen',
      addressingName: 'Hansen, Jens',
      searchKey: nameSearchKey('Jens', null, 'Hansen'),
      validFrom: '1980-01-01',
      validTo: '2000-01-01',
    });
    await db.insert(protectionMarkers).values({ personId: jens.id, kind: 'DK_NAME_AND_ADDRESS', validFrom: '2020-01-01' });
  },
});

const READ = /* GraphQL */ `
  query Names($id: String!) {
    person(identifier: $id) {
      name {
        givenNames
        familyName
        addressingName
        validFrom
        validTo
      }
      previousNames {
        givenNames
        familyName
        addressingName
        validFrom
        validTo
      }
      hasPreviousNames
    }
  }
`;
const SEARCH = /* GraphQL */ `
  query Search($name: String!) {
    searchPersons(filter: { name: $name }) {
      edges {
        node {
          id
        }
      }
    }
  }
`;
const CHANGE = /* GraphQL */ `
  mutation Change($input: ChangeNameInput!) {
    changeName(input: $input) {
      person {
        name {
          givenNames
          familyName
          validFrom
        }
        hasPreviousNames
      }
    }
  }
`;

beforeAll(async () => {
  clerk = await env.stack.token('folkreg:read register:write', { sub: 'registrar' });
});

describe('name change with name history', () => {
  it('changes the name from a day: the old one becomes a previous name with its period; search follows; one A13 event', async () => {
    const before = await env.stack.query(READ, { id: karin.identifier });
    expect(before.data.person).toMatchObject({ previousNames: [], hasPreviousNames: false });

    const res = await env.stack.queryAs(clerk, CHANGE, { input: { personId: karin.id, givenNames: 'Karin', familyName: 'Lövgren', validFrom: '2024-05-04' } });
    expect(res.errors).toBeUndefined();
    expect(res.data.changeName.person).toEqual({ name: { givenNames: 'Karin', familyName: 'Lövgren', validFrom: '2024-05-04' }, hasPreviousNames: true });

    const after = await env.stack.query(READ, { id: karin.identifier });
    expect(after.errors).toBeUndefined();
    expect(after.data.person).toEqual({
      name: { givenNames: 'Karin', familyName: 'Lövgren', addressingName: 'Lövgren, Karin', validFrom: '2024-05-04', validTo: null },
      previousNames: [{ givenNames: 'Karin', familyName: 'Ek', addressingName: 'Ek, Karin', validFrom: '2000-01-01', validTo: '2024-05-04' }],
      hasPreviousNames: true,
    });
    expect((await env.stack.query(SEARCH, { name: 'karin lovgren' })).data.searchPersons.edges).toEqual([{ node: { id: karin.id } }]);
    expect((await env.stack.query(SEARCH, { name: 'karin ek' })).data.searchPersons.edges).toEqual([]);

    const events = (await eventsOf(env.stack, karin.id)).map((e) => [e.type, e.cprChangeCode]);
    expect(events).toEqual([['NAME_CHANGE', 'A13']]);
  });

  it('previous names are masked like the name itself', async () => {
    const plain = await env.stack.query(READ, { id: jens.identifier });
    expect(plain.data.person).toEqual({ name: null, previousNames: null, hasPreviousNames: null });
    expect(plain.errors?.map((e) => e.path?.join('.')).sort()).toEqual(['person.hasPreviousNames', 'person.name', 'person.previousNames']);
  });

  it('refuses empty names, no change, days out of order and a hidden name, writing nothing', async () => {
    const before = await registerState(env.db);
    const change = (input: Record<string, unknown>, personId = karin.id) =>
      env.stack.queryAs(clerk, CHANGE, { input: { personId, validFrom: '2025-01-01', ...input } });
    await expectRefused(env.db, await change({ givenNames: ' ', familyName: null }), 'BAD_USER_INPUT', 'NAME_REQUIRED', before);
    await expectRefused(env.db, await change({ givenNames: 'Karin', familyName: 'Lövgren' }), 'BAD_USER_INPUT', 'NO_CHANGE', before);
    await expectRefused(env.db, await change({ familyName: 'Berg', validFrom: '2024-05-04' }), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);
    await expectRefused(env.db, await change({ familyName: 'Berg', validFrom: '2999-01-01' }), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);
    await expectRefused(env.db, await change({ familyName: 'Berg', validFrom: '1982-11-04' }), 'BAD_USER_INPUT', 'EVENT_BEFORE_BIRTH', before);
    await expectRefused(env.db, await change({ familyName: 'Berg', validFrom: '2025-02-29' }), 'BAD_USER_INPUT', 'IMPOSSIBLE_DATE', before);
    const hidden = await change({ givenNames: 'Jens', familyName: 'Dam' }, jens.id);
    expect(hidden.errors?.[0]?.extensions?.code).toBe('PROTECTED_IDENTITY');
    expect(await registerState(env.db)).toBe(before);
    const unscoped = await env.stack.query(CHANGE, { input: { personId: karin.id, familyName: 'Berg', validFrom: '2025-01-01' } });
    await expectRefused(env.db, unscoped, 'FORBIDDEN', 'MISSING_SCOPE', before);
  });
});
