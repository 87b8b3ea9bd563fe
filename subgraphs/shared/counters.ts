import { COUNTERS_EXTENSION, COUNTERS_HEADER, type SubgraphCounters } from '../../kernel/cost-counters.js';
import type { ApolloServerPlugin } from '@apollo/server';
import { currentCounters } from '../../kernel/cost-counters.js';

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
