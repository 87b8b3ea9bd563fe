import type { SubgraphContext } from '../shared/server.js';
import type { AddressLoaders, AddressRow } from './loaders.js';

// What this subgraph's GraphQL types resolve from: the `mappers` and `contextType` of its generated
// resolver types (schema/codegen.ts), apart from the resolvers so the generated file imports no resolver.

/** The context every resolver of the address subgraph gets. */
export type Ctx = SubgraphContext<AddressLoaders>;
/** A person as another subgraph references it. */
export interface PersonRef {
  id: string;
}
export type { AddressRow };
