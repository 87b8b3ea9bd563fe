/**
 * Reference data: municipality codes of both registers, the single source for the `municipalities`
 * table (migrations `0001_municipalities.sql` and `0016_municipalities_all.sql`; the latter is generated
 * from this list by `db/seed/municipalities-sql.ts`, and a test checks that the two agree). The lists
 * themselves, with their sources and dates, are in `municipality-codes.ts`.
 *
 * - Sweden: kommunkod, 4 digits; the first two are the länskod (county code). All 290 (SCB, 2025).
 * - Denmark: kommunekode since the 2007 reform, written with 3 digits (CPR KOMKOD carries it
 *   zero-padded to 4). The 3-digit form keeps the two code sets apart in one table: a Danish
 *   code padded to 4 digits could equal a Swedish one (DK 163 Herlev vs SE 0163 Sollentuna).
 *   County code = the region code 1081–1085. All 98.
 * - CPR's special codes (`kind: 'CPR_SPECIAL'`, no county): Greenland's kommuner. They read like any
 *   code (filters, search: an extract's events and addresses may carry them) but a Danish registered
 *   address is never in one (`moveAddress` refuses them).
 * - Pre-2007 Danish codes are not listed: the codes a 2007 kommune kept (101 København, 461 Odense …)
 *   read as that kommune, the others are unknown (README "Municipalities").
 */
import { CPR_SPECIAL_CODES, DANISH_MUNICIPALITIES, DANISH_REGIONS, SWEDISH_COUNTIES, SWEDISH_MUNICIPALITIES } from './municipality-codes.js';

export { DANISH_REGIONS, SWEDISH_COUNTIES } from './municipality-codes.js';

export type MunicipalityCountry = 'SE' | 'DK';

/** A municipality of the register, or one of CPR's codes that is not a municipality (Greenland). */
export type MunicipalityKind = 'MUNICIPALITY' | 'CPR_SPECIAL';

export interface Municipality {
  /** SE kommunkod (4 digits) or DK kommunekode (3 digits). */
  readonly code: string;
  readonly country: MunicipalityCountry;
  readonly name: string;
  /** SE länskod (2 digits) or DK region code (1081–1085); null for CPR's special codes. */
  readonly countyCode: string | null;
  /** SE län or DK region name; null for CPR's special codes. */
  readonly countyName: string | null;
  readonly kind: MunicipalityKind;
}

/** Every municipality and special code, Swedish first, each list in the order written there. */
export const MUNICIPALITIES: readonly Municipality[] = [
  ...SWEDISH_MUNICIPALITIES.map(([code, name]): Municipality => ({
    code,
    country: 'SE',
    name,
    countyCode: code.slice(0, 2),
    countyName: SWEDISH_COUNTIES[code.slice(0, 2)] ?? null,
    kind: 'MUNICIPALITY',
  })),
  ...DANISH_MUNICIPALITIES.map(([code, name, region]): Municipality => ({
    code,
    country: 'DK',
    name,
    countyCode: region,
    countyName: DANISH_REGIONS[region] ?? null,
    kind: 'MUNICIPALITY',
  })),
  ...CPR_SPECIAL_CODES.map(([code, name]): Municipality => ({ code, country: 'DK', name, countyCode: null, countyName: null, kind: 'CPR_SPECIAL' })),
];

const byCode = new Map(MUNICIPALITIES.map((m) => [m.code, m]));

/** The municipality with this code, if it is in the reference list. */
export function municipalityByCode(code: string): Municipality | undefined {
  return byCode.get(code);
}

/** The name of a county (SE län by länskod) or region (DK, 1081–1085) of `country`; null when there is none. */
export function countyName(country: string | null, countyCode: string | null): string | null {
  if (!countyCode) return null;
  const names = country === 'SE' ? SWEDISH_COUNTIES : country === 'DK' ? DANISH_REGIONS : null;
  return names?.[countyCode] ?? null;
}

/** Why a municipality code is refused: not 3 or 4 digits, or not a code of the register(s) asked. */
export type MunicipalityCodeFault = 'INVALID_MUNICIPALITY_CODE' | 'UNKNOWN_MUNICIPALITY';

/**
 * The one reading of a municipality code written by anyone — a move, a search, an event filter (pull, durable
 * subscription, websocket): SE kommunkod (4 digits), DK kommunekode (3 digits) or CPR's KOMKOD (the same
 * zero-padded to 4: `0101` is København, stored `101`). Answers the listed municipality, so the stored
 * form (what addresses, `persons.municipality_code` and change events hold) is `municipality.code`.
 * Without `country`, a 4-digit code that is a Swedish code is Swedish (`0163` Sollentuna, not Herlev's CPR
 * form `0163`: write Danish codes with 3 digits, or give the country); otherwise CPR's padded form is read.
 */
export function readMunicipalityCode(
  input: string,
  country?: MunicipalityCountry | null,
): { municipality: Municipality } | { fault: MunicipalityCodeFault; message: string } {
  const code = typeof input === 'string' ? input.trim() : '';
  if (!/^\d{3,4}$/.test(code)) {
    return { fault: 'INVALID_MUNICIPALITY_CODE', message: `Municipality code '${input}' must be 3 (DK) or 4 (SE, or CPR's zero-padded DK) digits.` };
  }
  const candidates = code.length === 3 ? [code] : code.startsWith('0') ? [code, code.slice(1)] : [code];
  for (const candidate of candidates) {
    const found = byCode.get(candidate);
    if (found && (!country || found.country === country)) return { municipality: found };
  }
  const where = country ? `${country} ` : '';
  return { fault: 'UNKNOWN_MUNICIPALITY', message: `'${code}' is not a known ${where}municipality code.` };
}
