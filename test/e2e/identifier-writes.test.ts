import { beforeAll, describe, expect, it } from 'vitest';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { eventsOf, expectRefused, registerState } from '../support/register-writes.js';
import { useTestStack } from '../support/stack.js';
import { today } from '../../subgraphs/shared/writes.js';

let lars: FixturePerson;
let maja: FixturePerson;
let clerk: string;
const corrected = personalIdentityNumber({ birthDate: '1970-05-06', serial: 201 });

const env = useTestStack({
  seed: async (db) => {
    lars = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1970-05-05', serial: 113 }),
      givenNames: 'Lars',
      familyName: 'Åberg',
      birthDate: '1970-05-05',
      sex: 'MALE',
    });
    maja = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1991-07-08', serial: 224 }),
      givenNames: 'Maja',
      familyName: 'Sjö',
      birthDate: '1991-07-08',
    });
  },
});

const READ = /* GraphQL */ `
  query Numbers($id: String!) {
    person(identifier: $id) {
      id
      birthDate
      status
      identifier {
        value
        current
      }
      identifiers {
        value
        current
        validFrom
        validTo
      }
    }
  }
`;
const CHANGE = /* GraphQL */ `
  mutation Change($input: ChangeIdentifierInput!) {
    changeIdentifier(input: $input) {
      person {
        identifier {
          value
        }
      }
    }
  }
`;
const ANNUL = /* GraphQL */ `
  mutation Annul($input: AnnulIdentifierInput!) {
    annulIdentifier(input: $input) {
      person {
        status
        identifier {
          value
          current
        }
      }
    }
  }
`;

beforeAll(async () => {
  clerk = await env.stack.token('folkreg:read register:write', { sub: 'registrar' });
});

describe('identifier change and annulment', () => {
  it('a new number from a day: the old one keeps finding the person; the birth date follows; one P03 event with the new number', async () => {
    const res = await env.stack.queryAs(clerk, CHANGE, {
      input: { personId: lars.id, identifier: `${corrected.slice(0, 8)}-${corrected.slice(8)}`, validFrom: '2024-02-01' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.changeIdentifier.person.identifier).toEqual({ value: corrected });
    for (const number of [lars.identifier, corrected]) {
      const found = await env.stack.query(READ, { id: number });
      expect(found.errors).toBeUndefined();
      expect(found.data.person).toEqual({
        id: lars.id,
        birthDate: '1970-05-06',
        status: 'ACTIVE',
        identifier: { value: corrected, current: true },
        identifiers: [
          { value: corrected, current: true, validFrom: '2024-02-01', validTo: null },
          { value: lars.identifier, current: false, validFrom: null, validTo: '2024-02-01' },
        ],
      });
    }
    const events = (await eventsOf(env.stack, lars.id)).map((e) => [e.type, e.cprChangeCode, e.identifier]);
    expect(events).toEqual([['IDENTIFIER_CHANGE', 'P03', corrected]]);
  });

  it('refuses a number someone has or had, a malformed one, and a day not after the current number began, writing nothing', async () => {
    const before = await registerState(env.db);
    const change = (identifier: string, validFrom = '2025-01-01', personId = maja.id) =>
      env.stack.queryAs(clerk, CHANGE, { input: { personId, identifier, validFrom } });
    await expectRefused(env.db, await change(corrected), 'CONFLICT', 'DUPLICATE', before);
    await expectRefused(env.db, await change(lars.identifier), 'CONFLICT', 'DUPLICATE', before);
    await expectRefused(
      env.db,
      await change(`${maja.identifier.slice(0, 11)}${(Number(maja.identifier[11]) + 1) % 10}`),
      'BAD_USER_INPUT',
      'CHECK_DIGIT',
      before,
    );
    const another = personalIdentityNumber({ birthDate: '1970-05-06', serial: 312 });
    await expectRefused(env.db, await change(another, '2024-02-01', lars.id), 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE', before);
    await expectRefused(env.db, await change(another, '1969-01-01', maja.id), 'BAD_USER_INPUT', 'EVENT_BEFORE_BIRTH', before);
    const unscoped = await env.stack.query(CHANGE, { input: { personId: maja.id, identifier: another, validFrom: '2025-01-01' } });
    await expectRefused(env.db, unscoped, 'FORBIDDEN', 'MISSING_SCOPE', before);
  });

  it('annuls a number: ANNULLED from today, the number still finds the record; one A40 event; twice is CONFLICT', async () => {
    const res = await env.stack.queryAs(clerk, ANNUL, { input: { personId: maja.id } });
    expect(res.errors).toBeUndefined();
    expect(res.data.annulIdentifier.person).toEqual({ status: 'ANNULLED', identifier: { value: maja.identifier, current: false } });
    const found = await env.stack.query(READ, { id: maja.identifier });
    expect(found.data.person).toMatchObject({ id: maja.id, status: 'ANNULLED', identifiers: [{ value: maja.identifier, current: false, validTo: today() }] });
    expect((await eventsOf(env.stack, maja.id)).map((e) => [e.type, e.cprChangeCode])).toEqual([['IDENTIFIER_ANNULLED', 'A40']]);
    const before = await registerState(env.db);
    await expectRefused(env.db, await env.stack.queryAs(clerk, ANNUL, { input: { personId: maja.id } }), 'CONFLICT', 'ALREADY_ANNULLED', before);
  });
});
