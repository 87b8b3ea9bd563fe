/**
 * The criteria of a base extract (grunduttag / statusudtræk), checked before the job is queued: every
 * fault is BAD_USER_INPUT with a catalogue reason, and nothing is written. The extract walks
 * `searchPersons` with the search part of them, so a person the search leaves out for the owner (their
 * protection hides a searched attribute) is left out of the extract too.
 */
import type { GraphQLError } from 'graphql';
import { userInputError } from '../../kernel/errors.js';
import { readMunicipalityCode } from '../../kernel/municipalities.js';
import { registerDate } from '../../kernel/register-date.js';
import { isIsoDate } from '../../kernel/validate.js';

/** The formats an extract is written in. */
export const EXTRACT_FORMATS = ['ndjson', 'csv', 'cpr'] as const;
export type ExtractFormat = (typeof EXTRACT_FORMATS)[number];

/** Life statuses (`LifeStatus` of the contract). */
const LIFE_STATUSES = ['ACTIVE', 'DECEASED', 'EMIGRATED', 'DISAPPEARED', 'ANNULLED', 'REPLACED'];

/** The criteria an extract accepts (the keys of `criteria` in `POST /extracts`). */
export const CRITERIA = ['municipalityCode', 'minAge', 'maxAge', 'birthDateFrom', 'birthDateTo', 'lifeStatus', 'country'] as const;

/** Checked criteria, in the form the job keeps and walks. */
export interface ExtractCriteria {
  municipalityCode?: string;
  minAge?: number;
  maxAge?: number;
  birthDateFrom?: string;
  birthDateTo?: string;
  lifeStatus?: string[];
  country?: 'SE' | 'DK';
}

/** The request of `POST /extracts`, checked. */
export interface ExtractRequest {
  criteria: ExtractCriteria;
  format: ExtractFormat;
}

/** Reads `POST /extracts`'s body, or throws BAD_USER_INPUT naming the first fault. */
export function readExtractRequest(body: unknown): ExtractRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw userInputError('The body must be a JSON object: { "criteria": { … }, "format": "ndjson" }.', 'UNKNOWN_FIELD');
  const { criteria, format = 'ndjson', ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw userInputError(`Unknown field '${extra}'; the body has 'criteria' and 'format'.`, 'UNKNOWN_FIELD', { field: extra });
  if (typeof format !== 'string' || !(EXTRACT_FORMATS as readonly string[]).includes(format))
    throw userInputError(`'format' must be one of ${EXTRACT_FORMATS.join(', ')}; got ${JSON.stringify(format)}.`, 'EXTRACT_FORMAT');
  const checked = readCriteria(criteria ?? {});
  if (format === 'cpr' && checked.country !== 'DK')
    throw userInputError("The CPR record layout holds Danish persons only: give 'country': 'DK' with 'format': 'cpr'.", 'EXTRACT_FORMAT');
  return { criteria: checked, format: format as ExtractFormat };
}

function readCriteria(input: unknown): ExtractCriteria {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw userInputError("'criteria' must be a JSON object.", 'UNKNOWN_CRITERION');
  const out: ExtractCriteria = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (!(CRITERIA as readonly string[]).includes(key))
      throw userInputError(`Unknown criterion '${key}'; an extract takes ${CRITERIA.join(', ')}.`, 'UNKNOWN_CRITERION', { criterion: key });
    if (value === null || value === undefined) continue;
    switch (key) {
      case 'country':
        if (value !== 'SE' && value !== 'DK') throw userInputError(`'country' must be SE or DK; got ${JSON.stringify(value)}.`, 'COUNTRY');
        out.country = value;
        break;
      case 'minAge':
      case 'maxAge':
        if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 999)
          throw userInputError(`'${key}' must be a whole number of years, 0 to 999; got ${JSON.stringify(value)}.`, 'INVALID_AGE_RANGE');
        out[key] = value as number;
        break;
      case 'birthDateFrom':
      case 'birthDateTo':
        if (typeof value !== 'string' || !isIsoDate(value))
          throw userInputError(`'${key}' must be a calendar date YYYY-MM-DD; got ${JSON.stringify(value)}.`, 'IMPOSSIBLE_DATE');
        out[key] = value;
        break;
      case 'lifeStatus':
        if (!Array.isArray(value) || value.length === 0 || value.some((s) => !LIFE_STATUSES.includes(s as string)))
          throw userInputError(`'lifeStatus' must be a non-empty list of ${LIFE_STATUSES.join(', ')}; got ${JSON.stringify(value)}.`, 'UNKNOWN_LIFE_STATUS');
        out.lifeStatus = [...new Set(value as string[])].sort();
        break;
      case 'municipalityCode':
        out.municipalityCode = value as string;
        break;
    }
  }
  if (out.municipalityCode !== undefined) {
    const read = readMunicipalityCode(String(out.municipalityCode), out.country);
    if ('fault' in read) throw userInputError(`'municipalityCode': ${read.message}`, read.fault);
    out.municipalityCode = read.municipality.code;
  }
  if (out.minAge !== undefined && out.maxAge !== undefined && out.minAge > out.maxAge)
    throw userInputError(`'minAge' ${out.minAge} is above 'maxAge' ${out.maxAge}.`, 'INVALID_AGE_RANGE');
  if (out.birthDateFrom && out.birthDateTo && out.birthDateFrom > out.birthDateTo)
    throw userInputError(`'birthDateFrom' ${out.birthDateFrom} is after 'birthDateTo' ${out.birthDateTo}.`, 'EMPTY_RANGE');
  if (out.municipalityCode === undefined && out.minAge === undefined && out.maxAge === undefined && !out.birthDateFrom && !out.birthDateTo)
    throw userInputError(
      'Give municipalityCode, an age range (minAge/maxAge) or a birth-date range (birthDateFrom/birthDateTo): the extract walks the search by one of them.',
      'NO_CRITERION',
    );
  return out;
}

/** `searchPersons`' filter for the criteria, ages read as birth dates on `today` (the register's date when the job was made). */
export function searchFilter(c: ExtractCriteria, today: string): Record<string, unknown> {
  let from = c.birthDateFrom ?? null;
  let to = c.birthDateTo ?? null;
  // Aged at least minAge today: born on or before today minAge years ago.
  if (c.minAge !== undefined) to = min(to, shiftYears(today, -c.minAge));
  // Aged at most maxAge today: born after today maxAge + 1 years ago.
  if (c.maxAge !== undefined) from = max(from, addDays(shiftYears(today, -(c.maxAge + 1)), 1));
  return {
    ...(c.municipalityCode !== undefined ? { municipalityCode: c.municipalityCode } : {}),
    ...(from ? { birthDateFrom: from } : {}),
    ...(to ? { birthDateTo: to } : {}),
    ...(c.country ? { country: c.country } : {}),
  };
}

/** An age range that meets the birth-date range nowhere is refused like a reversed range. */
export function requireNonEmpty(filter: Record<string, unknown>): GraphQLError | null {
  const { birthDateFrom: from, birthDateTo: to } = filter as { birthDateFrom?: string; birthDateTo?: string };
  return from && to && from > to ? userInputError('The age range and the birth-date range have no day in common.', 'EMPTY_RANGE') : null;
}

/** Today in the register's time zone (ages are counted on it). */
export function extractDay(now = new Date()): string {
  return registerDate(now);
}

function shiftYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  // 29 February in a year without one is 28 February (the day before 1 March).
  const date = new Date(Date.UTC(y + years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const min = (a: string | null, b: string) => (a === null || b < a ? b : a);
const max = (a: string | null, b: string) => (a === null || b > a ? b : a);
