import { inArray } from 'drizzle-orm';
import { personIdentifiers } from '../../db/schema/index.js';
import { userInputError } from '../shared/errors.js';
import { IdentifierError, parseIdentifier, type ParsedIdentifier } from '../shared/identifiers.js';
import type { SubgraphContext } from '../shared/server.js';
import { auditEventsPage } from './audit.js';
import type { IdentifierRow, PersonLoaders } from './loaders.js';

type Ctx = SubgraphContext<PersonLoaders>;
interface PersonRef {
  id: string;
}

/** Parses a caller-supplied identifier or throws BAD_USER_INPUT with the parser's reason. */
export function parseOrReject(input: string, country?: 'SE' | 'DK'): ParsedIdentifier[] {
  try {
    return parseIdentifier(input, { country });
  } catch (err) {
    if (err instanceof IdentifierError) throw userInputError(err.message, err.reason);
    throw err;
  }
}

/** `YYYYMMDD-NNNC` for Swedish numbers, `DDMMYY-SSSS` for CPR; other kinds as stored. */
function display(row: IdentifierRow): string {
  if (row.kind === 'CPR_NUMBER') return `${row.value.slice(0, 6)}-${row.value.slice(6)}`;
  if (row.kind === 'PERSONAL_IDENTITY_NUMBER' || row.kind === 'COORDINATION_NUMBER') return `${row.value.slice(0, 8)}-${row.value.slice(8)}`;
  return row.value;
}

function toIdentifier(row: IdentifierRow) {
  return { kind: row.kind, value: row.value, display: display(row), current: row.validTo === null, validFrom: row.validFrom, validTo: row.validTo };
}

/** Current first, then the most recently ended. */
function historyOrder(a: IdentifierRow, b: IdentifierRow): number {
  if ((a.validTo === null) !== (b.validTo === null)) return a.validTo === null ? -1 : 1;
  return (b.validTo ?? '').localeCompare(a.validTo ?? '');
}

async function personRow(ref: PersonRef, ctx: Ctx) {
  const row = await ctx.loaders.person.load(ref.id);
  if (!row) throw new Error(`Person ${ref.id} vanished during the request`);
  return row;
}

export const resolvers = {
  Query: {
    auditEvents: (_: unknown, args: Parameters<typeof auditEventsPage>[0], ctx: Ctx) => auditEventsPage(args, ctx),
    async person(_: unknown, args: { identifier: string; country?: 'SE' | 'DK' }, ctx: Ctx): Promise<PersonRef | null> {
      const candidates = parseOrReject(args.identifier, args.country);
      const rows = await ctx.db
        .select({ personId: personIdentifiers.personId })
        .from(personIdentifiers)
        .where(inArray(personIdentifiers.value, candidates.map((c) => c.canonical)));
      const ids = [...new Set(rows.map((r) => r.personId))];
      if (ids.length > 1) {
        throw userInputError(
          `'${args.identifier}' is both a Swedish personnummer and a Danish CPR number of two different persons; send the 12-digit personnummer or pass country.`,
          'AMBIGUOUS',
        );
      }
      return ids[0] ? { id: ids[0] } : null;
    },
  },
  Person: {
    async __resolveReference(ref: PersonRef, ctx: Ctx): Promise<PersonRef | null> {
      return (await ctx.loaders.person.load(ref.id)) ? { id: ref.id } : null;
    },
    country: async (p: PersonRef, _: unknown, ctx: Ctx) => (await personRow(p, ctx)).country,
    birthDate: async (p: PersonRef, _: unknown, ctx: Ctx) => (await personRow(p, ctx)).birthDate,
    sex: async (p: PersonRef, _: unknown, ctx: Ctx) => (await personRow(p, ctx)).sex,
    status: async (p: PersonRef, _: unknown, ctx: Ctx) => (await personRow(p, ctx)).status,
    statusDate: async (p: PersonRef, _: unknown, ctx: Ctx) => (await personRow(p, ctx)).statusDate,
    civilStatus: async (p: PersonRef, _: unknown, ctx: Ctx) => (await personRow(p, ctx)).civilStatus,
    civilStatusSince: async (p: PersonRef, _: unknown, ctx: Ctx) => (await personRow(p, ctx)).civilStatusSince,
    citizenships: async (p: PersonRef, _: unknown, ctx: Ctx) => (await personRow(p, ctx)).citizenships,
    async identifier(p: PersonRef, _: unknown, ctx: Ctx) {
      const rows = await ctx.loaders.identifiers.load(p.id);
      const current = rows.find((r) => r.validTo === null) ?? [...rows].sort(historyOrder)[0];
      if (!current) throw new Error(`Person ${p.id} has no identifier`);
      return toIdentifier(current);
    },
    identifiers: async (p: PersonRef, _: unknown, ctx: Ctx) => [...(await ctx.loaders.identifiers.load(p.id))].sort(historyOrder).map(toIdentifier),
    name: (p: PersonRef, _: unknown, ctx: Ctx) => ctx.loaders.currentName.load(p.id),
    async protectionMarkers(p: PersonRef, args: { includeHistoric: boolean }, ctx: Ctx) {
      const today = new Date().toISOString().slice(0, 10);
      const rows = await ctx.loaders.protectionMarkers.load(p.id);
      return args.includeHistoric ? rows : rows.filter((r) => r.validTo === null || r.validTo > today);
    },
  },
};
