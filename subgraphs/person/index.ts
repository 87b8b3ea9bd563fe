import { defineSubgraph, loadSchema } from '../shared/server.js';
import { createPersonLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** person: identity, names, life and civil status, protection markers. */
export const personSubgraph = defineSubgraph({
  name: 'person',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: createPersonLoaders,
});
