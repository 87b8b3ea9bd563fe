/**
 * The error vocabulary of the whole API: every `extensions.code` and every `extensions.reason` a client
 * can receive, each with its meaning, and the constructors that build errors from them. The constructors
 * accept catalogue members only (by type), so a new code or reason starts here; the catalogue is also
 * published in the contract as `enum ErrorCode` / `enum ErrorReason` (`ERROR_VOCABULARY_SDL`, appended to
 * every subgraph's SDL), so partners can switch on them and `npm run schema:check` guards them.
 */
import { GraphQLError, type ASTNode } from 'graphql';
import { CPR_PROBLEM_REASONS } from './cpr/problems.js';

/** Every `extensions.code`, with its meaning (the SDL description of `ErrorCode`'s value). */
export const ERROR_CODES = {
  BAD_USER_INPUT: 'An argument the caller can fix is invalid; `extensions.reason` says which fault.',
  BAD_REQUEST: 'The HTTP request is malformed (body not JSON, no query, an unsupported operation over this transport).',
  GRAPHQL_PARSE_FAILED: 'The document is not valid GraphQL syntax.',
  GRAPHQL_VALIDATION_FAILED: 'The document does not validate against the schema.',
  OPERATION_RESOLUTION_FAILURE: 'The operation to run cannot be determined (an unknown `operationName`, or several operations and none named).',
  PERSISTED_QUERY_NOT_FOUND: 'The persisted-query hash or trusted-document id is not known; send the full document (or register it).',
  PERSISTED_QUERY_HASH_MISMATCH: '`extensions.persistedQuery.sha256Hash` is not the SHA-256 of the query sent with it.',
  DOCUMENT_NOT_REGISTERED: 'This deployment runs trusted documents only, and the document sent is not one of them.',
  BATCHING_NOT_SUPPORTED: 'Several operations were sent in one request; send one operation per request.',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the server reads (HTTP 413).',
  METHOD_NOT_ALLOWED: 'The HTTP method is not served on this path (HTTP 405).',
  UNAUTHENTICATED:
    'No valid credentials: the access token (or, at a subgraph, the gateway token) is missing, invalid or expired; `extensions.reason` says which at a subgraph.',
  FORBIDDEN:
    'The caller is authenticated but not allowed: a missing scope (reason `MISSING_SCOPE`, `extensions.requiredScopes`), or data the policy keeps from them.',
  PROTECTED_IDENTITY: "A person's protected identity hides this data from the caller: the field is null, or the write was not made.",
  NOT_FOUND: 'The thing named does not exist (or is not the caller’s); also an unknown HTTP path.',
  CONFLICT:
    'The write contradicts the current state (already recorded, already ended, changed since read, numbers exhausted); `extensions.reason` says which where there are several.',
  DOCUMENT_TOO_LARGE: 'Operation limit: the document has more bytes than allowed (`extensions.limit`, `measured`, `allowed`).',
  TOO_MANY_TOKENS: 'Operation limit: the document has more lexical tokens than allowed.',
  DEPTH_LIMIT_EXCEEDED: 'Operation limit: fields nest deeper than allowed.',
  ALIAS_LIMIT_EXCEEDED: 'Operation limit: more aliases than allowed.',
  ROOT_FIELD_LIMIT_EXCEEDED: 'Operation limit: more root fields than allowed.',
  DIRECTIVE_LIMIT_EXCEEDED: 'Operation limit: more directives than allowed.',
  COST_LIMIT_EXCEEDED: 'Operation limit: the estimated cost is over the limit; ask for fewer items.',
  RATE_LIMITED: "Over the client's cost budget for the current window (HTTP 429, `Retry-After`).",
  TOO_MANY_SUBSCRIPTIONS: 'A websocket already carries as many subscriptions as allowed.',
  OVERLOADED: 'The gateway sheds load (HTTP 503, `Retry-After`); retry later.',
  SUBGRAPH_UNAVAILABLE: 'A service behind the gateway is down; the fields it provides are null.',
  SUBGRAPH_TIMEOUT: 'A service behind the gateway did not answer in time (`extensions.reason` says whose bound); its fields are null.',
  SUBGRAPH_REQUEST_TOO_LARGE: "A service refused the gateway's request as too large; ask for fewer entities at once.",
  DATABASE_UNAVAILABLE: "A service's database did not answer; retry shortly.",
  INTERNAL_SERVER_ERROR: 'A fault of the server; the message says no more than that.',
} as const satisfies Record<string, string>;

/** An `extensions.code` of the catalogue. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every `extensions.reason` (and `reason` of an `INVALID` batch item or filter change), with its meaning. */
export const ERROR_REASONS = {
  // Identifiers (kernel/identifiers.ts).
  EMPTY: 'The identifier is empty.',
  LENGTH: 'The identifier has a number of digits no identifier form has.',
  CHARACTERS: 'The identifier holds characters no identifier form allows.',
  SEPARATOR: "The identifier's separator is misplaced, or is not the one its age calls for (`-` or `+`).",
  IMPOSSIBLE_DATE:
    'A date that does not exist: the birth date of an identifier, or a date argument that is not a real calendar date YYYY-MM-DD (or a birth date in the future).',
  CHECK_DIGIT: "The identifier's check digit does not match.",
  UNKNOWN_FORMAT: 'The identifier fits no form this register reads.',
  AMBIGUOUS: 'The identifier reads as numbers of more than one country (or of two persons); send the 12-digit personnummer, or pass the country.',
  PREFIX_TOO_SHORT: 'A search prefix shorter than the birth date.',
  PARTIAL_COORDINATION_NUMBER: 'A search prefix that ends inside the day of a samordningsnummer.',
  RESERVE_IDENTITY: "A reserve identity where a person's number is expected; look it up with `reserveIdentity`.",
  NOT_A_RESERVE_ID: 'An identifier that is not a reserve ID where one is expected.',
  NOT_A_LOCAL_RESERVE_ID: "An identifier that is not a known region's local reserve ID where one is expected.",
  COUNTRY_WITHOUT_IDENTIFIERS: 'A country to read identifiers in, without identifiers to read.',
  // Ids, cursors, sizes.
  INVALID_ID: 'An id argument that is not an id this API issued (e.g. `Person.id`, `FamilyRelation.id`).',
  INVALID_CURSOR: 'A cursor this API did not issue (or tampered with).',
  FOREIGN_CURSOR: "A cursor of another connection; use one from this connection's `pageInfo`.",
  PAGE_SIZE: '`first` is outside the range the field allows.',
  BATCH_TOO_LARGE: 'More items in one call than allowed; split the batch.',
  WAIT_SECONDS: '`waitSeconds` is outside the range allowed.',
  // Dates and ranges.
  DATE_OUT_OF_RANGE: 'A real date the argument does not accept: in the future, before the current state began, or outside the years served.',
  EMPTY_RANGE: 'A range whose start is after its end.',
  INVALID_AGE_RANGE: 'An age range that is negative, reversed or open at both ends.',
  // Search.
  NO_CRITERION: 'A search with no criterion.',
  NAME_TOO_SHORT: 'A name search with fewer letters than needed.',
  // Addresses and municipalities.
  INVALID_MUNICIPALITY_CODE: 'A municipality code that is malformed, missing where the address needs one, or given where it has none.',
  UNKNOWN_MUNICIPALITY: 'A well-formed municipality code that names no municipality of the country.',
  COUNTRY: 'A country that is not an ISO 3166-1 alpha-2 code.',
  POSTAL_CODE: 'A registered address without a postal code.',
  DELIVERY_LINES: 'A foreign address with no or too many delivery lines.',
  LIFE_STATUS: "The person's life status (deceased, annulled, replaced) allows no such change.",
  // Life events (the register's own writes).
  EVENT_BEFORE_BIRTH: "A life event dated before the person's birth date.",
  EVENT_AFTER_DEATH: "A life event dated after the person's death (or a change to a deceased person's record).",
  ALREADY_DEAD: 'A death registered for a person who is already registered as deceased (CONFLICT).',
  NOT_DEAD: 'An annulment of a death for a person who is not registered as deceased (CONFLICT).',
  ALREADY_DISAPPEARED: 'A disappearance registered for a person who is already registered as disappeared (CONFLICT).',
  NOT_DISAPPEARED: 'A reappearance registered for a person who is not registered as disappeared (CONFLICT).',
  NAME_REQUIRED: 'A name with neither given names nor a family name.',
  CIVIL_STATUS: 'A civil status no change leads to (UNMARRIED), or one another write records (DECEASED: registerDeath).',
  ALREADY_MARRIED: 'A marriage or partnership for a person who is married or partnered already (CONFLICT).',
  SPOUSE_MARRIED: 'A marriage or partnership with a partner who is married or partnered to someone else (CONFLICT).',
  NOT_MARRIED: 'Ending (divorce, widowhood) a marriage or partnership the person is not in (CONFLICT).',
  ALREADY_ANNULLED: 'Annulling the number of a record that is annulled already (CONFLICT).',
  PROTECTION_KIND: "A protection kind of the other register's (SE kinds for Swedish persons, DK kinds for Danish ones).",
  OVERLAPPING_MARKER: 'A protection marker whose period overlaps one of the same kind the person has (CONFLICT).',
  NO_MARKER: 'Ending a protection marker of a kind the person has none of in force on that day (CONFLICT).',
  // Contact details.
  PHONE: 'A phone number that is not digits with an optional leading `+`.',
  EMAIL: 'A value that is not an e-mail address.',
  LANGUAGE: 'A language that is not an ISO 639-1 code.',
  VERSION: 'A version that is not one that could have been read.',
  // Family.
  RELATIVE: 'The relative is given inconsistently (by id and by name, by neither, a name where a registered person is needed, or the person themself).',
  // Reserve identities.
  NO_CHANGE: 'A change that changes nothing.',
  LINK_TO_SELF: 'A link from an identity to itself.',
  LINK_DOWNWARDS: 'A link that goes down the identifier levels (local → national reserve ID → samordningsnummer → personnummer).',
  LINK_CYCLE: 'A link that would close a cycle of links.',
  NOT_LINKED: 'Ending a link of an identity that has none.',
  EXHAUSTED: 'Every number of this kind has been issued (CONFLICT).',
  DUPLICATE: 'The identifier is already registered (CONFLICT).',
  LINKED_PERSON_PROTECTED: "The linked person's protected identity hides this identity's data from the caller (PROTECTED_IDENTITY).",
  // Change-event filters and subscriptions.
  EMPTY_FILTER_GROUP: 'An empty list of filter values; leave the group out instead.',
  TOO_MANY_FILTER_VALUES: 'More values in one filter group (or call) than allowed.',
  UNKNOWN_EVENT_TYPE: 'A change event type that does not exist.',
  CATCH_ALL_WITH_FILTERS: 'A catch-all subscription given filters too.',
  NAME_TOO_LONG: 'A name longer than allowed.',
  // Webhooks.
  WEBHOOK_ENDPOINT: 'A webhook endpoint that is not an absolute http(s) URL without credentials or fragment, or is too long.',
  NO_WEBHOOK: 'The durable subscription has no webhook (NOT_FOUND).',
  // Delivery: base extracts and notification files (README "Delivery").
  UNKNOWN_CRITERION: 'An extract criterion that does not exist (`extensions.criterion` names it).',
  EXTRACT_FORMAT: 'An extract format other than ndjson, csv or cpr (cpr needs the criterion country DK).',
  UNKNOWN_LIFE_STATUS: 'A life status that does not exist, or an empty list of them.',
  CRON_EXPRESSION: 'A schedule that is not a cron expression, or a time zone that is not an IANA zone name.',
  NOT_READY: 'The extract has no output to fetch yet, or never will (cancelled, failed): its status says which (CONFLICT).',
  // Access.
  MISSING_SCOPE: 'The access token lacks a scope the operation needs (FORBIDDEN; `extensions.requiredScopes`).',
  GATEWAY_TOKEN_MISSING: 'A subgraph was called without a gateway token: only the gateway may call it.',
  GATEWAY_TOKEN_INVALID: "The gateway token's signature or form is invalid.",
  GATEWAY_TOKEN_EXPIRED: 'The gateway token has expired.',
  GATEWAY_TOKEN_WRONG_SUBGRAPH: 'The gateway token was issued for another subgraph.',
  GATEWAY_TOKEN_WRONG_ROUTE: 'The gateway token was issued for another route of the subgraph.',
  GATEWAY_TOKEN_WRONG_REQUEST: 'The gateway token was issued for another request body.',
  GATEWAY_TOKEN_REPLAYED: 'The gateway token was already used.',
  // Protection.
  AUDIT_UNAVAILABLE: 'Protected data the caller may see is withheld because its release could not be audited (PROTECTED_IDENTITY).',
  // Capacity and time.
  EVENT_LOOP_DELAY: 'The gateway sheds load because its event loop lags (OVERLOADED).',
  REQUEST_DEADLINE: "The request's deadline ran out while a subgraph was answering (SUBGRAPH_TIMEOUT).",
  SUBGRAPH_TIMEOUT: 'A subgraph did not answer within its own time limit (SUBGRAPH_TIMEOUT).',
  TIMEOUT: 'The database did not answer in time (DATABASE_UNAVAILABLE).',
  UNREACHABLE: 'The database could not be reached (DATABASE_UNAVAILABLE).',
  // Ingest reports (README "Keeping the register current"): the `reason` of a refused person or file, or of
  // a notice. The CPR reader's and writer's own reasons (kernel/cpr/problems.ts) are part of this one
  // vocabulary, so a report line and an error never name one fault twice.
  ...CPR_PROBLEM_REASONS,
  UNKNOWN_FIELD: 'A field that does not exist: of a request body, or of a CPR record type (the message names it).',
  BAD_PNR: 'Ingest: a record whose PNR is not a valid CPR number.',
  NO_PERSON_RECORD: "Ingest: a person's records without their 001 record.",
  UNKNOWN_STATUS: 'Ingest: a 001 status code the register does not have.',
  UNKNOWN_PROTECTION_KIND: 'Ingest: a 004 protection type folkreg does not know.',
  UNKNOWN_CIVIL_STATUS: 'Ingest: a 012 civil-status code folkreg does not know.',
  IDENTIFIER_TAKEN: "Ingest: the person's number belongs to another person in the register.",
  CONSTRAINT: "Ingest: the database refused the person's data (a constraint; the message gives the SQLSTATE).",
  CHAIN_BROKEN: "Ingest: the file's previous production date is not the last one read for its task (refused unless forced).",
  OUT_OF_ORDER: 'Ingest: the file is older than the last one read for its task (refused unless forced).',
  EVENT_CODE_UNKNOWN: 'Ingest notice: a 099 event code folkreg has no event type for; not logged.',
  COUNTRY_CODE_UNKNOWN: 'Ingest notice: a CPR country code folkreg cannot map; that part not applied.',
} as const satisfies Record<string, string>;

/** An `extensions.reason` of the catalogue. */
export type ErrorReason = keyof typeof ERROR_REASONS;

/** Extensions beside `code`: an optional catalogue `reason`, and details particular to the error. */
export type ErrorExtensions = { reason?: ErrorReason } & Record<string, unknown>;

/** Where in the response or document an error points (GraphQLError's own options). */
export interface ErrorPlace {
  path?: readonly (string | number)[];
  nodes?: ASTNode | readonly ASTNode[];
}

/** The one place an API error is built: `code` and the extensions after it (an undefined `reason` is left out). */
export function apiError(code: ErrorCode, message: string, extensions: ErrorExtensions = {}, place: ErrorPlace = {}): GraphQLError {
  const { reason, ...rest } = extensions;
  return new GraphQLError(message, { ...place, extensions: { code, ...(reason ? { reason } : {}), ...rest } });
}

/** BAD_USER_INPUT: a client error the caller can fix; `reason` is the stable, machine-readable fault. */
export function userInputError(message: string, reason?: ErrorReason, extensions: Record<string, unknown> = {}, place?: ErrorPlace): GraphQLError {
  return apiError('BAD_USER_INPUT', message, { reason, ...extensions }, place);
}

/** FORBIDDEN: authenticated, but not allowed (see `missingScope` for a missing scope). */
export function forbidden(message: string, extensions: ErrorExtensions = {}): GraphQLError {
  return apiError('FORBIDDEN', message, extensions);
}

/** FORBIDDEN with reason MISSING_SCOPE; `requiredScopes` as the gateway reports them (alternatives of scope sets). */
export function missingScope(message: string, requiredScopes: unknown): GraphQLError {
  return apiError('FORBIDDEN', message, { reason: 'MISSING_SCOPE', requiredScopes });
}

/** NOT_FOUND: the thing named does not exist. */
export function notFound(message: string): GraphQLError {
  return apiError('NOT_FOUND', message);
}

/** CONFLICT: the write contradicts the current state. */
export function conflict(message: string, extensions: ErrorExtensions = {}): GraphQLError {
  return apiError('CONFLICT', message, extensions);
}

/** PROTECTED_IDENTITY: a person's protection hides the data from the caller (or refuses the write). */
export function protectedIdentity(message: string, extensions: ErrorExtensions = {}, place?: ErrorPlace): GraphQLError {
  return apiError('PROTECTED_IDENTITY', message, extensions, place);
}

/** The error with the HTTP status (and headers) Apollo Server answers it with: read from `extensions.http`. */
export function withHttpStatus(error: GraphQLError, status: number, headers?: Map<string, string>): GraphQLError {
  (error.extensions as Record<string, unknown>).http = headers ? { status, headers } : { status };
  return error;
}

/** GraphQL SDL of one enum from a catalogue, a description per value. */
function enumSdl(name: string, description: string, values: Record<string, string>): string {
  const quoted = (text: string) => JSON.stringify(text);
  const body = Object.entries(values).map(([value, doc]) => `  ${quoted(doc)}\n  ${value}`);
  return `${quoted(description)}\nenum ${name} {\n${body.join('\n')}\n}\n`;
}

/**
 * The catalogue as SDL, appended to every subgraph's schema (`loadSchema`): identical definitions in
 * several subgraphs compose, and composition keeps these enums in `schema/api.graphql` though no field
 * returns them (test/unit/errors.test.ts holds it to that), so partners generate them with their types.
 */
export const ERROR_VOCABULARY_SDL = [
  enumSdl('ErrorCode', 'Every `extensions.code` an error of this API carries.', ERROR_CODES),
  enumSdl(
    'ErrorReason',
    'Every `extensions.reason` an error of this API carries (and the `reason` of an `INVALID` item). Switch on it, not on the message.',
    ERROR_REASONS,
  ),
].join('\n');
