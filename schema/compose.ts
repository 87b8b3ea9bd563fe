import { writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { MapperKind, mapSchema, printSchemaWithDirectives } from '@graphql-tools/utils';
import {
  DirectiveLocation,
  GraphQLDirective,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  getNamedType,
  lexicographicSortSchema,
} from 'graphql';
import { readScopeDeclarations, type ScopeDeclarations } from '../gateway/authorization.js';
import { readProtectedFields } from '../kernel/protection-marks.js';
import { loadSchema } from '../subgraphs/shared/server.js';
import { SUBGRAPH_NAMES } from '../kernel/subgraph-names.js';
import { apiSchemaPath, readSupergraph, supergraphPath } from './supergraph.js';

/**
 * Composes the five subgraph SDLs into the supergraph the gateway executes and the API schema partners
 * generate clients from. The URLs in the supergraph are placeholders: the gateway routes by subgraph
 * name to the URLs of its configuration.
 */
export function composeSupergraph(): { supergraphSdl: string; apiSdl: string } {
  const services = SUBGRAPH_NAMES.map((name) => ({
    name,
    url: `http://${name}.subgraph.folkreg.invalid/graphql`,
    typeDefs: loadSchema(new URL(`../subgraphs/${name}/index.ts`, import.meta.url)),
  }));
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  const api = withScopeDeclarations(
    withProtectionMarks(result.schema.toAPISchema().toGraphQLJSSchema(), readProtectedFields(result.supergraphSdl)),
    readScopeDeclarations(result.supergraphSdl),
  );
  return { supergraphSdl: result.supergraphSdl + '\n', apiSdl: printSchemaWithDirectives(lexicographicSortSchema(api)) + '\n' };
}

/**
 * The API schema keeps no applied directives, but partners must see which fields can be masked:
 * put the `@protected` marks (and the directive's definition) back into the published contract.
 */
function withProtectionMarks(api: GraphQLSchema, marks: ReturnType<typeof readProtectedFields>): GraphQLSchema {
  // Enum values a `categoryOf` mark reads: the contract shows their categories too.
  const enumMarks = new Map<string, string>();
  for (const [coordinate, category] of marks) {
    if (typeof category === 'string') continue;
    const typeName = coordinate.slice(0, coordinate.indexOf('.'));
    const field = (api.getType(typeName) as GraphQLObjectType | undefined)?.getFields()[category.by];
    const enumName = field ? getNamedType(field.type).name : null;
    for (const [value, c] of category.categories) enumMarks.set(`${enumName}.${value}`, c);
  }
  const marked = mapSchema(api, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const category = marks.get(`${typeName}.${fieldName}`);
      if (!category) return field;
      const mark = typeof category === 'string' ? { category } : { categoryOf: category.by };
      return { ...field, astNode: undefined, extensions: { ...field.extensions, directives: { protected: [mark] } } };
    },
    [MapperKind.ENUM_VALUE]: (value, typeName, _schema, externalValue) => {
      const category = enumMarks.get(`${typeName}.${externalValue}`);
      return category ? { ...value, astNode: undefined, extensions: { ...value.extensions, directives: { protected: [{ category }] } } } : value;
    },
  });
  const protectedDirective = new GraphQLDirective({
    name: 'protected',
    description:
      "Personal data that the gateway withholds (returns as `null` with an error whose `extensions.code` is `PROTECTED_IDENTITY`) when the protection of the person it belongs to hides `category` from the caller. See the README's policy table.",
    locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.ENUM_VALUE],
    args: {
      category: {
        type: GraphQLString,
        description:
          'What the field reveals (on an enum value: what a field that names this value in `categoryOf` reveals): IDENTITY, NAME, BIRTH_DATE, SEX, LIFE_STATUS, CIVIL_STATUS, CITIZENSHIP, ADDRESS, CONTACT, FAMILY or RESERVE_IDENTITY.',
      },
      categoryOf: {
        type: GraphQLString,
        description:
          "Instead of `category`: the sibling field of enum type whose value's `@protected` category applies (e.g. `ChangeEvent.occurredAt` takes its event type's).",
      },
    },
  });
  return new GraphQLSchema({ ...marked.toConfig(), directives: [...marked.getDirectives(), protectedDirective] });
}

/**
 * Likewise the `@requiresScopes` declarations (Apollo Federation's authorization directive): partners see
 * which scopes each root field, and each type of another domain, needs. The definition is printed as
 * federation defines it, so tools that know the directive read it as theirs.
 */
function withScopeDeclarations(api: GraphQLSchema, declarations: ScopeDeclarations): GraphQLSchema {
  const directive = (extensions: unknown, scopes: readonly (readonly string[])[]) => {
    const own = (extensions ?? {}) as { directives?: Record<string, unknown[]> };
    return { ...own, directives: { ...own.directives, requiresScopes: [{ scopes }] } };
  };
  const marked = mapSchema(api, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const scopes = declarations.fields.get(`${typeName}.${fieldName}`);
      return scopes ? { ...field, astNode: undefined, extensions: directive(field.extensions, scopes) } : field;
    },
    [MapperKind.OBJECT_TYPE]: (type) => {
      const scopes = declarations.types.get(type.name);
      return scopes ? new GraphQLObjectType({ ...type.toConfig(), astNode: undefined, extensions: directive(type.extensions, scopes) }) : type;
    },
  });
  const scope = new GraphQLScalarType({
    name: 'federation__Scope',
    description: 'A scope a caller\'s token must hold: `domain:action`, for example `person:read`. See the README, "Authentication".',
  });
  const requiresScopes = new GraphQLDirective({
    name: 'requiresScopes',
    description:
      "The scopes a caller's token must hold to select this field, or any field returning this type: one of the inner lists, all of its scopes. Without them the whole operation is refused before it runs, with `extensions.code` `FORBIDDEN` (reason `MISSING_SCOPE`) and `extensions.requiredScopes` naming what is missing. Apollo Federation's authorization directive (federation v2.5).",
    locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.SCALAR, DirectiveLocation.ENUM],
    args: {
      scopes: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(scope))))),
        description: 'Alternatives, each a list of scopes held together: `[["a"], ["b", "c"]]` is met by `a`, or by `b` and `c`.',
      },
    },
  });
  const config = marked.toConfig();
  return new GraphQLSchema({ ...config, types: [...config.types, scope], directives: [...marked.getDirectives(), requiresScopes] });
}

export { apiSchemaPath, readSupergraph, supergraphPath };

if (import.meta.url === `file://${process.argv[1]}`) {
  const { supergraphSdl, apiSdl } = composeSupergraph();
  writeFileSync(supergraphPath, supergraphSdl);
  writeFileSync(apiSchemaPath, apiSdl);
  console.log('Wrote schema/supergraph.graphql and schema/api.graphql');
}
