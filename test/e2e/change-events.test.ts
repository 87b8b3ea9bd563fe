import { describe, expect, it } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';

let anna: FixturePerson;
let erik: FixturePerson;

const EVENTS = /* GraphQL */ `
  query ($after: String) {
    changeEvents(after: $after, first: 500) {
      edges {
        node {
          cursor
          type
          cprChangeCode
          occurredAt
          recordedAt
          identifier
          birthDate
          municipalityBefore
          municipalityAfter
          person {
            id
            name {
              givenNames
            }
          }
          details {
            __typename
            ... on AddressChangeDetails {
              addressKind
              validFrom
            }
            ... on NameChangeDetails {
              validFrom
            }
            ... on ContactDetailsChangeDetails {
              version
              changedFields
            }
            ... on FamilyRelationChangeDetails {
              relationAction
              relationKind
              relationId
              relativePerson {
                name {
                  givenNames
                }
              }
            }
            ... on ReserveIdentityChangeDetails {
              reserveIdentityAction
              reserveIdentityId
              reserveIdentityKind
              targetKind
              targetValue
            }
          }
        }
      }
    }
  }
`;

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
    erik = await insertPerson(db, { identifier: '198211059954', givenNames: 'Erik', familyName: 'Åberg', birthDate: '1982-11-05' });
    const about = { personId: anna.id, identifier: anna.identifier, birthDate: '1912-12-12', occurredAt: new Date('2025-03-01T00:00:00Z') };
    await db.transaction((tx) =>
      appendChangeEvents(tx, [
        { ...about, type: 'MOVE', municipalityBefore: '0180', municipalityAfter: '1480', details: { addressKind: 'REGISTERED', validFrom: '2025-03-01' } },
        { ...about, type: 'NAME_CHANGE', details: { validFrom: '2025-02-01' } },
        { ...about, type: 'CONTACT_DETAILS_CHANGE', details: { version: 3, changedFields: ['phone', 'email'] } },
        { ...about, type: 'FAMILY_RELATION_CHANGE', details: { action: 'ADDED', relationKind: 'SPOUSE', relationId: '42', relativePersonId: erik.id } },
        {
          ...about,
          type: 'RESERVE_IDENTITY_CHANGE',
          details: {
            action: 'LINKED',
            reserveIdentityId: 'r-1',
            reserveIdentityKind: 'NATIONAL_RESERVE_ID',
            targetKind: 'PERSONAL_IDENTITY_NUMBER',
            targetValue: anna.identifier,
          },
        },
        { ...about, type: 'DEATH' },
      ]),
    );
  },
});

describe('change events carry a typed, complete payload', () => {
  it('each event has its type, CPR code, person (resolved across subgraphs), municipalities and typed details', async () => {
    const res = await env.stack.query(EVENTS);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.changeEvents.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.type, n.cprChangeCode])).toEqual([
      ['MOVE', 'A01'],
      ['NAME_CHANGE', 'A13'],
      ['CONTACT_DETAILS_CHANGE', null],
      ['FAMILY_RELATION_CHANGE', null],
      ['RESERVE_IDENTITY_CHANGE', null],
      ['DEATH', 'A21'],
    ]);
    for (const n of nodes) {
      expect(n).toMatchObject({
        identifier: anna.identifier,
        birthDate: '1912-12-12',
        occurredAt: '2025-03-01T00:00:00.000Z',
        person: { id: anna.id, name: { givenNames: 'Anna' } },
      });
      expect(typeof n.cursor).toBe('string');
      expect(Date.parse(n.recordedAt)).not.toBeNaN();
    }
    expect(nodes[0]).toMatchObject({
      municipalityBefore: '0180',
      municipalityAfter: '1480',
      details: { __typename: 'AddressChangeDetails', addressKind: 'REGISTERED', validFrom: '2025-03-01' },
    });
    expect(nodes[1].details).toEqual({ __typename: 'NameChangeDetails', validFrom: '2025-02-01' });
    expect(nodes[2].details).toEqual({ __typename: 'ContactDetailsChangeDetails', version: 3, changedFields: ['phone', 'email'] });
    expect(nodes[3].details).toEqual({
      __typename: 'FamilyRelationChangeDetails',
      relationAction: 'ADDED',
      relationKind: 'SPOUSE',
      relationId: '42',
      relativePerson: { name: { givenNames: 'Erik' } },
    });
    expect(nodes[4].details).toEqual({
      __typename: 'ReserveIdentityChangeDetails',
      reserveIdentityAction: 'LINKED',
      reserveIdentityId: 'r-1',
      reserveIdentityKind: 'NATIONAL_RESERVE_ID',
      targetKind: 'PERSONAL_IDENTITY_NUMBER',
      targetValue: anna.identifier,
    });
    // A death's details are LifeStatusChangeDetails; none of its fields is selected here.
    expect(nodes[5].details).toEqual({ __typename: 'LifeStatusChangeDetails' });
  });
});
