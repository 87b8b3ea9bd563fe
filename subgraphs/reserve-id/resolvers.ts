import { userInputError } from '../../kernel/errors.js';
import { parseOrReject, requirePageSize } from '../../kernel/validate.js';
import type { Resolvers } from './generated/resolvers.js';
import type { Ctx, PersonRef, ReserveIdentityModel, ReserveIdentityParent } from './parents.js';

/** Most links (`ReserveIdentity.links(first:)`) and linked reserve identities (`Person.reserveIdentities(first:)`) one answer carries. */
export const MAX_LINKS = 50;
import type { LinkedReserveIdentity } from './loaders.js';
import { issueNationalReserveId, linkReserveIdentity, registerLocalReserveId, unlinkReserveIdentity, updateReserveIdentity, PERSON_KINDS } from './writes.js';

async function row(ref: ReserveIdentityParent, ctx: Ctx): Promise<ReserveIdentityModel> {
  if (ref.value !== undefined) return ref as ReserveIdentityModel;
  const found = await ctx.loaders.byId.load(ref.id);
  if (!found) throw new Error(`Reserve identity ${ref.id} vanished during the request`);
  return found;
}

async function mainHop(ref: { id: string }, ctx: Ctx) {
  return (await ctx.loaders.chain.load(ref.id)).at(-1) ?? null;
}

const field =
  <K extends keyof ReserveIdentityModel>(key: K) =>
  async (r: { id: string }, _: unknown, ctx: Ctx) =>
    (await row(r, ctx))[key];

export const resolvers: Resolvers = {
  Query: {
    async reserveIdentity(_, args, ctx) {
      const reserve = parseOrReject(args.identifier).find((p) => p.kind === 'NATIONAL_RESERVE_ID' || p.kind === 'LOCAL_RESERVE_ID');
      if (!reserve) throw userInputError(`'${args.identifier}' is not a reserve ID; look persons up with person(identifier:).`, 'NOT_A_RESERVE_ID');
      const found = await ctx.loaders.byValue.load(reserve.canonical);
      if (!found || !args.followLinks) return found;
      // The highest reserve identity of the chain: the main identity, or the one linked to the person.
      const top = (await ctx.loaders.chain.load(found.id)).filter((h) => h.targetReserveId).at(-1);
      return top ? ctx.loaders.byId.load(top.targetReserveId!) : found;
    },
  },
  Mutation: {
    issueNationalReserveId: (_, a, ctx) => issueNationalReserveId(ctx.db, ctx.caller, a.input),
    registerLocalReserveId: (_, a, ctx) => registerLocalReserveId(ctx.db, ctx.caller, a.identifier, a.input),
    updateReserveIdentity: (_, a, ctx) => updateReserveIdentity(ctx.db, ctx.caller, a.id, a.input),
    linkReserveIdentity: (_, a, ctx) => linkReserveIdentity(ctx.db, ctx.caller, a.id, a.to),
    unlinkReserveIdentity: (_, a, ctx) => unlinkReserveIdentity(ctx.db, ctx.caller, a.id),
  },
  Person: {
    __resolveReference: (ref): PersonRef => ref,
    async reserveIdentities(p, args, ctx): Promise<LinkedReserveIdentity[]> {
      // As many as writers linked: bounded per answer, so `links { person { reserveIdentities } }` cannot multiply unpriced.
      requirePageSize(args.first, MAX_LINKS);
      const rows = await ctx.loaders.linkedTo.load([...(p.identifierValues ?? [])].sort().join(','));
      return [...rows].sort((a, b) => (a.linkedAt?.getTime() ?? 0) - (b.linkedAt?.getTime() ?? 0) || a.value.localeCompare(b.value)).slice(0, args.first);
    },
  },
  ReserveIdentity: {
    __resolveReference: (ref, ctx) => ctx.loaders.byId.load(ref.id),
    kind: field('kind'),
    region: field('region'),
    value: field('value'),
    givenNames: field('givenNames'),
    familyName: field('familyName'),
    birthDate: field('birthDate'),
    sex: field('sex'),
    issuedBy: field('issuedBy'),
    recordedAt: async (r, _, ctx) => (await row(r, ctx)).recordedAt.toISOString(),
    async statedAddress(r, _, ctx) {
      const x = await row(r, ctx);
      if (!x.statedAddress && !x.statedPostalCode && !x.statedCity && !x.statedCountry) return null;
      return { streetAddress: x.statedAddress, postalCode: x.statedPostalCode, city: x.statedCity, country: x.statedCountry };
    },
    async linkedAt(r, _, ctx) {
      if (r.linkedAt) return r.linkedAt.toISOString();
      const current = (await ctx.loaders.links.load(r.id)).find((l) => l.unlinkedAt === null);
      return current ? current.linkedAt.toISOString() : null;
    },
    async links(r, args, ctx) {
      // Link history grows without bound (link, unlink, link again): nested `targetReserveIdentity { links }`
      // hops multiplied it (30 links 6 hops deep: 30⁶ objects, priced as 3⁶). At most `first` now, priced so.
      requirePageSize(args.first, MAX_LINKS);
      const links = await ctx.loaders.links.load(r.id);
      return links
        .filter((l) => args.includeHistoric || l.unlinkedAt === null)
        .sort((a, b) => (a.unlinkedAt === null ? -1 : 0) - (b.unlinkedAt === null ? -1 : 0) || b.linkedAt.getTime() - a.linkedAt.getTime())
        .slice(0, args.first);
    },
    async mainIdentifier(r, _, ctx) {
      const hop = await mainHop(r, ctx);
      return hop ? { kind: hop.targetKind, value: hop.targetValue } : null;
    },
    async mainPersonIdentifier(r, _, ctx) {
      // An unlink's payload stays its former person's until the response is out (see unlinkReserveIdentity).
      if (r.unlinkedFrom) return r.unlinkedFrom.personIdentifier;
      const hop = await mainHop(r, ctx);
      return hop && PERSON_KINDS.has(hop.targetKind) ? hop.targetValue : null;
    },
  },
  ReserveIdentityLink: {
    target: (l) => ({ kind: l.targetKind, value: l.targetValue }),
    targetReserveIdentity: (l, _, ctx) => (PERSON_KINDS.has(l.targetKind) ? null : ctx.loaders.byValue.load(l.targetValue)),
    async person(l, _, ctx) {
      if (PERSON_KINDS.has(l.targetKind)) return l.targetPersonId ? { __typename: 'Person', id: l.targetPersonId } : null;
      const target = await ctx.loaders.byValue.load(l.targetValue);
      const end = target ? (await ctx.loaders.chain.load(target.id)).at(-1) : undefined;
      return end && PERSON_KINDS.has(end.targetKind) && end.targetPersonId ? { __typename: 'Person', id: end.targetPersonId } : null;
    },
    linkedAt: (l) => l.linkedAt.toISOString(),
    unlinkedAt: (l) => l.unlinkedAt?.toISOString() ?? null,
  },
};
