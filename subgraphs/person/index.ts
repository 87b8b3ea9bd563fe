import { defineSubgraph, loadSchema } from '../shared/server.js';
import { createPersonLoaders } from './loaders.js';
import { ingestCprRoute, ingestNdjsonRoute } from './ingest-route.js';
import { INGEST_CPR_PATH, INGEST_NDJSON_PATH } from '../../kernel/ingest-route.js';
import { personProtection, resolvers } from './resolvers.js';

/** person: identity, names, life and civil status, protection markers. */
export const personSubgraph = defineSubgraph({
  name: 'person',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: createPersonLoaders,
  // Its own markers: the second line behind the gateway's masking (shared/protected-fields.ts).
  protectionOwners: { Person: personProtection },
  // The CPR change-extract ingest and the NDJSON import, forwarded by the gateway (README "Keeping the register current").
  routes: { [INGEST_CPR_PATH]: ingestCprRoute, [INGEST_NDJSON_PATH]: ingestNdjsonRoute },
});
