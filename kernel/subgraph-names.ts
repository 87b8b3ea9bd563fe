/** The five subgraphs by name: the gateway knows them by name and URL only. */

export const SUBGRAPH_NAMES = ['person', 'family', 'address', 'reserve-id', 'subscription'] as const;

export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
