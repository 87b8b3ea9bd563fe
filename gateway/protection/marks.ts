import { Kind, parse, type ConstValueNode } from 'graphql';
import { PROTECTION_CATEGORIES, type ProtectionCategory } from '../../subgraphs/shared/protection.js';

/** `Type.field` → the category its `@protected` mark names. */
export type ProtectedFields = ReadonlyMap<string, ProtectionCategory>;

/**
 * Reads the `@protected` marks from the supergraph SDL (@apollo/gateway strips applied directives from
 * its API schema, so the composed SDL is the only place they survive). Fails closed: a mark naming a
 * category the policy does not know, or on a non-nullable field (masking could not return null), stops
 * the gateway at start.
 */
export function readProtectedFields(supergraphSdl: string): ProtectedFields {
  const fields = new Map<string, ProtectionCategory>();
  const problems: string[] = [];
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const mark = field.directives?.find((d) => d.name.value === 'protected');
      if (!mark) continue;
      const coordinate = `${definition.name.value}.${field.name.value}`;
      const category = stringArgument(mark.arguments?.find((a) => a.name.value === 'category')?.value);
      if (!category || !(PROTECTION_CATEGORIES as readonly string[]).includes(category)) {
        problems.push(`${coordinate} is marked @protected with unknown category ${JSON.stringify(category)}`);
        continue;
      }
      if (field.type.kind === Kind.NON_NULL_TYPE) problems.push(`${coordinate} is marked @protected but is non-nullable`);
      fields.set(coordinate, category as ProtectionCategory);
    }
  }
  if (problems.length) throw new Error(`Refusing to start: the supergraph's protection marks are invalid:\n- ${problems.join('\n- ')}`);
  return fields;
}

function stringArgument(value: ConstValueNode | undefined): string | null {
  return value?.kind === Kind.STRING ? value.value : null;
}
