import { conflict, notFound, protectedIdentity, userInputError } from '../../kernel/errors.js';
import { requireDate, requirePageSize, requirePersonId, requireScope } from '../../kernel/validate.js';
import { isHidden } from '../../kernel/protection.js';
import type { EndFamilyRelationInput, PersonFamilyRelationsArgs, RecordFamilyRelationInput, Resolvers } from './generated/resolvers.js';
import type { Ctx, PersonRef } from './parents.js';
import { loadPersonFacts, lockPerson, today } from '../shared/writes.js';
import type { RelationRow } from './loaders.js';
import { endRelation, insertRelation } from './writes.js';
import { lazyEdge } from '../shared/cursor.js';

/** Familie+ answers at most 20 persons at a time; so do we. */
export const MAX_PAGE_SIZE = 20;

type FamilyRelationsArgs = Required<Pick<PersonFamilyRelationsArgs, 'first' | 'includeHistoric'>> & Pick<PersonFamilyRelationsArgs, 'after' | 'kinds'>;

/** Cursors are scoped to the person and the filter, so one from another connection is refused. */
function cursorScope(personId: string, args: FamilyRelationsArgs): string {
  return `family:${personId}:${[...(args.kinds ?? [])].sort().join(',')}:${args.includeHistoric}`;
}

export const resolvers: Resolvers = {
  Person: {
    __resolveReference: (ref): PersonRef => ({ id: ref.id }),
    async familyRelations(p, args, ctx) {
      requirePageSize(args.first, MAX_PAGE_SIZE);
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
      const edges = page.map((node) => lazyEdge(node, () => ctx.cursors.encode(scope, node.id)));
      return {
        edges,
        totalCount,
        pageInfo: {
          hasNextPage: rows.length > args.first,
          get endCursor() {
            return edges.at(-1)?.cursor ?? null;
          },
        },
      };
    },
  },
  Mutation: {
    recordFamilyRelation: async (_, { input }, ctx) => payload(await recordFamilyRelation(input, ctx)),
    endFamilyRelation: async (_, { input }, ctx) => payload(await endFamilyRelation(input, ctx)),
  },
  FamilyRelation: {
    id: (r) => String(r.id),
    relationCode: (r) => FAMILIE_PLUS_CODE[r.kind] ?? null,
    current: (r) => r.validTo === null || r.validTo > today(),
    since: (r) => r.validFrom,
    until: (r) => r.validTo,
    relative: (r) => (r.relativePersonId ? { __typename: 'Person', id: r.relativePersonId } : null),
  },
};

/** Familie+ FAMMRK per kind (its `Andet` row is the person themselves, not a relative). */
const FAMILIE_PLUS_CODE: Record<string, string> = { MOTHER: 'Mor', FATHER: 'Far', CHILD: 'Barn', SPOUSE: 'Ægtefælle' };

/** Kinds CPR may record for a relative it knows only by name and birth date (records 012 and 015). */
const NAME_ONLY_KINDS = new Set(['MOTHER', 'FATHER', 'SPOUSE', 'REGISTERED_PARTNER']);

export const WRITE_SCOPE = 'family:write';

function notInFuture(date: string, argument: string): string {
  if (requireDate(date, argument) > today()) throw userInputError(`Argument '${argument}' may not be in the future; got ${date}.`, 'DATE_OUT_OF_RANGE');
  return date;
}

function refuseIfHidden(ctx: Ctx, activeKinds: string[]): void {
  if (isHidden(ctx.caller, activeKinds, 'FAMILY')) {
    throw protectedIdentity(`This person's family data is protected from you; the relation was not changed.`);
  }
}

/** A mutation's result carries the person, so the gateway masks the relation by that person's protection. */
function payload(relation: RelationRow) {
  return { person: { id: relation.personId }, relation };
}

async function recordFamilyRelation(input: RecordFamilyRelationInput, ctx: Ctx): Promise<RelationRow> {
  requireScope(ctx.caller.scopes, WRITE_SCOPE);
  const personId = requirePersonId(input.personId, 'input.personId');
  const relativePersonId = input.relativePersonId ? requirePersonId(input.relativePersonId, 'input.relativePersonId') : null;
  const name = input.relativeName?.trim() || null;
  if (relativePersonId && (name || input.relativeBirthDate)) {
    throw userInputError('Give the relative either by relativePersonId or by relativeName and relativeBirthDate, not both.', 'RELATIVE');
  }
  if (!relativePersonId && !(name && input.relativeBirthDate)) {
    throw userInputError('Give the relative by relativePersonId, or by relativeName together with relativeBirthDate.', 'RELATIVE');
  }
  if (!relativePersonId && !NAME_ONLY_KINDS.has(input.kind)) {
    throw userInputError(
      `A ${input.kind} relative must be a registered person (relativePersonId); only parents, spouses and registered partners may be known by name alone.`,
      'RELATIVE',
    );
  }
  if (relativePersonId === personId) throw userInputError('A person cannot be their own relative.', 'RELATIVE');
  const relativeBirthDate = input.relativeBirthDate ? notInFuture(input.relativeBirthDate, 'input.relativeBirthDate') : null;
  const since = input.since ? notInFuture(input.since, 'input.since') : null;

  return ctx.db.transaction(async (tx) => {
    const facts = await loadPersonFacts(tx, relativePersonId ? [personId, relativePersonId] : [personId]);
    const person = facts.get(personId);
    if (!person) throw notFound(`No person has the id ${personId}.`);
    if (relativePersonId && !facts.has(relativePersonId)) throw notFound(`No person has the id ${relativePersonId} (relativePersonId).`);
    refuseIfHidden(ctx, person.activeProtectionKinds);
    // Ids of one person's relations grow in commit order, so a page walk never passes one still in flight.
    await lockPerson(tx, 'family', personId);
    return insertRelation(tx, { personId, kind: input.kind, relativePersonId, relativeName: name, relativeBirthDate, validFrom: since }, person);
  });
}

async function endFamilyRelation(input: EndFamilyRelationInput, ctx: Ctx): Promise<RelationRow> {
  requireScope(ctx.caller.scopes, WRITE_SCOPE);
  if (!/^[1-9]\d{0,17}$/.test(input.relationId))
    throw userInputError(`Argument 'input.relationId' must be a FamilyRelation.id; got '${input.relationId}'.`, 'INVALID_ID');
  const until = notInFuture(input.until, 'input.until');
  return ctx.db.transaction(async (tx) => {
    const ended = await endRelation(tx, Number(input.relationId), until, async (row) => {
      const person = (await loadPersonFacts(tx, [row.personId])).get(row.personId);
      refuseIfHidden(ctx, person?.activeProtectionKinds ?? []);
      if (row.validTo !== null) throw conflict(`The relation ${row.id} already ended on ${row.validTo}.`);
      if (row.validFrom && until < row.validFrom)
        throw userInputError(`'until' (${until}) is before the relation began (${row.validFrom}).`, 'DATE_OUT_OF_RANGE');
      return person ?? null;
    });
    if (!ended) throw notFound(`No family relation has the id ${input.relationId}.`);
    return ended;
  });
}
