import { defineSubgraph, loadSchema } from '../shared/server.js';
import { resolvers } from './resolvers.js';
import { createSubscriptionLoaders } from './store.js';

/** subscription: the change-event log (pull, durable CPR-style subscriptions; push builds on it). */
export const subscriptionSubgraph = defineSubgraph({
  name: 'subscription',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: createSubscriptionLoaders,
});
