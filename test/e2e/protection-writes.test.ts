import { beforeAll, describe, expect, it } from 'vitest';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { eventsOf, expectRefused, registerState } from '../support/register-writes.js';
import { useTestStack } from '../support/stack.js';
import { today } from '../../subgraphs/shared/writes.js';

let mette: FixturePerson;
let sven: FixturePerson;
let clerk: string;

const env = useTestStack({
  seed: async (db) => {
    mette = await insertPerson(db, { identifier: '0101801234', country: 'DK', givenNames: 'Mette', familyName: 'Holm', birthDate: '1980-01-01' });
    sven = await insertPerson(db, { identifier: '198211059954', givenNames: 'Sven', familyName: 'Ek', birthDate: '1982-11-05' });
  },
});

const READ = /* GraphQL */ `
  query Read($id: String!) {
    person(identifier: $id) {
      name {
        givenNames
        familyName
      }
      birthDate
      protectionMarkers(includeHistoric: true) {
        kind
        validFrom
        validTo
      }
    }
  }
`;
const START = /* GraphQL */ `
  mutation Start($input: StartProtectionInput!) {
    startProtection(input: $input) {
      person {
        protectionMarkers {
          kind
          validFrom
          validTo
        }
      }
    }
  }
`;
const END = /* GraphQL */ `
  mutation End($input: EndProtectionInput!) {
    endProtection(input: $input) {
      person {
        protectionMarkers(includeHistoric: true) {
          kind
          validTo
        }
      }
    }
  }
`;

beforeAll(async () => {
  clerk = await env.stack.token('folkreg:read register:write', { sub: 'registrar' });
});

describe('protection markers written through the gateway', () => {
  it('a started marker masks the next read of a plain caller at once; ending it unmasks at once; each writes one A33 event', async () => {
    const plain = await env.stack.query(READ, { id: mette.identifier });
    expect(plain.data.person.name).toEqual({ givenNames: 'Mette', familyName: 'Holm' });

    const started = await env.stack.queryAs(clerk, START, { input: { personId: mette.id, kind: 'DK_NAME_AND_ADDRESS', validFrom: '2024-01-01' } });
    expect(started.errors).toBeUndefined();
    expect(started.data.startProtection.person.protectionMarkers).toEqual([{ kind: 'DK_NAME_AND_ADDRESS', validFrom: '2024-01-01', validTo: null }]);
    const masked = await env.stack.query(READ, { id: mette.identifier });
    expect(masked.data.person).toMatchObject({ name: null, birthDate: '1980-01-01' });
    expect(masked.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['person.name', 'PROTECTED_IDENTITY']]);

    const ended = await env.stack.queryAs(clerk, END, { input: { personId: mette.id, kind: 'DK_NAME_AND_ADDRESS', endsOn: today() } });
    expect(ended.errors).toBeUndefined();
    expect(ended.data.endProtection.person.protectionMarkers).toEqual([{ kind: 'DK_NAME_AND_ADDRESS', validTo: today() }]);
    const unmasked = await env.stack.query(READ, { id: mette.identifier });
    expect(unmasked.errors).toBeUndefined();
    expect(unmasked.data.person.name).toEqual({ givenNames: 'Mette', familyName: 'Holm' });

    const events = (await eventsOf(env.stack, mette.id)).map((e) => [e.type, e.cprChangeCode]);
    expect(events).toEqual([
      ['PROTECTION_CHANGE', 'A33'],
      ['PROTECTION_CHANGE', 'A33'],
    ]);
  });

  it('a marker starting tomorrow does not mask yet', async () => {
    const tomorrow = new Date(Date.parse(`${today()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const res = await env.stack.queryAs(clerk, START, { input: { personId: mette.id, kind: 'DK_NAME_AND_ADDRESS', validFrom: tomorrow } });
    expect(res.errors).toBeUndefined();
    const read = await env.stack.query(READ, { id: mette.identifier });
    expect(read.data.person.name).toEqual({ givenNames: 'Mette', familyName: 'Holm' });
  });

  it('refuses overlapping markers of one kind, kinds of the other register, empty periods and markers not there, writing nothing', async () => {
    const before = await registerState(env.db);
    const start = (input: Record<string, unknown>) => env.stack.queryAs(clerk, START, { input: { personId: mette.id, ...input } });
    // The open-ended marker from tomorrow (previous test) overlaps any period that reaches it.
    await expectRefused(env.db, await start({ kind: 'DK_NAME_AND_ADDRESS', validFrom: '2030-01-01' }), 'CONFLICT', 'OVERLAPPING_MARKER', before);
    // The one that ended today overlaps a period starting before today.
    await expectRefused(
      env.db,
      await start({ kind: 'DK_NAME_AND_ADDRESS', validFrom: '2023-01-01', validTo: '2024-02-01' }),
      'CONFLICT',
      'OVERLAPPING_MARKER',
      before,
    );
    await expectRefused(env.db, await start({ kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2024-01-01' }), 'BAD_USER_INPUT', 'PROTECTION_KIND', before);
    await expectRefused(env.db, await start({ kind: 'DK_MARKETING', validFrom: '2024-01-01', validTo: '2024-01-01' }), 'BAD_USER_INPUT', 'EMPTY_RANGE', before);
    await expectRefused(env.db, await start({ kind: 'DK_MARKETING', validFrom: '1979-12-31' }), 'BAD_USER_INPUT', 'EVENT_BEFORE_BIRTH', before);
    await expectRefused(env.db, await start({ kind: 'DK_MARKETING', validFrom: '2024-13-01' }), 'BAD_USER_INPUT', 'IMPOSSIBLE_DATE', before);
    const end = await env.stack.queryAs(clerk, END, { input: { personId: sven.id, kind: 'SE_CONFIDENTIALITY_MARKING', endsOn: '2024-01-01' } });
    await expectRefused(env.db, end, 'CONFLICT', 'NO_MARKER', before);
  });

  it('a caller without register:write gets FORBIDDEN (MISSING_SCOPE), nothing written', async () => {
    const before = await registerState(env.db);
    const res = await env.stack.query(START, { input: { personId: sven.id, kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2024-01-01' } });
    await expectRefused(env.db, res, 'FORBIDDEN', 'MISSING_SCOPE', before);
  });
});
