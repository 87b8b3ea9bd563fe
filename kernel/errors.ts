import { GraphQLError } from 'graphql';

/** A client error the caller can fix; `reason` is a stable, machine-readable detail. */
export function userInputError(message: string, reason?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(reason ? { reason } : {}) } });
}
