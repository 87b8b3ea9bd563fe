import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './engine.js';

/** Codes that say a part of the system (not the request) failed: a retry later may succeed. */
const UNAVAILABLE = new Set(['DATABASE_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE']);
const TIMED_OUT = new Set(['SUBGRAPH_TIMEOUT']);

/** `Retry-After` of a request that failed because a database or subgraph is unavailable. @default 5 // seconds */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * A request that got no data at all because a database or subgraph was unavailable or too slow is not an
 * HTTP 200: 503 with `Retry-After` (unavailable) or 504 (timed out), so clients, proxies and retry
 * policies see an outage as one. Partial results (some fields answered) stay 200 with their errors.
 */
export const outageStatusPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const body = response.body;
        if (body.kind !== 'single') return;
        const { data, errors } = body.singleResult;
        if (!errors?.length || (data && Object.values(data).some((v) => v !== null))) return;
        const codes = errors.map((e) => String(e.extensions?.code));
        if (codes.every((c) => TIMED_OUT.has(c))) response.http.status = 504;
        else if (codes.every((c) => UNAVAILABLE.has(c) || TIMED_OUT.has(c))) {
          response.http.status = 503;
          response.http.headers.set('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
        }
      },
    };
  },
};
