import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { persons } from '../../db/schema/index.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { swede } from '../support/register-writes.js';
import { codes, useTestStack } from '../support/stack.js';

/**
 * The typed details of the register's own events (`ChangeEvent.details`): what a reader learns of a
 * death, a disappearance, a civil-status, protection, identifier or citizenship change from the event
 * itself, and that the person's protection masks it there as on the person.
 */
let ada: FixturePerson;
let bror: FixturePerson;
let cleo: FixturePerson;
let dag: FixturePerson;
let ebba: FixturePerson;
let clerk: string;

const person = (birthDate: string, serial: number, givenNames: string) => swede(birthDate, serial, givenNames, 'Holm');

const env = useTestStack({
  seed: async (db) => {
    ada = await insertPerson(db, person('1970-01-01', 124, 'Ada'));
    bror = await insertPerson(db, person('1971-02-02', 135, 'Bror'));
    cleo = await insertPerson(db, person('1972-03-03', 146, 'Cleo'));
    dag = await insertPerson(db, person('1973-04-04', 157, 'Dag'));
    ebba = await insertPerson(db, person('1974-05-05', 168, 'Ebba'));
    for (const p of [ada, bror]) await db.update(persons).set({ civilStatus: 'UNMARRIED', civilStatusSince: null }).where(eq(persons.id, p.id));
  },
});

const EVENTS = /* GraphQL */ `
  query Events {
    changeEvents(first: 200) {
      edges {
        node {
          type
          person {
            id
          }
          details {
            __typename
            ... on LifeStatusChangeDetails {
              statusBefore
              statusAfter
              validFrom
              annulledDeathOn
            }
            ... on CivilStatusChangeDetails {
              civilStatusBefore
              civilStatusAfter
              validFrom
              partner {
                id
              }
            }
            ... on ProtectionChangeDetails {
              protectionAction
              protectionKind
              validFrom
              validTo
            }
            ... on IdentifierChangeDetails {
              identifierAction
              previousIdentifier
              identifierKind
              validFrom
              validTo
            }
            ... on CitizenshipChangeDetails {
              citizenshipsBefore
              citizenshipsAfter
              validFrom
            }
          }
        }
      }
    }
  }
`;

async function write(field: string, inputType: string, input: Record<string, unknown>) {
  const res = await env.stack.queryAs(clerk, `mutation($input: ${inputType}!) { ${field}(input: $input) { person { id } } }`, { input });
  expect(res.errors, field).toBeUndefined();
}

/** Each event's type and details, of `p`, in log order, as `token`'s holder pulls them. */
async function detailsOf(p: FixturePerson, token?: string) {
  const res = token ? await env.stack.queryAs(token, EVENTS) : await env.stack.query(EVENTS);
  const edges = res.data.changeEvents.edges as { node: { type: string; person: { id: string } | null; details: unknown } }[];
  return { res, edges, of: edges.filter((e) => e.node.person?.id === p.id).map((e) => [e.node.type, e.node.details]) };
}

beforeAll(async () => {
  clerk = await env.stack.token('folkreg:read register:write', { sub: 'registrar' });
  await write('changeCivilStatus', 'ChangeCivilStatusInput', { personId: ada.id, civilStatus: 'MARRIED', since: '2001-06-01', partnerPersonId: bror.id });
  await write('registerDeath', 'RegisterDeathInput', { personId: bror.id, diedOn: '2024-01-20' });
  await write('annulDeath', 'AnnulDeathInput', { personId: bror.id });
  await write('registerDisappearance', 'LifeEventInput', { personId: cleo.id, on: '2023-03-01' });
  await write('registerReappearance', 'LifeEventInput', { personId: cleo.id, on: '2023-04-01' });
  await write('changeIdentifier', 'ChangeIdentifierInput', {
    personId: dag.id,
    identifier: personalIdentityNumber({ birthDate: '1973-04-04', serial: 246 }),
    validFrom: '2024-02-01',
  });
  await write('annulIdentifier', 'AnnulIdentifierInput', { personId: ebba.id });
  await write('changeCitizenships', 'ChangeCitizenshipsInput', { personId: ada.id, citizenships: ['SE', 'FI'], validFrom: '2024-03-01' });
  await write('startProtection', 'StartProtectionInput', { personId: cleo.id, kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2024-05-01', validTo: null });
});

describe('typed details of the register’s own events', () => {
  it('a death and its annulment, a disappearance and a reappearance: the life status before and after', async () => {
    const { of } = await detailsOf(bror);
    expect(of.filter(([type]) => type === 'DEATH' || type === 'DEATH_ANNULLED')).toEqual([
      ['DEATH', { __typename: 'LifeStatusChangeDetails', statusBefore: 'ACTIVE', statusAfter: 'DECEASED', validFrom: '2024-01-20', annulledDeathOn: null }],
      [
        'DEATH_ANNULLED',
        { __typename: 'LifeStatusChangeDetails', statusBefore: 'DECEASED', statusAfter: 'ACTIVE', validFrom: null, annulledDeathOn: '2024-01-20' },
      ],
    ]);
    // Cleo's markers came later and hide no life status from a reader.
    expect((await detailsOf(cleo)).of.slice(0, 2)).toEqual([
      [
        'DISAPPEARANCE',
        { __typename: 'LifeStatusChangeDetails', statusBefore: 'ACTIVE', statusAfter: 'DISAPPEARED', validFrom: '2023-03-01', annulledDeathOn: null },
      ],
      [
        'REAPPEARANCE',
        { __typename: 'LifeStatusChangeDetails', statusBefore: 'DISAPPEARED', statusAfter: 'ACTIVE', validFrom: '2023-04-01', annulledDeathOn: null },
      ],
    ]);
  });

  it('civil-status changes on both sides, the widowing and its undoing among them, each naming the partner', async () => {
    const civil = (before: string, after: string, validFrom: string, partner: FixturePerson) => [
      'CIVIL_STATUS_CHANGE',
      { __typename: 'CivilStatusChangeDetails', civilStatusBefore: before, civilStatusAfter: after, validFrom, partner: { id: partner.id } },
    ];
    expect((await detailsOf(ada)).of.filter(([type]) => type === 'CIVIL_STATUS_CHANGE')).toEqual([
      civil('UNMARRIED', 'MARRIED', '2001-06-01', bror),
      civil('MARRIED', 'WIDOWED', '2024-01-20', bror),
      civil('WIDOWED', 'MARRIED', '2001-06-01', bror),
    ]);
    expect((await detailsOf(bror)).of.filter(([type]) => type === 'CIVIL_STATUS_CHANGE')).toEqual([civil('UNMARRIED', 'MARRIED', '2001-06-01', ada)]);
  });

  it('identifier change and annulment, citizenship change, protection start', async () => {
    expect((await detailsOf(dag)).of).toEqual([
      [
        'IDENTIFIER_CHANGE',
        {
          __typename: 'IdentifierChangeDetails',
          identifierAction: 'CHANGED',
          previousIdentifier: dag.identifier,
          identifierKind: 'PERSONAL_IDENTITY_NUMBER',
          validFrom: '2024-02-01',
          validTo: null,
        },
      ],
    ]);
    const annulled = (await detailsOf(ebba)).of;
    expect(annulled).toEqual([
      [
        'IDENTIFIER_ANNULLED',
        {
          __typename: 'IdentifierChangeDetails',
          identifierAction: 'ANNULLED',
          previousIdentifier: null,
          identifierKind: null,
          validFrom: null,
          validTo: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        },
      ],
    ]);
    expect((await detailsOf(ada)).of.filter(([type]) => type === 'CITIZENSHIP_CHANGE')).toEqual([
      ['CITIZENSHIP_CHANGE', { __typename: 'CitizenshipChangeDetails', citizenshipsBefore: ['SE'], citizenshipsAfter: ['FI', 'SE'], validFrom: '2024-03-01' }],
    ]);
    expect((await detailsOf(cleo)).of.filter(([type]) => type === 'PROTECTION_CHANGE')).toEqual([
      [
        'PROTECTION_CHANGE',
        {
          __typename: 'ProtectionChangeDetails',
          protectionAction: 'STARTED',
          protectionKind: 'SE_CONFIDENTIALITY_MARKING',
          validFrom: '2024-05-01',
          validTo: null,
        },
      ],
    ]);
  });
});

describe('details are masked like the person', () => {
  it('a confidentiality-marked person’s civil-status and citizenship details are null for a reader, with PROTECTED_IDENTITY at their paths', async () => {
    // Mark Ada now: her civil status and citizenships are hidden from a reader from today, in old events too.
    await write('startProtection', 'StartProtectionInput', { personId: ada.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2024-06-01', validTo: null });
    const reader = await env.stack.token('folkreg:read', { sub: 'reader' });
    const { res, of, edges } = await detailsOf(ada, reader);
    const civil = of.filter(([type]) => type === 'CIVIL_STATUS_CHANGE');
    expect(civil).toHaveLength(3);
    for (const [, details] of civil)
      expect(details).toEqual({ __typename: 'CivilStatusChangeDetails', civilStatusBefore: null, civilStatusAfter: null, validFrom: null, partner: null });
    expect(of.filter(([type]) => type === 'CITIZENSHIP_CHANGE')).toEqual([
      ['CITIZENSHIP_CHANGE', { __typename: 'CitizenshipChangeDetails', citizenshipsBefore: null, citizenshipsAfter: null, validFrom: null }],
    ]);
    const adaIndexes = edges.flatMap((e, i) => (e.node.person?.id === ada.id && e.node.type !== 'PROTECTION_CHANGE' ? [i] : []));
    const masked = new Set((res.errors ?? []).filter((e) => e.extensions?.code === 'PROTECTED_IDENTITY').map((e) => e.path?.[2]));
    expect(adaIndexes.every((i) => masked.has(i))).toBe(true);
    expect(codes(res)).toContain('PROTECTED_IDENTITY');
    // Nothing of the hidden values anywhere in the answer.
    const text = JSON.stringify(res.data.changeEvents.edges.filter((e: any) => e.node.person?.id === ada.id));
    for (const hidden of ['MARRIED', 'WIDOWED', 'FI', '2001-06-01', bror.id]) expect(text).not.toContain(hidden);
    // Her partner's own events are his: still shown in full.
    expect((await detailsOf(bror, reader)).of.filter(([type]) => type === 'CIVIL_STATUS_CHANGE')).toHaveLength(1);
  });
});
