import { defineSubgraph, loadSchema } from '../shared/server.js';
import { personItself } from '../shared/protected-fields.js';
import { createReserveIdLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** reserve-id: national and regional reserve identities and their links to persons. */
export const reserveIdSubgraph = defineSubgraph({
  name: 'reserve-id',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: createReserveIdLoaders,
  // The second line behind the gateway's masking: the person's markers, read-only (shared/protected-fields.ts).
  protectionOwners: { Person: personItself },
});
