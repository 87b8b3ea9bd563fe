import { readFileSync } from 'node:fs';

/**
 * The checked-in schema files, apart from the composition that writes them (`compose.ts`): the gateway
 * reads the supergraph at start and must not load the composition tools with it — one of them
 * (@graphql-tools/utils) is a development dependency, absent from the production image (deploy/Dockerfile).
 */

/** `schema/supergraph.graphql`: what the gateway executes. */
export const supergraphPath = new URL('./supergraph.graphql', import.meta.url);

/** `schema/api.graphql`: the client-facing contract. */
export const apiSchemaPath = new URL('./api.graphql', import.meta.url);

/** The checked-in supergraph, as the gateway loads it. */
export function readSupergraph(): string {
  return readFileSync(supergraphPath, 'utf8');
}
