import { readFileSync } from 'node:fs';
import { composeServices as composeWithGuild } from '@theguild/federation-composition';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  isScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaPath, composeSupergraph, supergraphPath } from '../../schema/compose.js';
import { loadSchema } from '../../subgraphs/shared/server.js';
import { SUBGRAPH_NAMES } from '../../kernel/subgraph-names.js';

describe('schema/', () => {
  const composed = composeSupergraph();

  it('supergraph.graphql is what the subgraph SDLs compose to (run `npm run compose`)', () => {
    expect(readFileSync(supergraphPath, 'utf8')).toBe(composed.supergraphSdl);
  });

  it('api.graphql is the API schema of that supergraph (run `npm run compose`)', () => {
    expect(readFileSync(apiSchemaPath, 'utf8')).toBe(composed.apiSdl);
  });

  it('api.graphql shows partners which fields can be masked', () => {
    expect(composed.apiSdl).toContain('directive @protected(');
    expect(composed.apiSdl).toMatch(/address: Address @protected\(category: "ADDRESS"\)/);
  });

  it('every public type, field, argument and enum value has a description', () => {
    const api = buildSchema(composed.apiSdl);
    const missing: string[] = [];
    const need = (coordinate: string, description: string | null | undefined) => {
      if (!description?.trim()) missing.push(coordinate);
    };
    for (const type of Object.values(api.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      need(type.name, type.description);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          need(`${type.name}.${field.name}`, field.description);
          for (const arg of 'args' in field ? field.args : []) need(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) need(`${type.name}.${value.name}`, value.description);
      if (isUnionType(type) || isScalarType(type)) continue;
    }
    for (const directive of api.getDirectives().filter((d) => d.name === 'protected')) {
      need('@protected', directive.description);
      for (const arg of directive.args) need(`@protected(${arg.name}:)`, arg.description);
    }
    expect(missing, 'add a description to each').toEqual([]);
  });

  it('the subgraphs also compose with an independent composer (@theguild/federation-composition)', () => {
    const result = composeWithGuild(
      SUBGRAPH_NAMES.map((name) => ({
        name,
        url: `http://${name}.invalid/graphql`,
        typeDefs: loadSchema(new URL(`../../subgraphs/${name}/index.ts`, import.meta.url)),
      })),
    );
    expect(result.errors?.map((e) => e.message) ?? []).toEqual([]);
    const guildApi = buildSchema(result.publicSdl!);
    const ours = buildSchema(composed.apiSdl);
    // Both composers agree on the public surface: the same types with the same fields.
    const surface = (schema: typeof ours) =>
      Object.values(schema.getTypeMap())
        .filter((t) => !isIntrospectionType(t) && (isObjectType(t) || isInputObjectType(t)))
        .map(
          (t) =>
            `${t.name}{${Object.keys((t as { getFields(): object }).getFields())
              .sort()
              .join(',')}}`,
        )
        .sort();
    expect(surface(guildApi)).toEqual(surface(ours));
  });
});
