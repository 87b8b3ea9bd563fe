import { userInputError } from '../shared/errors.js';
import type { SubgraphContext } from '../shared/server.js';
import type { FamilyLoaders, RelationRow } from './loaders.js';

type Ctx = SubgraphContext<FamilyLoaders>;
interface PersonRef {
  id: string;
}

/** Familie+ answers at most 20 persons at a time; so do we. */
export const MAX_PAGE_SIZE = 20;

interface FamilyRelationsArgs {
  first: number;
  after?: string | null;
  kinds?: string[] | null;
  includeHistoric: boolean;
}

/** Cursors are scoped to the person and the filter, so one from another connection is refused. */
function cursorScope(personId: string, args: FamilyRelationsArgs): string {
  return `family:${personId}:${[...(args.kinds ?? [])].sort().join(',')}:${args.includeHistoric}`;
}

export const resolvers = {
  Person: {
    __resolveReference: (ref: PersonRef) => ({ id: ref.id }),
    async familyRelations(p: PersonRef, args: FamilyRelationsArgs, ctx: Ctx) {
      if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
        throw userInputError(`Argument 'first' must be between 1 and ${MAX_PAGE_SIZE}; got ${args.first}.`, 'PAGE_SIZE');
      }
      const scope = cursorScope(p.id, args);
      const afterId = args.after ? ctx.cursors.decode<number>(scope, args.after) : 0;
      const kinds = args.kinds?.length ? [...new Set(args.kinds)] : null;
      const { rows, totalCount } = await ctx.loaders.page.load({
        personId: p.id,
        afterId,
        limit: args.first + 1,
        kinds,
        includeHistoric: args.includeHistoric,
      });
      const page = rows.slice(0, args.first);
      const edges = page.map((node) => ({ cursor: ctx.cursors.encode(scope, node.id), node }));
      return {
        edges,
        totalCount,
        pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
  },
  FamilyRelation: {
    since: (r: RelationRow) => r.validFrom,
    until: (r: RelationRow) => r.validTo,
    relative: (r: RelationRow) => (r.relativePersonId ? { __typename: 'Person', id: r.relativePersonId } : null),
  },
};
