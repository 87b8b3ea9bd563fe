import type { ApolloServer } from '@apollo/server';
import { GraphQLError, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Caller } from '../../kernel/caller.js';
import type { GatewayContext } from '../engine.js';
import type { TimeBoundContext } from '../time-bounds.js';

/**
 * Runs one query through the gateway's pipeline (planning, masking, audit) as `caller`. `bounds` replaces
 * the request's time bounds (the head's long-poll outlasts a query's fetch bound).
 */
export type RunQuery = (
  query: string,
  variables: Record<string, unknown>,
  caller: Caller,
  operationName?: string,
  bounds?: TimeBoundContext,
) => Promise<FormattedExecutionResult>;

/** Every read of the websocket layer (batches, the tap, the head) as one Apollo Server operation. */
export function pipelineRunner(apollo: ApolloServer<GatewayContext>): RunQuery {
  return async (query, variables, caller, operationName, bounds) => {
    // Every run here was authorized at subscribe (or is the gateway's own read of the log).
    const response = await apollo.executeOperation({ query, variables, operationName }, { contextValue: { caller, preauthorized: true, ...bounds } });
    if (response.body.kind !== 'single') throw new Error('Incremental delivery is not used by the gateway');
    return response.body.singleResult as FormattedExecutionResult;
  };
}

/** graphql-ws serialises errors with `toJSON`, so formatted errors become GraphQLErrors again. */
export function toGraphQLError(error: GraphQLFormattedError, path: readonly (string | number)[] | undefined = error.path): GraphQLError {
  return new GraphQLError(error.message, { path, extensions: error.extensions });
}
