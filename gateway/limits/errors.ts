import type { GraphQLError } from 'graphql';
import { apiError, withHttpStatus, type ErrorCode } from '../../kernel/errors.js';
import type { OperationLimits } from './options.js';

/** The stable code of each refusal, naming the limit. */
export const LIMIT_CODES = {
  maxDocumentBytes: 'DOCUMENT_TOO_LARGE',
  maxTokens: 'TOO_MANY_TOKENS',
  maxDepth: 'DEPTH_LIMIT_EXCEEDED',
  maxAliases: 'ALIAS_LIMIT_EXCEEDED',
  maxRootFields: 'ROOT_FIELD_LIMIT_EXCEEDED',
  maxDirectives: 'DIRECTIVE_LIMIT_EXCEEDED',
  maxCost: 'COST_LIMIT_EXCEEDED',
} as const satisfies Record<keyof OperationLimits, ErrorCode>;

/** Over the client's cost budget (HTTP 429). */
export const RATE_LIMITED = 'RATE_LIMITED' satisfies ErrorCode;

const WHAT: Record<keyof OperationLimits, string> = {
  maxDocumentBytes: 'The document is {m} bytes; at most {a} are accepted.',
  maxTokens: 'The document has {m} tokens; at most {a} are accepted.',
  maxDepth: 'The operation nests fields {m} deep; at most {a} are accepted.',
  maxAliases: 'The operation has {m} aliases; at most {a} are accepted.',
  maxRootFields: 'The operation selects {m} root fields; at most {a} are accepted.',
  maxDirectives: 'The operation applies {m} directives; at most {a} are accepted.',
  maxCost:
    'The operation is estimated to cost {m}; at most {a} are accepted. Ask for fewer items (`first:`) or nest fewer lists; send `folkreg-cost: 1` to see what each costs.',
};

/**
 * A limit refusal: `extensions` carry `code` (one per limit), `limit` (its configuration name),
 * `measured` and `allowed`. HTTP 400 — these are request errors the client fixes by sending less.
 */
export function limitError(limit: keyof OperationLimits, measured: number, allowed: number): GraphQLError {
  const message = WHAT[limit].replace('{m}', String(measured)).replace('{a}', String(allowed));
  return withHttpStatus(apiError(LIMIT_CODES[limit], message, { limit, measured, allowed }), 400);
}

/** A request error Apollo would otherwise answer with a 500 or without a code, e.g. an unknown `operationName`. */
export function requestError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return withHttpStatus(apiError(code, message, extra), 400);
}
