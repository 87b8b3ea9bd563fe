import { defineSubgraph, loadSchema } from '../shared/server.js';
import { resolvers } from './resolvers.js';
import { createSubscriptionLoaders } from './store.js';

/** subscription: the change-event log (pull, durable CPR-style subscriptions; push builds on it). */
export const subscriptionSubgraph = defineSubgraph({
  name: 'subscription',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: createSubscriptionLoaders,
  // The second line behind the gateway's masking: an event's own marked fields by its person's markers,
  // read-only (shared/protected-fields.ts). Its `details` types have no owner here yet.
  protectionOwners: { ChangeEvent: (e: { personId: string | null }, ctx) => (e.personId ? ctx.protection.load(e.personId) : []) },
});
