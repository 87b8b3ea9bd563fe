import type { ChangeEventRow, EventPosition } from '../../db/outbox.js';
import type { SubgraphContext } from '../shared/server.js';
import type { SubscriptionLoaders, SubscriptionRow } from './store.js';
import type { TypedDetails } from './details.js';

// What this subgraph's GraphQL types resolve from: the `mappers` and `contextType` of its generated
// resolver types (schema/codegen.ts), apart from the resolvers so the generated file imports no resolver.

/** The context every resolver of the subscription subgraph gets. */
export type Ctx = SubgraphContext<SubscriptionLoaders>;
/** A person as another subgraph references it. */
export interface PersonRef {
  id: string;
}
/** A change event: its row and its cursor. */
export type ChangeEventModel = ChangeEventRow & { cursor?: string };
export type { SubscriptionRow, TypedDetails };
/** A page of change events, and the position it ends at (what `behindHead` counts after). */
export interface ChangeEventPage {
  edges: { cursor: string; node: ChangeEventModel }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  endPosition: EventPosition | null;
}
export type { WebhookRow, WebhookLeaseModel } from './webhooks.js';
