import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  parse,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { ALL_CATEGORIES } from '../../kernel/protection.js';
import { protectedIdentity, userInputError } from '../../kernel/errors.js';
import { type HiddenCategories } from '../../kernel/caller.js';
import type { CategoryBy, ProtectedFields } from '../../kernel/protection-marks.js';

/**
 * Masking of protected-identity fields on every path of a response.
 *
 * Before planning, each selection set on a *protection subject* (a type whose data belongs to one
 * person: `Person`, and every type with a `person: Person` field, through that person) gets
 * hidden fields that fetch that person's protection markers, whatever the client selected. After
 * execution, the response is walked along the operation: each `@protected` field takes the markers
 * of its nearest subject ancestor, and a field the policy hides becomes `null` with a
 * `PROTECTED_IDENTITY` error at its path. Hidden fields are then removed. Aliases, fragments and inline
 * fragments are followed exactly as the executor followed them, so no query shape escapes.
 *
 * A field marked `categoryOf: "type"` (a change event's `occurredAt`) takes the category of its object's
 * `type` value: every selection set on such a type also fetches that field under a reserved alias.
 *
 * Fail closed: when a subject's markers could not be fetched (a subgraph down), a protected field
 * has no subject above it, or a `categoryOf` value is missing or unmarked, the field is withheld.
 */

/** Alias prefix reserved for the guard's own fields; client documents may not use it. */
const RESERVED_PREFIX = '_folkreg';
const GUARD = `${RESERVED_PREFIX}Guard`;
const REF = `${RESERVED_PREFIX}Ref`;
const ID = `${RESERVED_PREFIX}Id`;
const TYPENAME = `${RESERVED_PREFIX}Type`;
/** Prefix of the fields a `categoryOf` mark names, fetched for the guard. */
const BY = `${RESERVED_PREFIX}By_`;

/** How the markers of a subject type's person are fetched, and read back from its response object. */
interface SubjectGuard {
  selections: readonly SelectionNode[];
  /**
   * The person's id and kinds in force; `'unknown'` when they could not be fetched. `failed`: the
   * response has an error that may concern this object (at or below it, or with no path).
   */
  owner(value: Record<string, unknown>, failed: boolean): Owner;
}

export type Owner = { personId: string | null; kinds: string[] } | 'unknown';

const selectionsOf = (text: string): readonly SelectionNode[] =>
  (parse(`{${text}}`, { noLocation: true }).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet.selections;

function markerKinds(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((m) => String((m as { kind?: unknown })?.kind));
}

/**
 * Person: its own markers, and its id only where a release to an entitled caller can need it (the
 * audit names the person): for everyone else an id per person is one more field for every planner
 * fetch, response merge and result shaping to carry, read by nothing. Without the id, the walk never
 * releases (`Walker.decide`), so a document prepared without it fails closed.
 */
const PERSON_GUARD: SubjectGuard = {
  selections: selectionsOf(`${GUARD}: protectionMarkers { kind }`),
  owner(value) {
    const kinds = markerKinds(value[GUARD]);
    if (!kinds) return 'unknown';
    return { personId: typeof value[ID] === 'string' ? value[ID] : null, kinds };
  },
};
const PERSON_ID_SELECTIONS = selectionsOf(`${ID}: id`);

/**
 * Types that belong to the person of their `person` field. The reference (resolved by the owning
 * subgraph alone) tells "no person" apart from "the person subgraph failed to give the markers".
 * When the client selects `person` itself (no alias, no directive), the Person guard's fields inside it
 * carry the markers: asking for them under a second alias would cost the planner a second fetch of
 * every person from the person subgraph.
 */
const VIA_PERSON_GUARD: SubjectGuard = {
  selections: selectionsOf(`${REF}: person { id } ${GUARD}: person { protectionMarkers { kind } }`),
  owner(value, failed) {
    const ref = value[REF] as { id?: unknown } | null | undefined;
    // A null person is "no person" only when nothing failed: the field may be resolved by another subgraph.
    if (ref === null) return failed ? 'unknown' : { personId: null, kinds: [] };
    const markers =
      GUARD in value
        ? (value[GUARD] as Record<string, unknown> | null | undefined)?.protectionMarkers
        : (value.person as Record<string, unknown> | null | undefined)?.[GUARD];
    const kinds = markerKinds(markers);
    return ref && typeof ref.id === 'string' && kinds ? { personId: ref.id, kinds } : 'unknown';
  },
};
const VIA_CLIENT_PERSON_SELECTIONS = selectionsOf(`${REF}: person { id }`);

/** The selection set asks for `person` plainly: its Person guard fields will be in `person` of every object. */
function selectsPlainPerson(node: SelectionSetNode): boolean {
  return node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'person' && !s.alias && !s.directives?.length);
}

/**
 * Person is a subject of its own; so is every object type with a `person: Person` field (change
 * events, reserve identities, mutation payloads): its marked fields belong to that person.
 */
function subjectGuards(schema: GraphQLSchema): Map<string, SubjectGuard> {
  const guards = new Map<string, SubjectGuard>();
  const person = schema.getType('Person');
  if (!isObjectType(person) || !person.getFields().protectionMarkers) return guards;
  guards.set('Person', PERSON_GUARD);
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type === person || !isObjectType(type) || roots.has(type) || type.name.startsWith('__')) continue;
    const personField: GraphQLField<unknown, unknown> | undefined = type.getFields().person;
    if (personField && personField.args.length === 0 && getNamedType(personField.type) === person) guards.set(type.name, VIA_PERSON_GUARD);
  }
  return guards;
}

/** A client operation with the guard's fields added. */
export interface GuardedOperation {
  document: DocumentNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /**
   * The walk's steps per selection, kept with the operation when they cannot depend on variables (no
   * @include/@skip takes one): later requests of the same document reuse them.
   */
  steps: StepCache | null;
}

type StepCache = Map<readonly SelectionSetNode[], Map<string, FieldStep[]>>;

/** What the caller may see: per protection kind, hidden categories and categories released on entitlement. */
export interface Visibility {
  hidden: HiddenCategories;
  entitled: HiddenCategories;
}

export interface MaskOutcome {
  errors: GraphQLError[];
  /** Released to an entitled caller: person id → field coordinates, and where they are in the response. */
  releases: Map<string, Set<string>>;
  releasedPaths: Array<{ path: (string | number)[]; coordinate: string }>;
}

export class ProtectionGuard {
  private readonly guards: Map<string, SubjectGuard>;
  /** Per object type, the fields its `categoryOf` marks name (fetched for the guard in every selection on it). */
  private readonly byFields = new Map<string, string[]>();
  private readonly bySelections = new Map<string, readonly SelectionNode[]>();
  /** One stable array per operation root, so cached steps are found by it. */
  private readonly roots = new WeakMap<SelectionSetNode, SelectionSetNode[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly protectedFields: ProtectedFields,
  ) {
    this.guards = subjectGuards(schema);
    for (const [coordinate, category] of protectedFields) {
      if (typeof category === 'string') continue;
      const typeName = coordinate.slice(0, coordinate.indexOf('.'));
      const list = this.byFields.get(typeName) ?? [];
      if (!list.includes(category.by)) list.push(category.by);
      this.byFields.set(typeName, list);
    }
    for (const [typeName, list] of this.byFields) this.bySelections.set(typeName, selectionsOf(list.map((f) => `${BY}${f}: ${f}`).join(' ')));
  }

  /**
   * The document with the markers of every subject selected; a reserved alias is refused. `releases`:
   * the caller is entitled to something (`Visibility.entitled` not empty), so each person's id is
   * fetched too, for the audit of what is released.
   */
  prepare(document: DocumentNode, releases = true): GuardedOperation {
    const typeInfo = new TypeInfo(this.schema);
    const guarded = visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          if (node.alias?.value.startsWith(RESERVED_PREFIX)) {
            throw userInputError(`Aliases starting with "${RESERVED_PREFIX}" are reserved.`, undefined, {}, { nodes: [node] });
          }
        },
        SelectionSet: {
          leave: (node) => {
            const type = typeInfo.getParentType();
            if (!type) return undefined;
            const added: SelectionNode[] = [];
            if (isAbstractType(type)) added.push(...selectionsOf(`${TYPENAME}: __typename`));
            const guard = this.guards.get(type.name);
            if (guard === VIA_PERSON_GUARD && selectsPlainPerson(node)) added.push(...VIA_CLIENT_PERSON_SELECTIONS);
            else if (guard) added.push(...guard.selections);
            if (guard === PERSON_GUARD && releases) added.push(...PERSON_ID_SELECTIONS);
            const by = this.bySelections.get(type.name);
            if (by) added.push(...by);
            return added.length ? { ...node, selections: [...node.selections, ...added] } : undefined;
          },
        },
      }),
    );
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of guarded.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    let conditional = false;
    visit(guarded, {
      Directive(node) {
        if ((node.name.value === 'include' || node.name.value === 'skip') && node.arguments?.some((a) => a.value.kind === Kind.VARIABLE)) conditional = true;
      },
    });
    return { document: guarded, fragments, steps: conditional ? null : new Map() };
  }

  /**
   * Masks `data` in place for a caller and removes the guard's fields. `rootType` is the operation's
   * root type; `selectionSet` the operation's.
   */
  mask(
    data: Record<string, unknown>,
    rootType: GraphQLObjectType,
    selectionSet: SelectionSetNode,
    operation: GuardedOperation,
    /** The operation's variables, coerced; asked for only when an @include/@skip names one. */
    variables: () => Record<string, unknown>,
    visibility: Visibility,
    /** Paths of the errors already in the response (`undefined`: an error without a path). */
    errorPaths: ReadonlyArray<ReadonlyArray<string | number> | undefined> = [],
  ): MaskOutcome {
    const outcome: MaskOutcome = { errors: [], releases: new Map(), releasedPaths: [] };
    const steps = operation.steps ?? new Map();
    const walker = new Walker(
      this.schema,
      this.protectedFields,
      this.guards,
      this.byFields,
      operation.fragments,
      steps,
      variables,
      visibility,
      outcome,
      errorPaths,
    );
    let root = this.roots.get(selectionSet);
    if (!root) this.roots.set(selectionSet, (root = [selectionSet]));
    walker.object(data, rootType, root, undefined, null);
    return outcome;
  }
}

/** A response path built as the walk descends, turned into an array only where one is needed. */
type Path = { prev: Path | undefined; key: string | number } | undefined;

function pathArray(path: Path): (string | number)[] {
  const steps: (string | number)[] = [];
  for (let p = path; p; p = p.prev) steps.push(p.key);
  return steps.reverse();
}

type Decision = 'visible' | 'hidden' | 'entitled';

/** What the walk does with one response key of an object of one type, worked out once per selection. */
interface FieldStep {
  key: string;
  /** One of the guard's own fields: removed from the response. */
  guardField: boolean;
  coordinate: string;
  /** The field's `@protected` category (or how its object names it), if it has one. */
  category: string | CategoryBy | undefined;
  /** The field's named type when it has fields of its own to walk into. */
  composite: GraphQLCompositeType | null;
  /** `composite` is an interface or union: each object names its type (worked out once, not per object). */
  abstract: boolean;
  /** The field's merged sub-selections; the same array for every object the step applies to. */
  childSets: SelectionSetNode[];
  /**
   * Whether the walk goes into the value: it can hold a guard field, a marked field or a subject. A
   * person's name or address (marked as a whole, nothing marked inside) is not walked: a family page
   * is 40 objects fewer.
   */
  walk: boolean;
}

class Walker {
  private coerced: Record<string, unknown> | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly protectedFields: ProtectedFields,
    private readonly guards: Map<string, SubjectGuard>,
    private readonly byFields: ReadonlyMap<string, readonly string[]>,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    /** Steps per selection sets and runtime type: every item of a list shares its parent's selection sets. */
    private readonly steps: StepCache,
    private readonly variables: () => Record<string, unknown>,
    private readonly visibility: Visibility,
    private readonly outcome: MaskOutcome,
    private readonly errorPaths: ReadonlyArray<ReadonlyArray<string | number> | undefined>,
  ) {}

  private failedAt(path: Path): boolean {
    const steps = pathArray(path);
    return this.errorPaths.some((p) => !p || steps.every((step, i) => i >= p.length || p[i] === step));
  }

  object(value: Record<string, unknown>, type: GraphQLObjectType, selectionSets: SelectionSetNode[], path: Path, inherited: Owner | null): void {
    const guard = this.guards.get(type.name);
    const owner = guard ? guard.owner(value, this.errorPaths.length > 0 && this.failedAt(path)) : inherited;
    // Read before the walk clears the guard's fields (their keys may come before the marked field's).
    const byNames = this.byFields.get(type.name);
    const byValues = byNames && new Map(byNames.map((f) => [f, value[`${BY}${f}`]]));
    for (const step of this.stepsFor(type, selectionSets)) {
      const { key } = step;
      if (step.guardField) {
        // Assigning undefined (left out of the JSON) keeps the object's shape; `delete` would not.
        if (key in value) value[key] = undefined;
        continue;
      }
      if (!(key in value)) continue;
      if (step.category) {
        const category = typeof step.category === 'string' ? step.category : categoryOf(step.category, byValues);
        const decision = category === null ? 'hidden' : this.decide(owner, category);
        if (decision === 'hidden') {
          value[key] = null;
          this.outcome.errors.push(withheld(step.coordinate, category, owner, pathArray({ prev: path, key })));
          continue;
        }
        if (decision === 'entitled' && value[key] !== null && owner !== null && owner !== 'unknown' && owner.personId !== null) {
          let released = this.outcome.releases.get(owner.personId);
          if (!released) this.outcome.releases.set(owner.personId, (released = new Set()));
          released.add(step.coordinate);
          this.outcome.releasedPaths.push({ path: pathArray({ prev: path, key }), coordinate: step.coordinate });
        }
      }
      if (step.walk) this.value(value[key], step, { prev: path, key }, owner);
    }
  }

  private value(value: unknown, step: FieldStep, path: Path, owner: Owner | null): void {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.value(value[i], step, { prev: path, key: i }, owner);
      return;
    }
    const record = value as Record<string, unknown>;
    if (!step.abstract) return this.object(record, step.composite as GraphQLObjectType, step.childSets, path, owner);
    const runtime = this.schema.getType(String(record[TYPENAME] ?? record.__typename));
    record[TYPENAME] = undefined;
    if (isObjectType(runtime)) this.object(record, runtime, step.childSets, path, owner);
  }

  private stepsFor(type: GraphQLObjectType, selectionSets: SelectionSetNode[]): FieldStep[] {
    let byType = this.steps.get(selectionSets);
    if (!byType) this.steps.set(selectionSets, (byType = new Map()));
    let steps = byType.get(type.name);
    if (steps) return steps;
    steps = [];
    const definitions = type.getFields();
    for (const [key, nodes] of this.collect(type, selectionSets)) {
      const fieldName = nodes[0]!.name.value;
      const definition = definitions[fieldName];
      const guardField = key.startsWith(RESERVED_PREFIX);
      if (!definition && !guardField) continue;
      const coordinate = `${type.name}.${fieldName}`;
      const named = definition && getNamedType(definition.type);
      const composite = named && isCompositeType(named) ? named : null;
      const childSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      steps.push({
        key,
        guardField,
        coordinate,
        category: this.protectedFields.get(coordinate),
        composite,
        abstract: composite !== null && isAbstractType(composite),
        childSets,
        walk: composite !== null && this.holdsAnything(composite, childSets),
      });
    }
    byType.set(type.name, steps);
    return steps;
  }

  /**
   * Whether a value of `type` selected by `selectionSets` can hold anything the walk acts on. An
   * abstract type always can (the guard's `__typename`, and any of its object types may be a subject).
   */
  private holdsAnything(type: GraphQLCompositeType, selectionSets: SelectionSetNode[]): boolean {
    if (!isObjectType(type) || this.guards.has(type.name) || this.byFields.has(type.name)) return true;
    return this.stepsFor(type, selectionSets).some((step) => step.guardField || step.category !== undefined || step.walk);
  }

  /** Field nodes per response key for an object of `type`, as the executor collects them. */
  private collect(
    type: GraphQLObjectType,
    selectionSets: SelectionSetNode[],
    into = new Map<string, FieldNode[]>(),
    seen = new Set<string>(),
  ): Map<string, FieldNode[]> {
    for (const set of selectionSets) {
      for (const selection of set.selections) {
        if (!this.included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const list = into.get(key);
          if (list) list.push(selection);
          else into.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(selection.typeCondition?.name.value, type)) this.collect(type, [selection.selectionSet], into, seen);
        } else {
          const name = selection.name.value;
          const fragment = this.fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          seen.add(name);
          if (this.applies(fragment.typeCondition.name.value, type)) this.collect(type, [fragment.selectionSet], into, seen);
        }
      }
    }
    return into;
  }

  private applies(condition: string | undefined, type: GraphQLObjectType): boolean {
    if (!condition || condition === type.name) return true;
    const conditionType = this.schema.getType(condition);
    return isAbstractType(conditionType) && this.schema.isSubType(conditionType, type);
  }

  private included(selection: SelectionNode): boolean {
    for (const directive of selection.directives ?? []) {
      const name = directive.name.value;
      if (name !== 'skip' && name !== 'include') continue;
      const arg = directive.arguments?.find((a) => a.name.value === 'if')?.value;
      const condition =
        arg?.kind === Kind.BOOLEAN ? arg.value : arg?.kind === Kind.VARIABLE ? Boolean((this.coerced ??= this.variables())[arg.name.value]) : false;
      if (name === 'skip' && condition) return false;
      if (name === 'include' && !condition) return false;
    }
    return true;
  }

  private decide(owner: Owner | null, category: string): Decision {
    if (owner === null || owner === 'unknown') return 'hidden';
    let decision: Decision = 'visible';
    for (const kind of owner.kinds) {
      const hidden = this.visibility.hidden[kind];
      if (hidden?.includes(category) || hidden?.includes(ALL_CATEGORIES)) return 'hidden';
      const entitled = this.visibility.entitled[kind];
      if (entitled?.includes(category) || entitled?.includes(ALL_CATEGORIES)) decision = 'entitled';
    }
    // A release is audited with the person's id: without it (not fetched, or not returned) nothing is released.
    return decision === 'entitled' && owner.personId === null ? 'hidden' : decision;
  }
}

/** The category a `categoryOf` mark gives for this object's value; null (withheld) when it is missing or unmarked. */
function categoryOf(mark: CategoryBy, values: ReadonlyMap<string, unknown> | undefined): string | null {
  const value = values?.get(mark.by);
  return typeof value === 'string' ? (mark.categories.get(value) ?? null) : null;
}

function withheld(coordinate: string, category: string | null, owner: Owner | null, path: (string | number)[]): GraphQLError {
  const reason =
    category === null
      ? 'its category could not be determined'
      : owner === null
        ? 'it belongs to no person whose protection is known'
        : owner === 'unknown'
          ? "the person's protection could not be determined"
          : `the person's protected identity (${owner.kinds.join(', ')}) hides ${category} from this caller`;
  return protectedIdentity(`${coordinate} is withheld: ${reason}.`, { category: category ?? ALL_CATEGORIES }, { path });
}

/** Sets each released path back to null (the audit log could not record the release). */
export function withholdReleases(data: Record<string, unknown>, outcome: MaskOutcome): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const withheldPaths = new Set<string>();
  const byDepth = [...outcome.releasedPaths].sort((a, b) => a.path.length - b.path.length);
  for (const { path, coordinate } of byDepth) {
    if (path.some((_, i) => withheldPaths.has(JSON.stringify(path.slice(0, i))))) continue;
    withheldPaths.add(JSON.stringify(path));
    let parent: unknown = data;
    for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | null)?.[step];
    if (parent && typeof parent === 'object') (parent as Record<string | number, unknown>)[path[path.length - 1]!] = null;
    errors.push(
      protectedIdentity(`${coordinate} is withheld: the release could not be audited, so it is not made.`, { reason: 'AUDIT_UNAVAILABLE' }, { path }),
    );
  }
  return errors;
}
