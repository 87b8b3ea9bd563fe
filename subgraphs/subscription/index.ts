import { defineSubgraph, loadSchema } from '../shared/server.js';
import { resolvers } from './resolvers.js';

/** subscription: the change-event log (pull now; durable subscriptions and push build on it). */
export const subscriptionSubgraph = defineSubgraph({
  name: 'subscription',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: () => ({}),
});
