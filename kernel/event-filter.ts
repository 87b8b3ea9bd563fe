import { CHANGE_EVENT_TYPES } from './events.js';
import { userInputError, type ErrorReason } from './errors.js';
import { IdentifierError, parseSingleIdentifier, type IdentifierCountry } from './identifiers.js';
import { readMunicipalityCode, type MunicipalityCodeFault } from './municipalities.js';
import type { ProtectionCategory } from './protection.js';

/**
 * Which change events a reader wants: the pull query's `filter:`, a durable subscription's stored filters
 * and the live stream all use this one vocabulary, so the SQL condition and the in-memory matcher agree.
 *
 * Semantics (positive filters, like CPR Abonnement): each group that is given restricts; an event matches
 * when, for EVERY given group, it matches ANY value of that group. Groups that are not given do not restrict.
 * - `types`: the event's type is one of them.
 * - `municipalityCodes`: the event's municipality before OR after the change is one of them (a move out of
 *   and a move into the municipality both count). Events without a municipality never match this group.
 * - `identifiers`: the event's person identifier (canonical form, as at the time of the event) is one of them.
 * - `ageRanges`: the person's age in whole years on the UTC date of the event's `occurredAt`, computed from
 *   the event's `birth_date`, lies in one of the inclusive ranges. Events without a birth date never match.
 * A filter with no group given (`{}`) matches every event.
 *
 * What a filter match may reveal is decided apart from these semantics, by `protectionCondition`: the
 * subgraph adds it to every read, so the pull, durable subscriptions and websockets (which read through
 * the pull) all follow it. `matchesFilter` leaves it out, so the gateway's tap, which uses it as a
 * pre-check, can only wake a feed for more events than the subgraph delivers, never for fewer.
 */
export interface EventFilter {
  types?: readonly string[];
  municipalityCodes?: readonly string[];
  identifiers?: readonly string[];
  ageRanges?: readonly AgeRange[];
}

/** Inclusive age range in whole years (CPR Abonnement AgeRange StartAge/EndAge). */
export interface AgeRange {
  minAge: number;
  maxAge: number;
}

/**
 * What a reader selects: an `EventFilter`, or `NOTHING` — a durable subscription that has no filters and is
 * not a catch-all receives no events (a catch-all is the filter `{}`).
 */
export type EventSelection = EventFilter | 'NOTHING';

/** The GraphQL input `ChangeEventFilter`. */
export interface ChangeEventFilterInput {
  types?: string[] | null;
  municipalityCodes?: string[] | null;
  personIdentifiers?: string[] | null;
  /** The register `personIdentifiers` are read in, as `person(identifier:, country:)` takes it. */
  identifierCountry?: IdentifierCountry | null;
  minAge?: number | null;
  maxAge?: number | null;
}

/** Ages are at most 3 digits (CPR Abonnement). */
export const MAX_AGE = 999;
/** Values one group of a pull filter (or one add/remove call) may name. @default 1_000 */
export const MAX_FILTER_VALUES = 1_000;

const MUNICIPALITY_CODE = /^[0-9]{3,4}$/;

/**
 * Why an identifier cannot be used as a filter, or its canonical form. `country` reads it in one register,
 * as `person(identifier:, country:)` does: a 10-digit number valid in both is otherwise AMBIGUOUS.
 */
export function canonicalIdentifier(input: string, country?: IdentifierCountry | null): { canonical: string } | { reason: ErrorReason; message: string } {
  try {
    return { canonical: parseSingleIdentifier(input, country ? { country } : {}).canonical };
  } catch (err) {
    if (err instanceof IdentifierError) return { reason: err.reason, message: err.message };
    throw err;
  }
}

/** Checks an age range; null when valid, else the message. */
export function ageRangeProblem(range: AgeRange): string | null {
  const { minAge, maxAge } = range;
  if (!Number.isInteger(minAge) || !Number.isInteger(maxAge) || minAge < 0 || maxAge > MAX_AGE) {
    return `Ages must be whole years from 0 to ${MAX_AGE}; got ${minAge}–${maxAge}.`;
  }
  if (minAge > maxAge) return `minAge (${minAge}) must not be greater than maxAge (${maxAge}).`;
  return null;
}

/**
 * A municipality code as filters store and match it (`readMunicipalityCode`: CPR's `0101` is `101`), or the
 * fault: INVALID_MUNICIPALITY_CODE (not 3–4 digits) or UNKNOWN_MUNICIPALITY — a filter on a code no event
 * carries would never match.
 */
export function filterMunicipalityCode(code: string): { code: string } | { reason: MunicipalityCodeFault; message: string } {
  const read = readMunicipalityCode(code);
  return 'fault' in read ? { reason: read.fault, message: read.message } : { code: read.municipality.code };
}

/** Whether `code` has a municipality code's shape (3 or 4 digits), known or not. */
export function municipalityCodeOk(code: string): boolean {
  return MUNICIPALITY_CODE.test(code);
}

/**
 * BAD_USER_INPUT unless a group of filter values holds 1 to `MAX_FILTER_VALUES` values: EMPTY_FILTER_GROUP
 * (`hint` follows the message), TOO_MANY_FILTER_VALUES.
 */
export function requireFilterValues<T>(values: T[], argument: string, hint = ''): T[] {
  if (values.length === 0) throw userInputError(`${argument} is empty${hint}.`, 'EMPTY_FILTER_GROUP');
  if (values.length > MAX_FILTER_VALUES)
    throw userInputError(`${argument} names ${values.length} values; at most ${MAX_FILTER_VALUES}.`, 'TOO_MANY_FILTER_VALUES');
  return values;
}

/**
 * Validates the GraphQL `ChangeEventFilter` and returns its `EventFilter`; throws BAD_USER_INPUT (with
 * `reason`) on the first fault. An empty list is refused rather than read as "match nothing" or "match all".
 * `minAge` alone means up to 999; `maxAge` alone means from 0.
 */
export function parseFilterInput(input: ChangeEventFilterInput | null | undefined, argument = 'filter'): EventFilter {
  if (!input) return {};
  const filter: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {};
  const list = (name: string, values: string[] | null | undefined): string[] | undefined =>
    values === null || values === undefined ? undefined : requireFilterValues(values, `${argument}.${name}`, '; leave it out to not filter on it');
  const types = list('types', input.types);
  if (types) {
    for (const t of types) if (!(t in CHANGE_EVENT_TYPES)) throw userInputError(`Unknown change event type '${t}'.`, 'UNKNOWN_EVENT_TYPE');
    filter.types = [...new Set(types)];
  }
  const codes = list('municipalityCodes', input.municipalityCodes);
  if (codes) {
    filter.municipalityCodes = [
      ...new Set(
        codes.map((c) => {
          const read = readMunicipalityCode(c);
          if ('fault' in read) throw userInputError(read.message, read.fault);
          return read.municipality.code;
        }),
      ),
    ];
  }
  const identifiers = list('personIdentifiers', input.personIdentifiers);
  if (identifiers) {
    filter.identifiers = [
      ...new Set(
        identifiers.map((i) => {
          const parsed = canonicalIdentifier(i, input.identifierCountry);
          if ('reason' in parsed) throw userInputError(parsed.message, parsed.reason);
          return parsed.canonical;
        }),
      ),
    ];
  }
  if (input.identifierCountry != null && !identifiers) {
    throw userInputError(`${argument}.identifierCountry says how to read personIdentifiers; give them too, or leave it out.`, 'COUNTRY_WITHOUT_IDENTIFIERS');
  }
  if (input.minAge != null || input.maxAge != null) {
    const range = { minAge: input.minAge ?? 0, maxAge: input.maxAge ?? MAX_AGE };
    const problem = ageRangeProblem(range);
    if (problem) throw userInputError(problem, 'INVALID_AGE_RANGE');
    filter.ageRanges = [range];
  }
  return filter;
}

/** Age in whole years on `on`'s UTC date of someone born on `birthDate` (YYYY-MM-DD); same rule as SQL `age()`. */
export function ageOn(birthDate: string, on: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const oy = on.getUTCFullYear();
  const om = on.getUTCMonth() + 1;
  const od = on.getUTCDate();
  return oy - y - (om < m || (om === m && od < d) ? 1 : 0);
}

/** What the matcher reads of a change event (a `change_events` row, or an event the gateway's tap saw). */
export interface MatchableRow {
  type: string;
  identifier: string | null;
  municipalityBefore: string | null;
  municipalityAfter: string | null;
  birthDate: string | null;
  occurredAt: Date;
}

/**
 * In-memory twin of `filterCondition` (the live stream uses it). Takes the parsed selection: run the GraphQL
 * input through `parseFilterInput` once (it validates and canonicalises identifiers), then match each event.
 */
export function matchesFilter(row: MatchableRow, selection: EventSelection): boolean {
  if (selection === 'NOTHING') return false;
  const { types, municipalityCodes, identifiers, ageRanges } = selection;
  if (types && !types.includes(row.type)) return false;
  if (municipalityCodes) {
    const hit = [row.municipalityBefore, row.municipalityAfter].some((c) => c != null && municipalityCodes.includes(c));
    if (!hit) return false;
  }
  if (identifiers && (row.identifier == null || !identifiers.includes(row.identifier))) return false;
  if (ageRanges) {
    if (row.birthDate == null) return false;
    const age = ageOn(row.birthDate, row.occurredAt);
    if (!ageRanges.some((r) => age >= r.minAge && age <= r.maxAge)) return false;
  }
  return true;
}

/**
 * The category of a person's data each filter group tests: a match on it tells the reader that value, like
 * a search on it does (subgraphs/person/search.ts).
 */
export const GROUP_CATEGORIES: { readonly [G in Exclude<keyof EventFilter, 'types'>]-?: ProtectionCategory } = {
  municipalityCodes: 'ADDRESS',
  ageRanges: 'BIRTH_DATE',
  identifiers: 'IDENTITY',
};
