import type { GraphQLFormattedError } from 'graphql';

/**
 * graphql-js ends validation and variable-coercion messages with "Did you mean …?", naming fields,
 * arguments, enum values and input fields close to what was sent: with introspection off, that spells
 * the schema out to anyone who guesses. Apollo Server's `hideSchemaDetailsFromClientErrors` and
 * graphql-armor's block-field-suggestions clean validation errors only (not variable coercion, not the
 * websocket layer's own validation), so the gateway cleans every error it formats here.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** The message without its suggestions. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/** Apollo Server `formatError`: the formatted error with its message cleaned. */
export function hideSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return { ...formatted, message: withoutSuggestions(formatted.message) };
}
