import DataLoader from 'dataloader';
import { defaultFieldResolver, isObjectType, Kind, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Db } from '../../db/client.js';
import { protectionMarkers } from '../../db/schema/index.js';
import { anyOf, groupBy, keyList, perDatabase, traced } from './loaders.js';
import { kindsHiding, markersInForce, type MarkerValidity, type ProtectionCategory } from '../../kernel/protection.js';
import type { Caller } from '../../kernel/caller.js';

/**
 * The subgraphs' second line behind the gateway's masking (README, "Trust between gateway and
 * subgraphs"): a `@protected` field of a type whose owner the subgraph knows resolves to `null` when
 * the signed `hidden` map of the caller hides its category for a protection kind the owner has in
 * force. So a gateway token, even one captured and replayed, reads no more than its caller may.
 *
 * It agrees with the gateway rather than adding rules: the same signed map, the same "in force" as
 * `Person.protectionMarkers` (not ended), and no error of its own — the gateway's guard still sees the
 * person's markers, nulls the field with `PROTECTED_IDENTITY` at its path, and releases to entitled
 * callers (whose entitled categories are never in `hidden`) with audit as before.
 */

/** The protection kinds in force for the person who owns `parent`'s protected fields (`[]`: none). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each owner reads its own parent type
export type ProtectionOwner<C> = (parent: any, context: C) => readonly string[] | Promise<readonly string[]>;

/** Per type name: how a subgraph finds the owner of that type's protected fields. */
export type ProtectionOwners<C> = Readonly<Record<string, ProtectionOwner<C>>>;

/**
 * The owner of a `Person` entity's protected fields where a subgraph only adds fields to `Person`
 * (address, family, reserve-id): the person itself, its markers read (read-only) through the request's
 * protection loader.
 */
export const personItself: ProtectionOwner<{ protection: { load(personId: string): Promise<readonly string[]> } }> = (person: { id: string }, ctx) =>
  ctx.protection.load(person.id);

/**
 * Marker kinds in force on the register's date: the one rule (`markerInForce`) that
 * `Person.protectionMarkers` answers the gateway with, so this line never hides what the gateway shows.
 */
export function kindsInForce(markers: ReadonlyArray<MarkerValidity & { kind: string }>, date?: string): string[] {
  if (markers.length === 0) return [];
  return markersInForce(markers, date).map((m) => m.kind);
}

const statements = perDatabase((db: Db) => ({
  markers: db
    .select({ personId: protectionMarkers.personId, kind: protectionMarkers.kind, validFrom: protectionMarkers.validFrom, validTo: protectionMarkers.validTo })
    .from(protectionMarkers)
    .where(anyOf(protectionMarkers.personId, 'ids', 'uuid'))
    .prepare('protected_fields_markers'),
}));

/**
 * The protection kinds in force per person, one statement per request for all persons asked. Read-only
 * and of the markers alone, like the facts other domains' writes read (`writes.ts`); only asked when
 * the caller has something hidden.
 */
export function createProtectionLoader(db: Db): DataLoader<string, string[]> {
  return new DataLoader(
    traced('protection.markers', async (ids) => {
      const rows = await statements(db).markers.execute({ ids: keyList(ids) });
      return groupBy(ids, rows, (r) => r.personId).map((markers) => kindsInForce(markers));
    }),
  );
}

/** The categories' hiding kinds per caller, worked out once per request. */
const hidingPerCaller = new WeakMap<Caller, Map<string, string[]>>();
function hiding(caller: Caller, category: string): string[] {
  let byCategory = hidingPerCaller.get(caller);
  if (!byCategory) hidingPerCaller.set(caller, (byCategory = new Map()));
  let kinds = byCategory.get(category);
  if (!kinds) byCategory.set(category, (kinds = kindsHiding(caller, category as ProtectionCategory)));
  return kinds;
}

/**
 * Wraps the resolver of every `@protected` field of every type in `owners`: `null` when hidden, the
 * field's own resolver otherwise. A caller with nothing hidden for the category pays one map lookup.
 * Types without an owner here are reached only through a wrapped field (their parent is nulled) or
 * through writes that refuse a hidden category themselves.
 */
export function guardProtectedFields<C extends { caller: Caller }>(schema: GraphQLSchema, owners: ProtectionOwners<C>): void {
  for (const [typeName, owner] of Object.entries(owners)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`Protection owner for '${typeName}', which is no object type of this subgraph.`);
    for (const field of Object.values(type.getFields())) {
      const category = protectedCategory(field.astNode?.directives);
      if (!category) continue;
      const resolve: GraphQLFieldResolver<unknown, C> = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context, info) => {
        const kinds = hiding(context.caller, category);
        if (kinds.length === 0) return resolve(parent, args, context, info);
        const decide = (inForce: readonly string[]) => (inForce.some((k) => kinds.includes(k)) ? null : resolve(parent, args, context, info));
        const inForce = owner(parent, context);
        return Array.isArray(inForce) ? decide(inForce) : (inForce as Promise<readonly string[]>).then(decide);
      };
    }
  }
}

type Directives = NonNullable<NonNullable<import('graphql').GraphQLField<unknown, unknown>['astNode']>['directives']>;
function protectedCategory(directives: Directives | undefined): string | undefined {
  const mark = directives?.find((d) => d.name.value === 'protected');
  const arg = mark?.arguments?.find((a) => a.name.value === 'category');
  return arg?.value.kind === Kind.STRING ? arg.value.value : undefined;
}
