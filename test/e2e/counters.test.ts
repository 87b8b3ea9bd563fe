import { describe, expect, it } from 'vitest';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, relate, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';
import { FAMILY_PAGE as PAGE } from '../support/documents.js';

let anna: FixturePerson;

const COUNTERS = { 'folkreg-counters': '1' };

/** What Familie+ gives of a person: of the person asked for and of each related person alike. */
const FAMILIE_PLUS_PERSON = /* GraphQL */ `
  fragment FamiliePlusPerson on Person {
    identifier {
      display
    }
    birthDate
    name {
      addressingName
    }
    status
    address {
      standardAddressLine
      postalCode
      postalDistrict
    }
    protectionMarkers {
      kind
    }
  }
`;

/** Everything Familie+ returns for the person and each related person, in one query (README). */
const FAMILIE_PLUS = /* GraphQL */ `
  query FamiliePlus($identifier: String!, $first: Int = 20, $after: String) {
    person(identifier: $identifier) {
      ...FamiliePlusPerson
      familyRelations(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            relationCode
            kind
            relativeName
            relativeBirthDate
            relative {
              ...FamiliePlusPerson
            }
          }
        }
      }
    }
  }
  ${FAMILIE_PLUS_PERSON}
`;

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
    for (let i = 0; i < 22; i++) {
      const child = await insertPerson(db, {
        identifier: personalIdentityNumber({ birthDate: `1950-02-${String(i + 1).padStart(2, '0')}`, serial: 200 + i }),
        givenNames: `Barn${i}`,
        familyName: 'Östlund',
      });
      await relate(db, anna.id, 'CHILD', child);
    }
    await relate(db, anna.id, 'MOTHER', { name: 'Karin Lind', birthDate: '1890-04-02' });
  },
});

describe('cost counters (folkreg-counters: 1)', () => {
  it('are returned in extensions.counters only when asked for', async () => {
    const plain = await env.stack.query(PAGE, { identifier: anna.identifier, first: 2 });
    expect(plain.errors).toBeUndefined();
    expect(JSON.stringify(plain)).not.toMatch(/counters|sqlStatements/i);

    const counted = await env.stack.query(PAGE, { identifier: anna.identifier, first: 2 }, COUNTERS);
    expect(counted.errors).toBeUndefined();
    expect(Object.keys((counted as any).extensions)).toEqual(['counters']);
    expect((counted as any).extensions.counters).toEqual({ subgraphFetches: expect.any(Number), sqlStatements: expect.any(Number) });
    expect((counted as any).extensions.counters.sqlStatements).toBeGreaterThan(0);
  });
});

describe('a page of relatives with names and addresses', () => {
  async function cost(first: number, query = PAGE) {
    const res = await env.stack.query(query, { identifier: anna.identifier, first }, COUNTERS);
    expect(res.errors).toBeUndefined();
    const edges = res.data.person.familyRelations.edges;
    expect(edges).toHaveLength(first);
    for (const e of edges) expect(e.node.relative.address.postalCode).toBe('111 22');
    return (res as any).extensions.counters as { subgraphFetches: number; sqlStatements: number };
  }

  it('costs the same fetches and SQL statements for 2, 5 and 20 relatives', async () => {
    const [two, five, twenty] = [await cost(2), await cost(5), await cost(20)];
    expect(five).toEqual(two);
    expect(twenty).toEqual(two);
    // person (lookup) → family (the page) → person and address (every relative at once): one fetch per
    // subgraph per step of the plan, whatever the page size.
    expect(twenty.subgraphFetches).toBe(4);
  });
});

describe('the Familie+ view', () => {
  it('returns every Familie+ field of each related person in one query, at the same constant cost', async () => {
    const costs = [];
    for (const first of [2, 5, 20]) {
      const res = await env.stack.query(FAMILIE_PLUS, { identifier: anna.identifier, first }, COUNTERS);
      expect(res.errors).toBeUndefined();
      costs.push((res as any).extensions.counters);
      if (first !== 20) continue;
      const edges = res.data.person.familyRelations.edges;
      expect(edges[0].node).toEqual({
        relationCode: 'Barn',
        kind: 'CHILD',
        relativeName: null,
        relativeBirthDate: null,
        relative: {
          identifier: { display: expect.stringMatching(/^19500201-\d{4}$/) },
          birthDate: null,
          name: { addressingName: 'Östlund, Barn0' },
          status: 'ACTIVE',
          address: { standardAddressLine: expect.stringMatching(/^Storgatan \d+$/), postalCode: '111 22', postalDistrict: 'Stockholm' },
          protectionMarkers: [],
        },
      });
    }
    expect(costs[1]).toEqual(costs[0]);
    expect(costs[2]).toEqual(costs[0]);
    // person → family and address (the person's own) → person and address (all relatives at once).
    expect(costs[0].subgraphFetches).toBe(5);
  });

  it('shows a parent known only by name and birth date with relation code Mor', async () => {
    const res = await env.stack.query(FAMILIE_PLUS, { identifier: anna.identifier, first: 20 });
    const first = res.data.person.familyRelations;
    const next = await env.stack.query(FAMILIE_PLUS, { identifier: anna.identifier, first: 20, after: first.pageInfo.endCursor });
    expect(next.data.person.familyRelations.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({ relationCode: 'Barn' }),
      expect.objectContaining({ relationCode: 'Barn' }),
      { relationCode: 'Mor', kind: 'MOTHER', relativeName: 'Karin Lind', relativeBirthDate: '1890-04-02', relative: null },
    ]);
  });
});
