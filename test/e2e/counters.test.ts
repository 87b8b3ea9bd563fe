import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalIdentityNumber } from '../../subgraphs/shared/identifiers.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertPerson, relate, type FixturePerson } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let database: TestDatabase;
let stack: TestStack;
let anna: FixturePerson;

const COUNTERS = { 'folkreg-counters': '1' };

/** A page of relations with each relative's names and current address: the frontend's commonest screen. */
const PAGE = /* GraphQL */ `
  query Page($identifier: String!, $first: Int) {
    person(identifier: $identifier) {
      name { addressingName }
      familyRelations(first: $first) {
        totalCount
        edges { node { kind relative { name { givenNames familyName addressingName } address { standardAddressLine postalCode postalDistrict } } } }
      }
    }
  }
`;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
  for (let i = 0; i < 22; i++) {
    const child = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: `1950-02-${String(i + 1).padStart(2, '0')}`, serial: 200 + i }),
      givenNames: `Barn${i}`,
      familyName: 'Östlund',
    });
    await relate(db, anna.id, 'CHILD', child);
  }
  stack = await startTestStack(database.db);
});

afterAll(async () => {
  await stack?.close();
  await database?.dispose();
});

describe('cost counters (folkreg-counters: 1)', () => {
  it('are returned in extensions.counters only when asked for', async () => {
    const plain = await stack.query(PAGE, { identifier: anna.identifier, first: 2 });
    expect(plain.errors).toBeUndefined();
    expect(JSON.stringify(plain)).not.toMatch(/counters|sqlStatements/i);

    const counted = await stack.query(PAGE, { identifier: anna.identifier, first: 2 }, COUNTERS);
    expect(counted.errors).toBeUndefined();
    expect(Object.keys((counted as any).extensions)).toEqual(['counters']);
    expect((counted as any).extensions.counters).toEqual({ subgraphFetches: expect.any(Number), sqlStatements: expect.any(Number) });
    expect((counted as any).extensions.counters.sqlStatements).toBeGreaterThan(0);
  });
});

describe('a page of relatives with names and addresses', () => {
  async function cost(first: number) {
    const res = await stack.query(PAGE, { identifier: anna.identifier, first }, COUNTERS);
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
