import type { SubgraphContext } from '../shared/server.js';
import type { LinkRow, ReserveIdLoaders, ReserveIdentityRow } from './loaders.js';
import type { UnlinkedReserveIdentity } from './writes.js';

// What this subgraph's GraphQL types resolve from: the `mappers` and `contextType` of its generated
// resolver types (schema/codegen.ts), apart from the resolvers so the generated file imports no resolver.

/** The context every resolver of the reserve-id subgraph gets. */
export type Ctx = SubgraphContext<ReserveIdLoaders>;
/** A person as the person subgraph references it, with the identifier values this subgraph `@requires`. */
export interface PersonRef {
  id: string;
  identifierValues?: string[] | null;
}
/** A reserve identity row, with when it was linked where the resolver knew it (`Person.reserveIdentities`). */
export type ReserveIdentityModel = ReserveIdentityRow & { linkedAt?: Date | null };
/**
 * What a ReserveIdentity resolves from: its row (fields then resolve at once), a mutation's unlinked row
 * (with its former person), or a reference by id from another subgraph (fields then load the row).
 */
export type ReserveIdentityParent = { id: string } & Partial<ReserveIdentityModel> & Partial<Pick<UnlinkedReserveIdentity, 'unlinkedFrom'>>;
export type { LinkRow };
