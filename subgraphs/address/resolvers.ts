import type { SubgraphContext } from '../shared/server.js';
import type { AddressLoaders, AddressRow } from './loaders.js';

type Ctx = SubgraphContext<AddressLoaders>;
interface PersonRef {
  id: string;
}

const KIND_RANK: Record<string, number> = { REGISTERED: 0, FOREIGN: 1, SPECIAL_POSTAL: 2 };

function isCurrent(a: AddressRow, today: string): boolean {
  return a.validTo === null || a.validTo > today;
}

/** Current before ended; then by kind; then newest first. */
function addressOrder(today: string) {
  return (a: AddressRow, b: AddressRow) =>
    Number(!isCurrent(a, today)) - Number(!isCurrent(b, today)) ||
    (KIND_RANK[a.kind] ?? 9) - (KIND_RANK[b.kind] ?? 9) ||
    (b.validFrom ?? '').localeCompare(a.validFrom ?? '');
}

export const resolvers = {
  Person: {
    __resolveReference: (ref: PersonRef) => ({ id: ref.id }),
    async address(p: PersonRef, _: unknown, ctx: Ctx) {
      const today = new Date().toISOString().slice(0, 10);
      const current = (await ctx.loaders.addresses.load(p.id)).filter((a) => isCurrent(a, today) && a.kind !== 'SPECIAL_POSTAL');
      return current.sort(addressOrder(today))[0] ?? null;
    },
    async addresses(p: PersonRef, args: { includeHistoric: boolean }, ctx: Ctx) {
      const today = new Date().toISOString().slice(0, 10);
      const all = await ctx.loaders.addresses.load(p.id);
      return (args.includeHistoric ? [...all] : all.filter((a) => isCurrent(a, today))).sort(addressOrder(today));
    },
  },
  Address: {
    deliveryLines: (a: AddressRow) => a.deliveryLines ?? [],
  },
};
