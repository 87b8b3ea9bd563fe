import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { newCounters, type CostCounters } from '../kernel/cost-counters.js';
import { COUNTERS_EXTENSION, COUNTERS_HEADER, type SubgraphCounters } from '../kernel/cost-counters.js';

/**
 * Per-request cost counters for clients that ask (`folkreg-counters: 1`): the subgraph fetches the
 * gateway made for the request and the SQL statements those subgraphs ran, returned in the
 * response's `extensions.counters`. Used by the pagination-efficiency test and the benchmark.
 */
export { COUNTERS_HEADER };

/** The part of the gateway context this module owns. */
export interface CountersContext {
  counters?: CostCounters;
}

/** Fresh counters when the client asked for them, else undefined (nothing is counted or sent). */
export function requestedCounters(headers: IncomingHttpHeaders): CostCounters | undefined {
  return headers[COUNTERS_HEADER] === '1' ? newCounters() : undefined;
}

/** Before a subgraph fetch: count it and ask the subgraph for its own figures. */
export function countSubgraphRequest(context: CountersContext | undefined, headers: Record<string, string>): void {
  if (!context?.counters) return;
  context.counters.subgraphFetches++;
  headers[COUNTERS_HEADER] = '1';
}

/** After a subgraph fetch: add its figures and drop them from the response, so they never reach a client. */
export function collectSubgraphCounters(context: CountersContext | undefined, response: { extensions?: Record<string, unknown> }): void {
  const reported = response.extensions?.[COUNTERS_EXTENSION] as SubgraphCounters | undefined;
  if (response.extensions) delete response.extensions[COUNTERS_EXTENSION];
  if (context?.counters && typeof reported?.sqlStatements === 'number') context.counters.sqlStatements += reported.sqlStatements;
}

/** Gateway plugin: puts the request's counters into `extensions.counters` when the client asked. */
export function countersPlugin<C extends CountersContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const counters = contextValue.counters;
          if (!counters || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, counters: { subgraphFetches: counters.subgraphFetches, sqlStatements: counters.sqlStatements } };
        },
      };
    },
  };
}
