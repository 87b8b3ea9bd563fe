import type { auditEvents } from '../../db/schema/index.js';
import type { SubgraphContext } from '../shared/server.js';
import type { ContactRow, PersonLoaders, PersonRow } from './loaders.js';

// What this subgraph's GraphQL types resolve from: the `mappers` and `contextType` of its generated
// resolver types (schema/codegen.ts), apart from the resolvers so the generated file imports no resolver.

/** The context every resolver of the person subgraph gets. */
export type Ctx = SubgraphContext<PersonLoaders>;
/** What a Person resolves from: its full row where the resolver had it (fields then resolve at once), else its id. */
export type PersonRef = { id: string } | PersonRow;
export type { ContactRow };
/** A reserve identity as the reserve-id subgraph references it, with the field this subgraph `@requires`. */
export interface ReserveIdentityRef {
  id: string;
  mainPersonIdentifier?: string | null;
}
/** An audit record with its time as text and its person as a reference. */
export type AuditEventModel = Omit<typeof auditEvents.$inferSelect, 'at'> & { at: string; person: PersonRef };
/** A search page: its edges and page info, and the count of the whole search, made only when `totalCount` is asked. */
export interface PersonConnectionModel {
  edges: { cursor: string; node: PersonRef }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}
