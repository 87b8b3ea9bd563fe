import { addressSubgraph } from './address/index.js';
import { familySubgraph } from './family/index.js';
import { personSubgraph } from './person/index.js';
import { reserveIdSubgraph } from './reserve-id/index.js';
import type { SubgraphDefinition } from './shared/server.js';
import type { SubgraphName } from '../kernel/subgraph-names.js';
import { subscriptionSubgraph } from './subscription/index.js';

/** Every subgraph, by name. The composition script and the launchers read this list. */
// Each definition has its own loaders type; the launchers treat them alike.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const subgraphs: Record<SubgraphName, SubgraphDefinition<any>> = {
  person: personSubgraph,
  family: familySubgraph,
  address: addressSubgraph,
  'reserve-id': reserveIdSubgraph,
  subscription: subscriptionSubgraph,
};
