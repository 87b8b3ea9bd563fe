import { Kind, parse, type ConstDirectiveNode, type ConstValueNode, type TypeNode } from 'graphql';
import { PROTECTION_CATEGORIES, type ProtectionCategory } from './protection.js';

/**
 * A field whose category depends on its object: the value of the sibling enum field `by` (always
 * fetched by the guard) names it, through the `@protected` mark of that enum value.
 */
export interface CategoryBy {
  by: string;
  categories: ReadonlyMap<string, ProtectionCategory>;
}

/** `Type.field` → the category its `@protected` mark names, or how its object's `categoryOf` field names it. */
export type ProtectedFields = ReadonlyMap<string, ProtectionCategory | CategoryBy>;

/**
 * Reads the `@protected` marks from the supergraph SDL (@apollo/gateway strips applied directives from
 * its API schema, so the composed SDL is the only place they survive). Fails closed: a mark naming a
 * category the policy does not know, on a non-nullable field (masking could not return null), or a
 * `categoryOf` that does not name a sibling enum field every value of which is marked, stops the gateway
 * at start.
 */
export function readProtectedFields(supergraphSdl: string): ProtectedFields {
  const fields = new Map<string, ProtectionCategory | CategoryBy>();
  const problems: string[] = [];
  const document = parse(supergraphSdl);
  const known = (category: string | null): category is ProtectionCategory => !!category && (PROTECTION_CATEGORIES as readonly string[]).includes(category);
  const mark = (directives: readonly ConstDirectiveNode[] | undefined) => directives?.find((d) => d.name.value === 'protected');
  const argument = (directive: ConstDirectiveNode, name: string) => stringArgument(directive.arguments?.find((a) => a.name.value === name)?.value);

  /** Enum name → value → category, for every value that is marked. */
  const enums = new Map<string, { values: string[]; marked: Map<string, ProtectionCategory> }>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION && definition.kind !== Kind.ENUM_TYPE_EXTENSION) continue;
    const entry = enums.get(definition.name.value) ?? { values: [] as string[], marked: new Map<string, ProtectionCategory>() };
    enums.set(definition.name.value, entry);
    for (const value of definition.values ?? []) {
      entry.values.push(value.name.value);
      const directive = mark(value.directives);
      if (!directive) continue;
      const category = argument(directive, 'category');
      if (known(category)) entry.marked.set(value.name.value, category);
      else problems.push(`${definition.name.value}.${value.name.value} is marked @protected with unknown category ${JSON.stringify(category)}`);
    }
  }

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const siblings = new Map((definition.fields ?? []).map((f) => [f.name.value, f.type]));
    for (const field of definition.fields ?? []) {
      const directive = mark(field.directives);
      if (!directive) continue;
      const coordinate = `${definition.name.value}.${field.name.value}`;
      if (field.type.kind === Kind.NON_NULL_TYPE) problems.push(`${coordinate} is marked @protected but is non-nullable`);
      const category = argument(directive, 'category');
      const categoryOf = argument(directive, 'categoryOf');
      if (categoryOf !== null) {
        const by = categoryBy(coordinate, categoryOf, siblings.get(categoryOf), enums, problems);
        if (category !== null) problems.push(`${coordinate} is marked @protected with both category and categoryOf`);
        else if (by) fields.set(coordinate, by);
        continue;
      }
      if (!known(category)) {
        problems.push(`${coordinate} is marked @protected with unknown category ${JSON.stringify(category)}`);
        continue;
      }
      fields.set(coordinate, category);
    }
  }
  if (problems.length) throw new Error(`Refusing to start: the supergraph's protection marks are invalid:\n- ${problems.join('\n- ')}`);
  return fields;
}

function categoryBy(
  coordinate: string,
  by: string,
  type: TypeNode | undefined,
  enums: ReadonlyMap<string, { values: string[]; marked: Map<string, ProtectionCategory> }>,
  problems: string[],
): CategoryBy | null {
  let named = type;
  while (named && named.kind !== Kind.NAMED_TYPE) named = named.type;
  const entry = named ? enums.get(named.name.value) : undefined;
  if (!entry) {
    problems.push(`${coordinate} takes its category from '${by}', which is not a field of enum type beside it`);
    return null;
  }
  const unmarked = entry.values.filter((v) => !entry.marked.has(v));
  if (unmarked.length) {
    problems.push(
      `${coordinate} takes its category from '${by}', but these values of ${named!.kind === Kind.NAMED_TYPE ? named!.name.value : ''} have no @protected category: ${unmarked.join(', ')}`,
    );
    return null;
  }
  return { by, categories: entry.marked };
}

function stringArgument(value: ConstValueNode | undefined): string | null {
  return value?.kind === Kind.STRING ? value.value : null;
}
