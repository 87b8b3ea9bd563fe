import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { SUBGRAPH_NAMES, loadSchema } from '../subgraphs/shared/server.js';

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
  const api = result.schema.toAPISchema().toGraphQLJSSchema();
  return { supergraphSdl: result.supergraphSdl + '\n', apiSdl: printSchema(lexicographicSortSchema(api)) + '\n' };
}

export const supergraphPath = new URL('./supergraph.graphql', import.meta.url);
export const apiSchemaPath = new URL('./api.graphql', import.meta.url);

/** The checked-in supergraph, as the gateway loads it. */
export function readSupergraph(): string {
  return readFileSync(supergraphPath, 'utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { supergraphSdl, apiSdl } = composeSupergraph();
  writeFileSync(supergraphPath, supergraphSdl);
  writeFileSync(apiSchemaPath, apiSdl);
  console.log('Wrote schema/supergraph.graphql and schema/api.graphql');
}
