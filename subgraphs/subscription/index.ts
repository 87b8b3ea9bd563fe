import { defineSubgraph, loadSchema } from '../shared/server.js';
import { resolvers } from './resolvers.js';
import { createSubscriptionLoaders } from './store.js';
import { DETAILS_TYPENAMES, type TypedDetails } from './details.js';

/** subscription: the change-event log (pull, durable CPR-style subscriptions; push builds on it). */
export const subscriptionSubgraph = defineSubgraph({
  name: 'subscription',
  typeDefs: loadSchema(import.meta.url),
  resolvers,
  createLoaders: createSubscriptionLoaders,
  // The second line behind the gateway's masking: an event's own marked fields, and those of its
  // `details`, by its person's markers, read-only (shared/protected-fields.ts).
  protectionOwners: {
    ChangeEvent: (e: { personId: string | null }, ctx) => (e.personId ? ctx.protection.load(e.personId) : []),
    ...Object.fromEntries(
      DETAILS_TYPENAMES.map((name) => [
        name,
        (d: TypedDetails, ctx: { protection: { load(id: string): Promise<readonly string[]> } }) => (d.ownerId ? ctx.protection.load(d.ownerId) : []),
      ]),
    ),
  },
});
