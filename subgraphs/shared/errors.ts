import { GraphQLError } from 'graphql';

/** A client error the caller can fix; `reason` is a stable, machine-readable detail. */
export function userInputError(message: string, reason?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(reason ? { reason } : {}) } });
}

/** The caller lacks the scope an operation needs. */
export function forbiddenError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Refuses unless the caller holds `scope`. */
export function requireScope(scopes: readonly string[], scope: string, what: string): void {
  if (!scopes.includes(scope)) throw forbiddenError(`${what} needs the scope '${scope}'.`);
}
