/**
 * Argument checks every subgraph makes, each refusing with one catalogue reason (kernel/errors.ts): ids,
 * dates, page sizes, identifiers and scopes. A check returns the value it accepted, normalised.
 */
import { missingScope, userInputError } from './errors.js';
import { IdentifierError, parseIdentifier, type IdentifierCountry, type ParsedIdentifier } from './identifiers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (the form of `Person.id` and of subscription ids) — before it reaches SQL as one. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** BAD_USER_INPUT (INVALID_ID) unless `value` is a person id (a UUID); lower-cased. */
export function requirePersonId(value: string, argument: string): string {
  return requireId(value, argument, 'Person');
}

/**
 * An id folkreg gave out (`<type>.id`, a UUID), lower-cased; BAD_USER_INPUT with reason INVALID_ID when
 * `value` cannot be one. One answer for a malformed id everywhere: it is the caller's mistake, not a
 * missing thing (NOT_FOUND is for a well-formed id nobody, or nobody the caller may see, has).
 */
export function requireId(value: string, argument: string, type: string): string {
  if (!isUuid(value)) throw userInputError(`Argument '${argument}' must be a ${type}.id; got '${value}'.`, 'INVALID_ID');
  return value.toLowerCase();
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar date `YYYY-MM-DD` (not `2023-02-30`). */
export function isIsoDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return ISO_DATE.test(value) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** BAD_USER_INPUT (IMPOSSIBLE_DATE) unless `value` is a real calendar date `YYYY-MM-DD`. */
export function requireDate(value: string, argument: string): string {
  if (!isIsoDate(value)) throw userInputError(`Argument '${argument}' must be a calendar date YYYY-MM-DD; got '${value}'.`, 'IMPOSSIBLE_DATE');
  return value;
}

/** BAD_USER_INPUT (PAGE_SIZE) unless `first` is an integer from 1 to `max`. */
export function requirePageSize(first: number, max: number, argument = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw userInputError(`Argument '${argument}' must be between 1 and ${max}; got ${first}.`, 'PAGE_SIZE');
  return first;
}

/** The readings of a caller-supplied identifier (`parseIdentifier`), or BAD_USER_INPUT with the parser's reason. */
export function parseOrReject(input: string, country?: IdentifierCountry | null): ParsedIdentifier[] {
  try {
    return parseIdentifier(input, { country: country ?? undefined });
  } catch (err) {
    if (err instanceof IdentifierError) throw userInputError(err.message, err.reason);
    throw err;
  }
}

/** FORBIDDEN (MISSING_SCOPE, `requiredScopes: [[scope]]`) unless `scopes` hold `scope`. */
export function requireScope(scopes: readonly string[], scope: string, message = `This operation needs the scope '${scope}' in your access token.`): void {
  if (!scopes.includes(scope)) throw missingScope(message, [[scope]]);
}
