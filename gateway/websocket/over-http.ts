/** The one part of subscriptions that is HTTP: saying they are not served there. */
import type { ApolloServerPlugin } from '@apollo/server';
import { apiError, withHttpStatus } from '../../kernel/errors.js';
import type { GatewayContext } from '../engine.js';

/**
 * @apollo/gateway answers a subscription sent over HTTP with a 500 ("not supported"); this says where
 * subscriptions are served instead, with a 400.
 */
export const refuseSubscriptionsOverHttp: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw withHttpStatus(
          apiError('BAD_REQUEST', 'Subscriptions are served over websocket (graphql-ws protocol) on this same /graphql path, not over HTTP.'),
          400,
        );
      },
    };
  },
};
