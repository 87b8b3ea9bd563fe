import type { ApolloServerPlugin } from '@apollo/server';
import { currentCounters } from '../../db/metrics.js';

/**
 * Cost counters across process boundaries: the gateway asks a subgraph for them with this header
 * (only when its own client asked), and the subgraph answers with its SQL-statement count for that
 * request in `extensions[COUNTERS_EXTENSION]`. The gateway removes that extension before answering.
 */
export const COUNTERS_HEADER = 'folkreg-counters';
export const COUNTERS_EXTENSION = 'folkregCounters';

/** What a subgraph reports about one request. */
export interface SubgraphCounters {
  sqlStatements: number;
}

/** Subgraph plugin: reports the statements this request ran, when the gateway asked. */
export function reportCountersPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      if (request.http?.headers.get(COUNTERS_HEADER) !== '1') return;
      return {
        async willSendResponse({ response }) {
          const counters = currentCounters();
          if (!counters || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const report: SubgraphCounters = { sqlStatements: counters.sqlStatements };
          result.extensions = { ...result.extensions, [COUNTERS_EXTENSION]: report };
        },
      };
    },
  };
}
