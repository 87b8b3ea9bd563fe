import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { protectionMarkers } from '../../db/schema/index.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { FAMILY, folkregApollo, wholeFamily } from '../clients/apollo-family.js';
import { insertPerson, relate, type FixturePerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';

/**
 * The README's Apollo Client setup for frontends, run as written against the stack: a family of 50
 * relations read in pages of 20, three of the relatives protected (their address masked).
 */

let token: string;
let parent: FixturePerson;
const relatives: FixturePerson[] = [];
const PROTECTED = new Set([3, 27, 45]); // one on each page

const env = useTestStack({
  seed: async (db) => {
    parent = await insertPerson(db, {
      identifier: personalIdentityNumber({ birthDate: '1950-05-05', serial: 500 }),
      givenNames: 'Förälder',
      familyName: 'Storfamilj',
      birthDate: '1950-05-05',
    });
    for (let i = 0; i < 50; i++) {
      const birthDate = `1975-0${1 + (i % 9)}-${String(10 + (i % 18)).padStart(2, '0')}`;
      const child = await insertPerson(db, {
        identifier: personalIdentityNumber({ birthDate, serial: 100 + i }),
        givenNames: `Barn${i}`,
        familyName: 'Storfamilj',
        birthDate,
      });
      if (PROTECTED.has(i)) await db.insert(protectionMarkers).values({ personId: child.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01' });
      await relate(db, parent.id, 'CHILD', child);
      relatives.push(child);
    }
  },
});

beforeAll(async () => {
  token = await env.stack.issue({ scope: 'folkreg:read', sub: 'frontend' });
});

describe('Apollo Client as the README sets it up', () => {
  it('with Apollo’s default errorPolicy, one masked relative throws the whole family page away', async () => {
    const plain = new ApolloClient({
      link: new HttpLink({ uri: env.stack.gateway.url, headers: { authorization: `Bearer ${token}` } }),
      cache: new InMemoryCache(),
    });
    const failure = await plain.query({ query: FAMILY, variables: { identifier: parent.identifier } }).then(
      (r) => r,
      (e: unknown) => e,
    );
    expect(CombinedGraphQLErrors.is(failure)).toBe(true);
    expect((failure as CombinedGraphQLErrors).errors.map((e) => e.extensions?.code)).toEqual(['PROTECTED_IDENTITY']);
  });

  it('merges 50 relations read in 3 pages into one list, normalises Person and FamilyRelation by id, and says which fields were withheld', async () => {
    let requests = 0;
    const client = folkregApollo(env.stack.gateway.url, () => (requests++, token));
    const { data, withheld } = await wholeFamily(client, parent.identifier);
    expect(requests).toBe(3);

    const relations = data.person.familyRelations;
    expect(relations.totalCount).toBe(50);
    expect(relations.pageInfo.hasNextPage).toBe(false);
    expect(relations.edges.map((e: any) => e.node.relative.id)).toEqual(relatives.map((r) => r.id));
    expect(new Set(relations.edges.map((e: any) => e.node.id)).size).toBe(50);
    for (const [i, edge] of relations.edges.entries()) {
      const masked = PROTECTED.has(i);
      expect(edge.node.relative.name.addressingName).toBe(`Storfamilj, Barn${i}`); // a protected registration keeps the name
      expect(edge.node.relative.address === null).toBe(masked);
      expect(withheld.get(edge.node.id)).toEqual(masked ? ['relative.address'] : undefined);
    }

    const cached = client.cache.extract() as Record<string, unknown>;
    const keys = Object.keys(cached);
    expect(keys.filter((k) => k.startsWith('FamilyRelation:'))).toHaveLength(50);
    expect(keys.filter((k) => k.startsWith('Person:')).sort()).toEqual([parent, ...relatives].map((p) => `Person:${p.id}`).sort());
  });
});
