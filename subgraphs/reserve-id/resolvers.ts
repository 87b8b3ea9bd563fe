import { userInputError } from '../../kernel/errors.js';
import { parseOrReject, requirePageSize } from '../../kernel/validate.js';
import type { SubgraphContext } from '../shared/server.js';

/** Most links (`ReserveIdentity.links(first:)`) and linked reserve identities (`Person.reserveIdentities(first:)`) one answer carries. */
export const MAX_LINKS = 50;
import type { LinkRow, LinkedReserveIdentity, ReserveIdLoaders, ReserveIdentityRow } from './loaders.js';
import {
  issueNationalReserveId,
  linkReserveIdentity,
  registerLocalReserveId,
  unlinkReserveIdentity,
  updateReserveIdentity,
  PERSON_KINDS,
  type ReserveIdentityDataInput,
  type UnlinkedReserveIdentity,
} from './writes.js';

type Ctx = SubgraphContext<ReserveIdLoaders>;
interface PersonRef {
  id: string;
  identifierValues?: string[] | null;
}
type Row = ReserveIdentityRow & { linkedAt?: Date | null };

async function row(ref: { id: string } & Partial<Row>, ctx: Ctx): Promise<Row> {
  if (ref.value !== undefined) return ref as Row;
  const found = await ctx.loaders.byId.load(ref.id);
  if (!found) throw new Error(`Reserve identity ${ref.id} vanished during the request`);
  return found;
}

async function mainHop(ref: { id: string }, ctx: Ctx) {
  return (await ctx.loaders.chain.load(ref.id)).at(-1) ?? null;
}

const field =
  <K extends keyof Row>(key: K) =>
  async (r: { id: string }, _: unknown, ctx: Ctx) =>
    (await row(r, ctx))[key];

export const resolvers = {
  Query: {
    async reserveIdentity(_: unknown, args: { identifier: string; followLinks: boolean }, ctx: Ctx) {
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
    issueNationalReserveId: (_: unknown, a: { input: ReserveIdentityDataInput }, ctx: Ctx) => issueNationalReserveId(ctx.db, ctx.caller, a.input),
    registerLocalReserveId: (_: unknown, a: { identifier: string; input?: ReserveIdentityDataInput }, ctx: Ctx) =>
      registerLocalReserveId(ctx.db, ctx.caller, a.identifier, a.input),
    updateReserveIdentity: (_: unknown, a: { id: string; input: ReserveIdentityDataInput }, ctx: Ctx) =>
      updateReserveIdentity(ctx.db, ctx.caller, a.id, a.input),
    linkReserveIdentity: (_: unknown, a: { id: string; to: string }, ctx: Ctx) => linkReserveIdentity(ctx.db, ctx.caller, a.id, a.to),
    unlinkReserveIdentity: (_: unknown, a: { id: string }, ctx: Ctx) => unlinkReserveIdentity(ctx.db, ctx.caller, a.id),
  },
  Person: {
    __resolveReference: (ref: PersonRef) => ref,
    async reserveIdentities(p: PersonRef, args: { first: number }, ctx: Ctx): Promise<LinkedReserveIdentity[]> {
      // As many as writers linked: bounded per answer, so `links { person { reserveIdentities } }` cannot multiply unpriced.
      requirePageSize(args.first, MAX_LINKS);
      const rows = await ctx.loaders.linkedTo.load([...(p.identifierValues ?? [])].sort().join(','));
      return [...rows].sort((a, b) => (a.linkedAt?.getTime() ?? 0) - (b.linkedAt?.getTime() ?? 0) || a.value.localeCompare(b.value)).slice(0, args.first);
    },
  },
  ReserveIdentity: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.byId.load(ref.id),
    kind: field('kind'),
    region: field('region'),
    value: field('value'),
    givenNames: field('givenNames'),
    familyName: field('familyName'),
    birthDate: field('birthDate'),
    sex: field('sex'),
    issuedBy: field('issuedBy'),
    recordedAt: async (r: { id: string }, _: unknown, ctx: Ctx) => (await row(r, ctx)).recordedAt.toISOString(),
    async statedAddress(r: { id: string }, _: unknown, ctx: Ctx) {
      const x = await row(r, ctx);
      if (!x.statedAddress && !x.statedPostalCode && !x.statedCity && !x.statedCountry) return null;
      return { streetAddress: x.statedAddress, postalCode: x.statedPostalCode, city: x.statedCity, country: x.statedCountry };
    },
    async linkedAt(r: { id: string } & Partial<Row>, _: unknown, ctx: Ctx) {
      if (r.linkedAt) return r.linkedAt.toISOString();
      const current = (await ctx.loaders.links.load(r.id)).find((l) => l.unlinkedAt === null);
      return current ? current.linkedAt.toISOString() : null;
    },
    async links(r: { id: string }, args: { includeHistoric: boolean; first: number }, ctx: Ctx) {
      // Link history grows without bound (link, unlink, link again): nested `targetReserveIdentity { links }`
      // hops multiplied it (30 links 6 hops deep: 30⁶ objects, priced as 3⁶). At most `first` now, priced so.
      requirePageSize(args.first, MAX_LINKS);
      const links = await ctx.loaders.links.load(r.id);
      return links
        .filter((l) => args.includeHistoric || l.unlinkedAt === null)
        .sort((a, b) => (a.unlinkedAt === null ? -1 : 0) - (b.unlinkedAt === null ? -1 : 0) || b.linkedAt.getTime() - a.linkedAt.getTime())
        .slice(0, args.first);
    },
    async mainIdentifier(r: { id: string }, _: unknown, ctx: Ctx) {
      const hop = await mainHop(r, ctx);
      return hop ? { kind: hop.targetKind, value: hop.targetValue } : null;
    },
    async mainPersonIdentifier(r: { id: string } & Partial<UnlinkedReserveIdentity>, _: unknown, ctx: Ctx) {
      // An unlink's payload stays its former person's until the response is out (see unlinkReserveIdentity).
      if (r.unlinkedFrom) return r.unlinkedFrom.personIdentifier;
      const hop = await mainHop(r, ctx);
      return hop && PERSON_KINDS.has(hop.targetKind) ? hop.targetValue : null;
    },
  },
  ReserveIdentityLink: {
    target: (l: LinkRow) => ({ kind: l.targetKind, value: l.targetValue }),
    targetReserveIdentity: (l: LinkRow, _: unknown, ctx: Ctx) => (PERSON_KINDS.has(l.targetKind) ? null : ctx.loaders.byValue.load(l.targetValue)),
    async person(l: LinkRow, _: unknown, ctx: Ctx) {
      if (PERSON_KINDS.has(l.targetKind)) return l.targetPersonId ? { __typename: 'Person', id: l.targetPersonId } : null;
      const target = await ctx.loaders.byValue.load(l.targetValue);
      const end = target ? (await ctx.loaders.chain.load(target.id)).at(-1) : undefined;
      return end && PERSON_KINDS.has(end.targetKind) && end.targetPersonId ? { __typename: 'Person', id: end.targetPersonId } : null;
    },
    linkedAt: (l: LinkRow) => l.linkedAt.toISOString(),
    unlinkedAt: (l: LinkRow) => l.unlinkedAt?.toISOString() ?? null,
  },
};
