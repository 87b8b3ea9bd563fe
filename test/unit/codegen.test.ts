import { describe, expect, it } from 'vitest';
import { generateResolverTypes, staleResolverTypes } from '../../schema/codegen.js';
import type { Resolvers as PersonResolvers } from '../../subgraphs/person/generated/resolvers.js';
import type { Resolvers as FamilyResolvers } from '../../subgraphs/family/generated/resolvers.js';

describe('generated resolver types (npm run codegen)', () => {
  it('the checked-in subgraphs/*/generated/resolvers.ts are what the subgraph SDLs give', async () => {
    expect(await staleResolverTypes()).toEqual([]);
  }, 60_000);

  it('a file that no longer matches its SDL is reported by name', async () => {
    const fresh = await generateResolverTypes();
    fresh.set('family', fresh.get('family') + '\n// an SDL edit since\n');
    expect(await staleResolverTypes(fresh)).toEqual(['subgraphs/family/generated/resolvers.ts']);
  }, 60_000);

  // What the types are for: `tsc --noEmit` (npm test) fails on a resolver that drifts from its SDL, so
  // each line below must be an error there (`@ts-expect-error` fails when it is not).
  it('a resolver that drifts from its schema does not compile', () => {
    const drifted: PersonResolvers = {
      Person: {
        // @ts-expect-error Person.sex is the SDL's Sex enum, not any string
        sex: () => 'NEUTRAL',
      },
      Query: {
        // @ts-expect-error Query.person has no argument `id`
        person: (_, args) => (args.id ? null : null),
      },
    };
    const wrongParent: FamilyResolvers = {
      FamilyRelation: {
        // @ts-expect-error a FamilyRelation resolves from its row, whose `id` is a number
        id: (r) => r.id.toUpperCase(),
      },
    };
    expect([drifted, wrongParent].length).toBe(2);
  });
});
