import { defineSubgraph, loadSchema } from '../shared/server.js';
import { personItself } from '../shared/protected-fields.js';
import { createAddressLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** address: registered, postal and foreign addresses with history, for both countries. */
export const addressSubgraph = defineSubgraph({
  name: 'address',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: createAddressLoaders,
  // The second line behind the gateway's masking: the person's markers, read-only (shared/protected-fields.ts).
  protectionOwners: { Person: personItself },
});
