import type { SubgraphContext } from '../shared/server.js';
import type { LinkedReserveIdentity, ReserveIdLoaders } from './loaders.js';

type Ctx = SubgraphContext<ReserveIdLoaders>;
interface PersonRef {
  id: string;
}

export const resolvers = {
  Person: {
    __resolveReference: (ref: PersonRef) => ({ id: ref.id }),
    async reserveIdentities(p: PersonRef, _: unknown, ctx: Ctx) {
      const rows = await ctx.loaders.linkedToPerson.load(p.id);
      return [...rows].sort((a, b) => a.linkedAt.getTime() - b.linkedAt.getTime() || a.value.localeCompare(b.value));
    },
  },
  ReserveIdentity: {
    linkedAt: (r: LinkedReserveIdentity) => r.linkedAt.toISOString(),
  },
};
