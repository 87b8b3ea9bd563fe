import { updateContactDetails } from './contact.js';
import { changeName } from './name-writes.js';
import { changeCitizenships } from './citizenship-writes.js';
import { annulIdentifier, changeIdentifier } from './identifier-writes.js';
import { changeCivilStatus } from './civil-status-writes.js';
import { endProtection, startProtection } from './protection-writes.js';
import { annulDeath, registerDeath, registerDisappearance, registerReappearance, type Written } from './life-events.js';
import { countSearch, MAX_SEARCH_PAGE, planSearch, runSearch, searchScope } from './search.js';
import { markersInForce } from '../../kernel/protection.js';
import { userInputError, type ErrorReason } from '../../kernel/errors.js';
import { parseOrReject, requirePageSize, requireScope } from '../../kernel/validate.js';
import { IdentifierError, parseIdentifier, type ParsedIdentifier } from '../../kernel/identifiers.js';
import type { Resolvers } from './generated/resolvers.js';
import type { Ctx, PersonRef } from './parents.js';
import { auditEventsPage } from './audit.js';
import { personRow as toPersonRow, personStatements, type IdentifierRow, type PersonRow } from './loaders.js';
import { keyList } from '../shared/loaders.js';
import { kindsInForce } from '../shared/protected-fields.js';
import { lazyEdge } from '../shared/cursor.js';

const RESERVE_KINDS: readonly string[] = ['NATIONAL_RESERVE_ID', 'LOCAL_RESERVE_ID'];

/**
 * A reserve identity is no person's number, and its link to a person is the reserve-id domain's (and
 * governed by the RESERVE_IDENTITY category there): say where to look instead of answering a silent null.
 * The hint depends on the number's format only, so it tells nothing about whether a link exists.
 */
function reserveIdentityHint(input: string, candidates: readonly ParsedIdentifier[]): { reason: 'RESERVE_IDENTITY'; message: string } | null {
  if (candidates.length === 0 || !candidates.every((c) => RESERVE_KINDS.includes(c.kind))) return null;
  const label = candidates[0]!.kind === 'NATIONAL_RESERVE_ID' ? 'a national reserve ID' : 'a regional reserve ID';
  return {
    reason: 'RESERVE_IDENTITY',
    message: `'${candidates[0]!.canonical}' is ${label}, not a person's number: look it up with reserveIdentity(identifier: "${candidates[0]!.canonical}") { person { … } }, which follows its links to the registered person.`,
  };
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

async function loadRow(id: string, ctx: Ctx): Promise<PersonRow> {
  const row = await ctx.loaders.person.load(id);
  if (!row) throw new Error(`Person ${id} vanished during the request`);
  return row;
}

/**
 * `read` of the person's row: at once when the parent object is the row (no promise per field — a
 * page of 20 persons has hundreds of fields, the guard's among them), else after the request's loader.
 */
function fromRow<T>(read: (row: PersonRow) => T) {
  return (p: PersonRef, _: unknown, ctx: Ctx): T | Promise<T> => ('markers' in p ? read(p) : loadRow(p.id, ctx).then(read));
}

/** Kinds in force of the person a Person object is: from its row, which carries the markers. */
export function personProtection(p: PersonRef, ctx: Ctx): string[] | Promise<string[]> {
  return 'markers' in p ? kindsInForce(p.markers) : loadRow(p.id, ctx).then((row) => kindsInForce(row.markers));
}

/** Personuppgiftstjänsten's Get takes at most 500 identities per call. */
export const MAX_BATCH = 500;

/** A register write's payload: the person, read afresh after the commit (the request's loader has not seen them yet). */
function payload(written: Written): { person: PersonRef } {
  return { person: { id: written.personId } };
}

type Lookup =
  | { input: string; status: 'FOUND'; matchedIdentifier: ReturnType<typeof toIdentifier>; person: PersonRef }
  | { input: string; status: 'NOT_FOUND' }
  | { input: string; status: 'INVALID'; reason: ErrorReason; message: string };

export const resolvers: Resolvers = {
  Mutation: {
    async updateContactDetails(_, args, ctx) {
      const { row, person } = await updateContactDetails(ctx.db, ctx.caller, args.input);
      ctx.loaders.person.prime(person.id, person);
      return row;
    },
    registerDeath: async (_, { input }, ctx) => payload(await registerDeath(ctx.db, ctx.caller, input)),
    annulDeath: async (_, { input }, ctx) => payload(await annulDeath(ctx.db, ctx.caller, input)),
    registerDisappearance: async (_, { input }, ctx) => payload(await registerDisappearance(ctx.db, ctx.caller, input)),
    registerReappearance: async (_, { input }, ctx) => payload(await registerReappearance(ctx.db, ctx.caller, input)),
    changeCivilStatus: async (_, { input }, ctx) => payload(await changeCivilStatus(ctx.db, ctx.caller, input)),
    changeIdentifier: async (_, { input }, ctx) => payload(await changeIdentifier(ctx.db, ctx.caller, input)),
    annulIdentifier: async (_, { input }, ctx) => payload(await annulIdentifier(ctx.db, ctx.caller, input)),
    changeCitizenships: async (_, { input }, ctx) => payload(await changeCitizenships(ctx.db, ctx.caller, input)),
    changeName: async (_, { input }, ctx) => payload(await changeName(ctx.db, ctx.caller, input)),
    startProtection: async (_, { input }, ctx) => payload(await startProtection(ctx.db, ctx.caller, input)),
    endProtection: async (_, { input }, ctx) => payload(await endProtection(ctx.db, ctx.caller, input)),
  },
  Query: {
    auditEvents: (_, args, ctx) => auditEventsPage(args, ctx),
    /**
     * Parses every item, then ONE statement for all valid ones (identifiers joined to their persons);
     * the person rows prime the loader, so person fields of the answer cost nothing more.
     */
    async persons(_, args, ctx): Promise<Lookup[]> {
      if (args.identifiers.length > MAX_BATCH) {
        throw userInputError(`At most ${MAX_BATCH} identifiers per call; got ${args.identifiers.length}. Split the batch.`, 'BATCH_TOO_LARGE');
      }
      const parsed = args.identifiers.map((input) => {
        try {
          return { input, candidates: parseIdentifier(input, { country: args.country }) };
        } catch (err) {
          if (err instanceof IdentifierError) return { input, error: err };
          throw err;
        }
      });
      const values = [...new Set(parsed.flatMap((p) => (p.candidates ?? []).map((c) => c.canonical)))];
      const rows = values.length ? await personStatements(ctx.db).personsByIdentifier.execute({ values: keyList(values) }) : [];
      const byValue = new Map(rows.map((r) => [r.identifier.value, r]));
      const personRows = new Map(rows.map((r) => [r.person.id, toPersonRow(r)]));
      for (const [id, row] of personRows) ctx.loaders.person.prime(id, row);
      return parsed.map((p): Lookup => {
        if ('error' in p) return { input: p.input, status: 'INVALID', reason: p.error!.reason, message: p.error!.message };
        const reserve = reserveIdentityHint(p.input, p.candidates!);
        if (reserve) return { input: p.input, status: 'INVALID', ...reserve };
        const hits = p.candidates!.map((c) => byValue.get(c.canonical)).filter((r) => r !== undefined);
        if (new Set(hits.map((h) => h.person.id)).size > 1) {
          return {
            input: p.input,
            status: 'INVALID',
            reason: 'AMBIGUOUS',
            message: `'${p.input}' is both a Swedish personnummer and a Danish CPR number of two different persons; send the 12-digit personnummer or pass country.`,
          };
        }
        const hit = hits[0];
        return hit
          ? { input: p.input, status: 'FOUND', matchedIdentifier: toIdentifier(hit.identifier), person: personRows.get(hit.person.id)! }
          : { input: p.input, status: 'NOT_FOUND' };
      });
    },

    async searchPersons(_, args, ctx) {
      requirePageSize(args.first, MAX_SEARCH_PAGE);
      // Which persons live in a municipality is an address fact: asked with person:read alone it would
      // answer, one name at a time, what `person { address }` refuses without address:read.
      if (args.filter.municipalityCode != null) requireScope(ctx.caller.scopes, 'address:read');
      const plan = planSearch(args.filter);
      const scope = searchScope(plan);
      const after = args.after ? ctx.cursors.decode<[string | null, string]>(scope, args.after) : null;
      const hits = await runSearch(ctx.db, ctx.caller, plan, after, args.first + 1);
      const page = hits.slice(0, args.first);
      // The rows of the page in one statement now, so every field of every hit resolves at once.
      const rows = await ctx.loaders.person.loadMany(page.map((h) => h.personId));
      const edges = page.map((h, i) => {
        const row = rows[i];
        return lazyEdge(row && !(row instanceof Error) ? row : { id: h.personId }, () => ctx.cursors.encode(scope, [h.key, h.personId]));
      });
      // Counted only when `totalCount` is selected (PersonConnection.totalCount).
      const totalCount = () => countSearch(ctx.db, ctx.caller, plan);
      const pageInfo = {
        hasNextPage: hits.length > args.first,
        get endCursor() {
          return edges.at(-1)?.cursor ?? null;
        },
      };
      return { edges, pageInfo, totalCount };
    },

    async person(_, args, ctx): Promise<PersonRef | null> {
      const candidates = parseOrReject(args.identifier, args.country);
      const reserve = reserveIdentityHint(args.identifier, candidates);
      if (reserve) throw userInputError(reserve.message, reserve.reason, { lookup: 'reserveIdentity' });
      // The person rows come with the match (markers and name too): the answer's fields cost no more statements.
      const rows = await personStatements(ctx.db).personsByIdentifier.execute({ values: keyList(candidates.map((c) => c.canonical)) });
      const persons = new Map(rows.map((r) => [r.person.id, toPersonRow(r)]));
      for (const [id, row] of persons) ctx.loaders.person.prime(id, row);
      if (persons.size > 1) {
        throw userInputError(
          `'${args.identifier}' is both a Swedish personnummer and a Danish CPR number of two different persons; send the 12-digit personnummer or pass country.`,
          'AMBIGUOUS',
        );
      }
      return persons.values().next().value ?? null;
    },
  },
  PersonConnection: {
    totalCount: (connection) => connection.totalCount(),
  },
  ReserveIdentity: {
    __resolveReference: (ref) => ref,
    async person(r, _, ctx): Promise<PersonRef | null> {
      if (!r.mainPersonIdentifier) return null;
      const id = await ctx.loaders.personIdByIdentifier.load(r.mainPersonIdentifier);
      return id ? { id } : null;
    },
  },
  ContactDetails: {
    person: (row) => ({ id: row.personId }),
    updatedAt: (c) => c.updatedAt.toISOString(),
  },
  Person: {
    __resolveReference: (ref, ctx): Promise<PersonRow | null> => ctx.loaders.person.load(ref.id),
    country: fromRow((r) => r.country),
    birthDate: fromRow((r) => r.birthDate),
    sex: fromRow((r) => r.sex),
    status: fromRow((r) => r.status),
    statusDate: fromRow((r) => r.statusDate),
    civilStatus: fromRow((r) => r.civilStatus),
    civilStatusSince: fromRow((r) => r.civilStatusSince),
    civilStatusPartner: fromRow((r) => (r.civilStatusPartnerId ? { id: r.civilStatusPartnerId } : null)),
    registeringAuthority: fromRow((r) => r.registeringAuthority),
    registeredOn: fromRow((r) => r.registeredOn),
    recordUpdatedAt: fromRow((r) => r.updatedAt.toISOString()),
    contactDetails: (p, _, ctx) => ctx.loaders.contactDetails.load(p.id),
    citizenships: fromRow((r) => r.citizenships),
    citizenshipHistory: async (p, _, ctx) =>
      (await ctx.loaders.citizenshipHistory.load(p.id)).map((c) => ({
        country: c.country,
        validFrom: c.validFrom,
        validTo: c.validTo,
        current: c.validTo === null,
      })),
    async identifier(p, _, ctx) {
      const rows = await ctx.loaders.identifiers.load(p.id);
      const current = rows.find((r) => r.validTo === null) ?? [...rows].sort(historyOrder)[0];
      if (!current) throw new Error(`Person ${p.id} has no identifier`);
      return toIdentifier(current);
    },
    identifierValues: async (p, _, ctx) => (await ctx.loaders.identifiers.load(p.id)).map((r) => r.value),
    identifiers: async (p, _, ctx) => [...(await ctx.loaders.identifiers.load(p.id))].sort(historyOrder).map(toIdentifier),
    name: fromRow((r) => r.name),
    previousNames: (p, _, ctx) => ctx.loaders.previousNames.load(p.id),
    hasPreviousNames: async (p, _, ctx) => (await ctx.loaders.previousNames.load(p.id)).length > 0,
    protectionMarkers(p, args, ctx) {
      // The gateway masks by what this answers: the one in-force rule, on the register's date.
      const inForce = (row: PersonRow) => (args.includeHistoric || row.markers.length === 0 ? row.markers : markersInForce(row.markers));
      return fromRow(inForce)(p, args, ctx);
    },
  },
};
