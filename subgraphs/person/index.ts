import { defineSubgraph, loadSchema } from '../shared/server.js';
import { createPersonLoaders } from './loaders.js';
import { personProtection, resolvers } from './resolvers.js';

/** person: identity, names, life and civil status, protection markers. */
export const personSubgraph = defineSubgraph({
  name: 'person',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: createPersonLoaders,
  // Its own markers: the second line behind the gateway's masking (shared/protected-fields.ts).
  protectionOwners: { Person: personProtection },
});
