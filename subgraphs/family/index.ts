import { defineSubgraph, loadSchema } from '../shared/server.js';
import { personItself } from '../shared/protected-fields.js';
import { createFamilyLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

/** family: parents, children, spouses, partners, custody and guardianship, paged 20 at a time. */
export const familySubgraph = defineSubgraph({
  name: 'family',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: createFamilyLoaders,
  // The second line behind the gateway's masking: the person's markers, read-only (shared/protected-fields.ts).
  protectionOwners: { Person: personItself },
});
