/**
 * Person identifiers of the Nordic population registers: parsing, validation, canonical forms and builders.
 *
 * One module for every subgraph, so that "the same number" means the same string everywhere (the canonical form
 * is what `person_identifiers.value` and `reserve_identities.value` store). Formats and sources are in
 * /work/shared/reference/domain.md §1. No dependencies beyond the language; all date maths is in UTC.
 */

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

/** Every identifier kind this module knows, in the order `parseIdentifier` reports interpretations. */
export const IDENTIFIER_KINDS = ['PERSONAL_IDENTITY_NUMBER', 'COORDINATION_NUMBER', 'CPR_NUMBER', 'NATIONAL_RESERVE_ID', 'LOCAL_RESERVE_ID'] as const;

/** PERSONAL_IDENTITY_NUMBER = SE personnummer, COORDINATION_NUMBER = SE samordningsnummer, CPR_NUMBER = DK CPR,
 * NATIONAL_RESERVE_ID = SE NRID (Inera PU), LOCAL_RESERVE_ID = a region's reserve ID (see `region`). */
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Regions whose local reserve IDs (lokala reservidentiteter) are understood. */
export const LOCAL_RESERVE_REGIONS = ['VGR', 'SLL'] as const;

/** VGR = Västra Götalandsregionen, SLL = Region Stockholm. */
export type LocalReserveRegion = (typeof LOCAL_RESERVE_REGIONS)[number];

/** Country whose register issued the identifier. */
export type IdentifierCountry = 'SE' | 'DK';

/** Legal sex as the identifier encodes it. */
export type Sex = 'MALE' | 'FEMALE';

/** One valid reading of an input string. */
export interface ParsedIdentifier {
  kind: IdentifierKind;
  /** Storage form: SE numbers `YYYYMMDDNNNC`, CPR `DDMMYYSSSS`, reserve IDs their 12 characters, uppercase. */
  canonical: string;
  /** Form for people: `YYYYMMDD-NNNC` for SE numbers, `DDMMYY-SSSS` for CPR, the canonical form otherwise. */
  display: string;
  country: IdentifierCountry;
  /** `YYYY-MM-DD`; for a samordningsnummer the real date (day − 60); null when the identifier does not carry one. */
  birthDate: string | null;
  sex: Sex | null;
  /** Issuing region; only for LOCAL_RESERVE_ID. */
  region?: LocalReserveRegion;
}

/** Options of `parseIdentifier`. */
export interface ParseOptions {
  /** The day the century of a 10-digit personnummer is judged from, and after which no one is born. Default: now. */
  today?: Date;
  /** Only interpretations from this country's register; null or absent: both. */
  country?: IdentifierCountry | null;
}

/** Machine-readable cause of an `IdentifierError`; stable, unlike the message. */
export type IdentifierErrorReason = 'EMPTY' | 'LENGTH' | 'CHARACTERS' | 'SEPARATOR' | 'IMPOSSIBLE_DATE' | 'CHECK_DIGIT' | 'UNKNOWN_FORMAT' | 'AMBIGUOUS';

/** An input that is not a valid identifier (or, from `parseSingleIdentifier`, is more than one). */
export class IdentifierError extends Error {
  override readonly name = 'IdentifierError';

  constructor(
    readonly reason: IdentifierErrorReason,
    message: string,
    /** The kind the fault was found in, when one kind was the most plausible reading. */
    readonly kind: IdentifierKind | null = null,
    /** For AMBIGUOUS: every reading. */
    readonly candidates: readonly ParsedIdentifier[] = [],
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------------------

/**
 * Every valid interpretation of `input` (surrounding whitespace ignored). A 10-digit number can be both a
 * personnummer/samordningsnummer and a CPR number; then both are returned, Swedish first. `options.country`
 * keeps one country's kinds only.
 * @throws IdentifierError when there is no valid interpretation; `reason` is the most specific fault of the most
 * plausible kind (a bad check digit beats an impossible date, which beats a shape mismatch).
 */
export function parseIdentifier(input: string, options: ParseOptions = {}): ParsedIdentifier[] {
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') throw new IdentifierError('EMPTY', 'No identifier given: the value is empty.');
  const bad = /[^0-9A-Za-z+-]/.exec(text);
  if (bad) {
    throw invalid(
      text,
      'CHARACTERS',
      `character ${JSON.stringify(bad[0])} at position ${bad.index + 1} is not allowed; use digits, letters and one '-' or '+'`,
    );
  }

  const today = todayOf(options.today);
  const parsers = PARSERS.filter((p) => !options.country || p.country === options.country);
  const upper = text.toUpperCase(); // letters of reserve IDs are uppercase; accept them typed in lowercase
  const found: ParsedIdentifier[] = [];
  const faults: Fault[] = [];
  for (const parser of parsers) {
    const attempt = parser.parse(upper, today);
    if (attempt === null) continue;
    if ('fault' in attempt) faults.push(attempt);
    else found.push(attempt);
  }
  if (found.length > 0) return found.sort((a, b) => IDENTIFIER_KINDS.indexOf(a.kind) - IDENTIFIER_KINDS.indexOf(b.kind));

  const best = faults.reduce<Fault | null>((acc, f) => (acc === null || f.stage > acc.stage ? f : acc), null);
  if (best) throw invalid(text, best.fault, `${best.detail}, reading it as ${KIND_LABEL[best.kind]}`, best.kind);
  throw shapeFault(text, parsers);
}

/**
 * The one interpretation of `input`.
 * @throws IdentifierError as `parseIdentifier`, or with reason AMBIGUOUS when the input has several readings
 * (send the 12-digit personnummer, or pass `country`).
 */
export function parseSingleIdentifier(input: string, options: ParseOptions = {}): ParsedIdentifier {
  const all = parseIdentifier(input, options);
  const [first] = all;
  if (first && all.length === 1) return first;
  const readings = all.map((p) => `${KIND_LABEL[p.kind]} ${p.display}`).join(' and ');
  throw new IdentifierError(
    'AMBIGUOUS',
    `Ambiguous identifier '${shown(input.trim())}': it is both ${readings}; send the 12-digit personnummer or pass country.`,
    null,
    all,
  );
}

/** Why one kind rejected an input that had its shape; `stage` ranks how far the reading got. */
interface Fault {
  fault: IdentifierErrorReason;
  detail: string;
  kind: IdentifierKind;
  stage: Stage;
}

/** 0 = shape, 1 = field values (dates, ranges), 2 = check digit. */
type Stage = 0 | 1 | 2;

/** A kind's reading: the identifier, a fault, or null when the input does not have the kind's shape. */
type Attempt = ParsedIdentifier | Fault | null;

interface Parser {
  country: IdentifierCountry;
  /** Lengths (separators removed) the kind uses, for the LENGTH message when nothing matched. */
  lengths: readonly number[];
  parse(text: string, today: Ymd): Attempt;
}

// Order matters only to break ties between faults of the same stage: a 12-digit number starting with 99 is an
// SLL reserve ID before it is a personnummer born in the year 99xx. Interpretations are re-sorted by kind.
const PARSERS: readonly Parser[] = [
  { country: 'SE', lengths: [12], parse: parseSllReserveId },
  { country: 'SE', lengths: [10, 12], parse: parseSwedishNumber },
  { country: 'DK', lengths: [10], parse: parseCprNumber },
  { country: 'SE', lengths: [12], parse: parseNationalReserveId },
  { country: 'SE', lengths: [12], parse: parseVgrReserveId },
];

const KIND_LABEL: Record<IdentifierKind, string> = {
  PERSONAL_IDENTITY_NUMBER: 'a Swedish personnummer',
  COORDINATION_NUMBER: 'a Swedish samordningsnummer',
  CPR_NUMBER: 'a Danish CPR number',
  NATIONAL_RESERVE_ID: 'a Swedish national reserve ID',
  LOCAL_RESERVE_ID: 'a regional reserve ID',
};

function fault(kind: IdentifierKind, reason: IdentifierErrorReason, stage: Stage, detail: string): Fault {
  return { fault: reason, detail, kind, stage };
}

function invalid(text: string, reason: IdentifierErrorReason, detail: string, kind: IdentifierKind | null = null): IdentifierError {
  return new IdentifierError(reason, `Invalid identifier '${shown(text)}': ${detail}.`, kind);
}

/** Echoes the input in messages, but never a whole pasted document. */
function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** No kind recognised the shape: say whether the length, the separator or the layout is wrong. */
function shapeFault(text: string, parsers: readonly Parser[]): IdentifierError {
  const body = text.replace(/[-+]/g, '');
  const lengths = [...new Set(parsers.flatMap((p) => p.lengths))].sort((a, b) => a - b);
  if (!lengths.includes(body.length)) {
    const unit = /^\d+$/.test(body) ? 'digits' : 'characters';
    return invalid(text, 'LENGTH', `it has ${body.length} ${unit} without separators; expected ${lengths.join(' or ')}`);
  }
  const letter = /[A-Z]/i.exec(body);
  if (letter && body !== text) {
    // A separated number with a letter in it: a typo in a personnummer or CPR number, not a separator fault.
    return invalid(text, 'CHARACTERS', `'${letter[0]}' where a digit is expected; only reserve IDs contain letters`);
  }
  if (body !== text) {
    return invalid(text, 'SEPARATOR', 'misplaced separator: use YYMMDD-NNNC, YYMMDD+NNNC (aged 100 or more), YYYYMMDD-NNNC or DDMMYY-SSSS');
  }
  return invalid(text, 'UNKNOWN_FORMAT', 'not the layout of any supported identifier');
}

// ---------------------------------------------------------------------------------------------------------------
// Swedish personnummer and samordningsnummer
// ---------------------------------------------------------------------------------------------------------------

const SE_LONG = /^(\d{2})(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/;
const SE_SHORT = /^()(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/; // empty first group: no century

/** Samordningsnummer days are the real day + 60 (61–91). */
const COORDINATION_OFFSET = 60;

/** Whole match, then CC (empty in the short form), YY, MM, DD, separator, NNN, C. */
type SwedishMatch = [string, string, string, string, string, string, string, string];

function parseSwedishNumber(text: string, today: Ymd): Attempt {
  const m = (SE_LONG.exec(text) ?? SE_SHORT.exec(text)) as SwedishMatch | null;
  if (!m) return null;
  const [, cc, yy, mm, dd, sep, nnn, c] = m;
  const long = cc !== '';

  const day = Number(dd);
  const coordination = day > COORDINATION_OFFSET;
  const kind: IdentifierKind = coordination ? 'COORDINATION_NUMBER' : 'PERSONAL_IDENTITY_NUMBER';
  if (long && sep === '+') {
    return fault(kind, 'SEPARATOR', 0, "'+' (aged 100 or more) is only used in the 10-digit form YYMMDD+NNNC; write YYYYMMDD-NNNC or YYYYMMDDNNNC");
  }

  const month = Number(mm);
  const realDay = coordination ? day - COORDINATION_OFFSET : day;
  if (month < 1 || month > 12) return fault(kind, 'IMPOSSIBLE_DATE', 1, `month ${mm} does not exist`);
  if (realDay < 1 || realDay > 31) {
    return fault(kind, 'IMPOSSIBLE_DATE', 1, `day ${dd} is neither a day of the month (01–31) nor a samordningsnummer day (61–91)`);
  }

  const year = long ? Number(cc + yy) : shortFormYear(Number(yy), month, realDay, sep === '+', today);
  const born: Ymd = { y: year, m: month, d: realDay };
  if (!isValidDate(born)) return fault(kind, 'IMPOSSIBLE_DATE', 1, `${isoDate(born)} is not a date`);
  if (compareYmd(born, today) > 0) return fault(kind, 'IMPOSSIBLE_DATE', 1, `birth date ${isoDate(born)} is in the future`);
  if (nnn === '000') return fault(kind, 'UNKNOWN_FORMAT', 1, 'birth number 000 is never issued');

  const expected = luhnCheckDigit(yy + mm + dd + nnn);
  if (expected !== Number(c)) return fault(kind, 'CHECK_DIGIT', 2, `check digit is ${expected}, not ${c} (Luhn)`);

  const canonical = `${pad(year, 4)}${mm}${dd}${nnn}${c}`;
  return {
    kind,
    canonical,
    display: `${canonical.slice(0, 8)}-${canonical.slice(8)}`,
    country: 'SE',
    birthDate: isoDate(born),
    sex: sexByParity(Number(nnn[2])),
  };
}

/**
 * The century of a 10-digit number: the latest year that puts the birth on or before `today` (so the person is
 * under 100); with '+' a hundred years earlier (100 or more, as Skatteverket switches the separator).
 */
function shortFormYear(yy: number, month: number, day: number, centenarian: boolean, today: Ymd): number {
  let year = today.y - mod(today.y - yy, 100);
  if (compareYmd({ y: year, m: month, d: day }, today) > 0) year -= 100;
  return centenarian ? year - 100 : year;
}

// ---------------------------------------------------------------------------------------------------------------
// Danish CPR number
// ---------------------------------------------------------------------------------------------------------------

const CPR = /^(\d{2})(\d{2})(\d{2})-?(\d)(\d{2})(\d)$/;

function parseCprNumber(text: string, today: Ymd): Attempt {
  const m = CPR.exec(text);
  if (!m) return null;
  const [, dd, mm, yy, s7, s89, s10] = m as unknown as [string, string, string, string, string, string, string];
  const born: Ymd = { y: cprYear(Number(yy), Number(s7)), m: Number(mm), d: Number(dd) };
  if (!isValidDate(born)) {
    return fault('CPR_NUMBER', 'IMPOSSIBLE_DATE', 1, `day ${dd}, month ${mm} of ${born.y} (century from 7th digit ${s7}) is not a date`);
  }
  // A number cannot be issued before birth; the century table reaches into the future (e.g. 2057).
  if (compareYmd(born, today) > 0) return fault('CPR_NUMBER', 'IMPOSSIBLE_DATE', 1, `birth date ${isoDate(born)} is in the future`);
  const canonical = dd + mm + yy + s7 + s89 + s10;
  return {
    kind: 'CPR_NUMBER',
    canonical,
    display: `${canonical.slice(0, 6)}-${canonical.slice(6)}`,
    country: 'DK',
    birthDate: isoDate(born),
    sex: sexByParity(Number(s10)),
  };
}

/** Birth year from YY and the 7th digit (CPR "Personnummeret i CPR"; see domain.md for the cprbroker caveat). */
function cprYear(yy: number, seventh: number): number {
  if (seventh <= 3) return 1900 + yy;
  if (seventh === 4 || seventh === 9) return (yy <= 36 ? 2000 : 1900) + yy;
  return (yy <= 57 ? 2000 : 1800) + yy;
}

const CPR_WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1] as const;

/**
 * Whether a canonical CPR number (`DDMMYYSSSS`) passes the old modulus-11 control. Information only: numbers
 * without it have been issued since 2007, so parsing never rejects on it. False for anything but 10 digits.
 */
export function cprModulus11Ok(canonical: string): boolean {
  if (!/^\d{10}$/.test(canonical)) return false;
  const sum = CPR_WEIGHTS.reduce((acc, w, i) => acc + w * Number(canonical[i]), 0);
  return sum % 11 === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// National reserve ID (NRID, Inera Personuppgiftstjänsten): XXYYMMDDNNGC
// ---------------------------------------------------------------------------------------------------------------

/** The 21 letters NRID uses for NN and for G when the sex is unknown: A–Z without I, O, Q, V, W. */
export const NRID_LETTERS = 'ABCDEFGHJKLMNPRSTUXYZ';

const NRID = /^(\d{2})(\d{2})(\d{2})(\d{2})-?([A-Z]{2})([A-Z0-9])(\d)$/;
/** XX = birth century + 3·series, series 1–26 (so 22–99 for the 1900s–2100s); 00 = birth date unknown. */
const NRID_MAX_SERIES = 26;

function parseNationalReserveId(text: string, today: Ymd): Attempt {
  const m = NRID.exec(text);
  if (!m) return null;
  const [, xx, yy, mm, dd, nn, g, c] = m as unknown as [string, string, string, string, string, string, string, string];
  const kind: IdentifierKind = 'NATIONAL_RESERVE_ID';
  const foreign = [...nn, g].find((ch) => /[A-Z]/.test(ch) && !NRID_LETTERS.includes(ch));
  if (foreign) return fault(kind, 'CHARACTERS', 0, `letter ${foreign} is not used (I, O, Q, V and W are excluded)`);

  let birthDate: string | null = null;
  const prefix = Number(xx);
  if (prefix === 0) {
    if (Number(mm) < 20 || Number(dd) < 40 || Number(dd) > 59) {
      return fault(kind, 'IMPOSSIBLE_DATE', 1, `with unknown birth date (00) the serial needs month 20–99 and day 40–59, not ${mm} and ${dd}`);
    }
  } else if (prefix <= 21) {
    return fault(kind, 'UNKNOWN_FORMAT', 0, `prefix ${xx} is reserved (01–17) or never used (18–21)`);
  } else {
    const born: Ymd = { y: nridCentury(prefix) * 100 + Number(yy), m: Number(mm), d: Number(dd) };
    if (!isValidDate(born)) return fault(kind, 'IMPOSSIBLE_DATE', 1, `${isoDate(born)} is not a date`);
    if (compareYmd(born, today) > 0) return fault(kind, 'IMPOSSIBLE_DATE', 1, `birth date ${isoDate(born)} is in the future`);
    birthDate = isoDate(born);
  }

  const expected = nationalReserveIdCheckDigit(text.replace('-', '').slice(0, 11));
  if (expected !== Number(c)) return fault(kind, 'CHECK_DIGIT', 2, `check digit is ${expected}, not ${c}`);
  const canonical = `${xx}${yy}${mm}${dd}${nn}${g}${c}`;
  return { kind, canonical, display: canonical, country: 'SE', birthDate, sex: /\d/.test(g) ? sexByParity(Number(g)) : null };
}

/** XX ≡ century (mod 3) for the centuries 19, 20, 21, since XX = century + 3·series. */
function nridCentury(prefix: number): number {
  return 19 + mod(prefix - 19, 3);
}

/**
 * NRID check digit over the 11 characters before it. The algorithm is not in any source the project could read
 * (domain.md §1): THIS IS THE PROJECT'S OWN CHOICE. It follows the rule as transcribed in the comment of the
 * public library tbillas/SwedishIdentifier, so real NRIDs have a chance to validate, but it is unverified:
 * Luhn from the right (the character next to C doubled), where a digit counts as itself and a letter as its
 * ASCII code (A = 65); each (doubled) value contributes the sum of its decimal digits; C = (10 − sum mod 10) mod 10.
 * For all-digit input this is plain Luhn. Throws RangeError for anything but 11 characters of [0-9A-Z].
 */
export function nationalReserveIdCheckDigit(first11: string): number {
  if (!/^[0-9A-Z]{11}$/.test(first11)) throw new RangeError(`NRID check digit needs 11 characters 0-9/A-Z, got '${first11}'`);
  let sum = 0;
  for (let i = 0; i < first11.length; i++) {
    const ch = first11[first11.length - 1 - i]!;
    const value = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0);
    sum += digitSum(i % 2 === 0 ? value * 2 : value);
  }
  return (10 - (sum % 10)) % 10;
}

/** What is needed to issue a national reserve ID. */
export interface NationalReserveIdSpec {
  /** `YYYY-MM-DD` (1900–2199), or null when unknown (then XX = 00 and `dateSerial` stands in the date's place). */
  birthDate: string | null;
  sex: Sex | null;
  /** NN: two letters of `NRID_LETTERS`, the running letter pair. */
  serialLetters: string;
  /** Which G: 0–4 among the digits of the sex's parity (female 0,2,4,6,8; male 1,3,5,7,9), or 0–20 among
   * `NRID_LETTERS` when the sex is unknown. Default 0. */
  serialIndex?: number;
  /** Series 1–26 (XX = century + 3·series), taken when the first runs out for a date and sex. Default 1. */
  series?: number;
  /** YYMMDD serial for an unknown birth date: MM 20–99, DD 40–59. Default '002040'. */
  dateSerial?: string;
}

/** Builds a canonical NRID (12 characters, check digit included) that `parseIdentifier` reads back. */
export function nationalReserveIdFor(spec: NationalReserveIdSpec): string {
  const { birthDate, sex, serialLetters, serialIndex = 0, series = 1, dateSerial = '002040' } = spec;
  if (!/^[A-Z]{2}$/.test(serialLetters) || [...serialLetters].some((ch) => !NRID_LETTERS.includes(ch))) {
    throw new RangeError(`serialLetters must be two of ${NRID_LETTERS}, got '${serialLetters}'`);
  }
  let head: string;
  if (birthDate === null) {
    if (!/^\d{2}([2-9]\d)([45]\d)$/.test(dateSerial)) throw new RangeError(`dateSerial must be YYMMDD with MM 20–99 and DD 40–59, got '${dateSerial}'`);
    head = `00${dateSerial}`;
  } else {
    const born = parseIsoDate(birthDate);
    const century = Math.floor(born.y / 100);
    if (century < 19 || century > 21) throw new RangeError(`NRID birth years are 1900–2199, got ${born.y}`);
    if (!Number.isInteger(series) || series < 1 || series > NRID_MAX_SERIES) throw new RangeError(`series must be 1–${NRID_MAX_SERIES}, got ${series}`);
    head = `${century + 3 * series}${isoDate(born).slice(2).replaceAll('-', '')}`;
  }
  const body = head + serialLetters + nridSexCharacter(sex, serialIndex);
  return body + nationalReserveIdCheckDigit(body);
}

function nridSexCharacter(sex: Sex | null, index: number): string {
  const count = sex === null ? NRID_LETTERS.length : 5;
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`serialIndex must be 0–${count - 1} for sex ${sex}, got ${index}`);
  if (sex === null) return NRID_LETTERS[index]!;
  return String(2 * index + (sex === 'MALE' ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Local reserve IDs (Inera "Lokala Reservidn")
// ---------------------------------------------------------------------------------------------------------------

const SLL = /^99(\d{4})(\d{5})(\d)$/;
const SLL_YEARS = { min: 1980, max: 2299 } as const;

/**
 * SLL `99yyyyNNNNNC`. "Luhn over positions 5 to 11" is read 1-based: the last two digits of yyyy and the five
 * serial digits. Inera's own examples (991981000010, 991993000032) validate that way. yyyy is not a birth year
 * (the format allows 2299), so no birth date or sex.
 */
function parseSllReserveId(text: string): Attempt {
  const m = SLL.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < SLL_YEARS.min || year > SLL_YEARS.max) {
    return fault('LOCAL_RESERVE_ID', 'IMPOSSIBLE_DATE', 1, `year ${m[1]} of a Region Stockholm reserve ID must be ${SLL_YEARS.min}–${SLL_YEARS.max}`);
  }
  const expected = luhnCheckDigit(text.slice(4, 11));
  if (expected !== Number(m[3])) return fault('LOCAL_RESERVE_ID', 'CHECK_DIGIT', 2, `check digit is ${expected}, not ${m[3]} (Luhn over positions 5–11)`);
  return { kind: 'LOCAL_RESERVE_ID', canonical: text, display: text, country: 'SE', birthDate: null, sex: null, region: 'SLL' };
}

/** Builds a canonical Region Stockholm reserve ID for `year` (1980–2299) and `serial` (0–99999). */
export function localReserveIdSll(year: number, serial: number): string {
  if (!Number.isInteger(year) || year < SLL_YEARS.min || year > SLL_YEARS.max)
    throw new RangeError(`SLL year must be ${SLL_YEARS.min}–${SLL_YEARS.max}, got ${year}`);
  if (!Number.isInteger(serial) || serial < 0 || serial > 99_999) throw new RangeError(`SLL serial must be 0–99999, got ${serial}`);
  const body = `99${year}${pad(serial, 5)}`;
  return body + luhnCheckDigit(body.slice(4));
}

const VGR = /^(\d{4})(\d{2})(\d{2})-?([KMX])(\d{2})(\d)$/;
/** Digit standing in for the sex letter in the Luhn sum. */
const VGR_LETTER_VALUE = { K: '5', M: '7', X: '8' } as const;
const VGR_SEX = { K: 'FEMALE', M: 'MALE', X: null } as const;

/**
 * VGR `yyyymmddGggC`. The Luhn check covers the nine characters from yy on (yymmddGgg with K=5, M=7, X=8),
 * exactly like a personnummer's YYMMDDNNN; Inera's examples 19810829M071, 19450829K088, 19930829X802 validate
 * that way, and not when all eleven characters are summed.
 */
function parseVgrReserveId(text: string, today: Ymd): Attempt {
  const m = VGR.exec(text);
  if (!m) return null;
  const [, yyyy, mm, dd, g, gg, c] = m as unknown as [string, string, string, string, 'K' | 'M' | 'X', string, string];
  const kind: IdentifierKind = 'LOCAL_RESERVE_ID';
  const born: Ymd = { y: Number(yyyy), m: Number(mm), d: Number(dd) };
  if (!isValidDate(born)) return fault(kind, 'IMPOSSIBLE_DATE', 1, `${isoDate(born)} is not a date`);
  if (compareYmd(born, today) > 0) return fault(kind, 'IMPOSSIBLE_DATE', 1, `birth date ${isoDate(born)} is in the future`);
  if (!vggSerials(VGR_SEX[g]).includes(gg)) {
    return fault(kind, 'UNKNOWN_FORMAT', 1, `serial ${gg} does not fit sex letter ${g} (K: even 06–78, M: odd 07–79, X: 80–89)`);
  }
  const expected = luhnCheckDigit(yyyy.slice(2) + mm + dd + VGR_LETTER_VALUE[g] + gg);
  if (expected !== Number(c)) return fault(kind, 'CHECK_DIGIT', 2, `check digit is ${expected}, not ${c} (Luhn, K=5 M=7 X=8)`);
  const canonical = yyyy + mm + dd + g + gg + c;
  return { kind, canonical, display: canonical, country: 'SE', birthDate: isoDate(born), sex: VGR_SEX[g], region: 'VGR' };
}

/** The two-digit serials VGR allows for a sex, in order. */
function vggSerials(sex: Sex | null): string[] {
  const [from, to, step] = sex === null ? [80, 89, 1] : sex === 'FEMALE' ? [6, 78, 2] : [7, 79, 2];
  const out: string[] = [];
  for (let n = from; n <= to; n += step) out.push(pad(n, 2));
  return out;
}

/**
 * Builds a canonical VGR reserve ID. `n` is the 0-based index among the serials allowed for `sex`:
 * 0–36 for FEMALE (06, 08 … 78) and MALE (07, 09 … 79), 0–9 for unknown (80 … 89).
 */
export function localReserveIdVgr(birthDate: string, sex: Sex | null, n: number): string {
  const born = parseIsoDate(birthDate);
  const serials = vggSerials(sex);
  const gg = serials[n];
  if (!Number.isInteger(n) || gg === undefined) throw new RangeError(`n must be 0–${serials.length - 1} for sex ${sex}, got ${n}`);
  const g = sex === null ? 'X' : sex === 'FEMALE' ? 'K' : 'M';
  const date = isoDate(born).replaceAll('-', '');
  return date + g + gg + luhnCheckDigit(date.slice(2) + VGR_LETTER_VALUE[g] + gg);
}

// ---------------------------------------------------------------------------------------------------------------
// Prefixes of SE and DK numbers (person search)
// ---------------------------------------------------------------------------------------------------------------

/** Why a search prefix is refused, beyond the reasons of a whole identifier. */
export type IdentifierPrefixErrorReason = IdentifierErrorReason | 'PREFIX_TOO_SHORT' | 'PARTIAL_COORDINATION_NUMBER';

/** A search prefix that no reading accepts; `reason` as in `IdentifierError`, plus the prefix-only ones. */
export class IdentifierPrefixError extends Error {
  override readonly name = 'IdentifierPrefixError';

  constructor(
    readonly reason: IdentifierPrefixErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** What a search prefix stands for: whole numbers (exact matches) and canonical prefixes of one kind each. */
export interface IdentifierPrefixReadings {
  /** Canonical personnummer, samordningsnummer or CPR numbers the input is in full. */
  exact: string[];
  /** Canonical-form prefixes: `YYYYMMDD…` of a personnummer, `DDMMYY…` of a CPR number. */
  prefixes: { kind: 'PERSONAL_IDENTITY_NUMBER' | 'CPR_NUMBER'; prefix: string }[];
}

/** One written form a prefix can be in: where its birth date ends (and a separator may stand), how long it gets. */
interface PrefixForm {
  kind: 'PERSONAL_IDENTITY_NUMBER' | 'CPR_NUMBER';
  country: IdentifierCountry;
  /** Digits of the birth date; a separator may stand only right after them. */
  dateDigits: 6 | 8;
  /** Separators the form uses. */
  separators: string;
}

const PREFIX_FORMS: readonly PrefixForm[] = [
  { kind: 'PERSONAL_IDENTITY_NUMBER', country: 'SE', dateDigits: 8, separators: '-' }, // YYYYMMDD-NNNC
  { kind: 'PERSONAL_IDENTITY_NUMBER', country: 'SE', dateDigits: 6, separators: '-+' }, // YYMMDD-NNNC, YYMMDD+NNNC
  { kind: 'CPR_NUMBER', country: 'DK', dateDigits: 6, separators: '-' }, // DDMMYY-SSSS
];

/**
 * Every reading of a person-search prefix: a whole birth date (`YYYYMMDD`, `YYMMDD`, `YYMMDD+` for 100 and
 * over; with `country: 'DK'` the CPR `DDMMYY`) followed by up to all four remaining digits, with or without
 * the separator after the date. A whole number (10 or 12 digits) is also read as exactly that number — the
 * only way a samordningsnummer is found. Digits alone can be several forms (`2010101012` is the whole
 * 10-digit `201010-1012` and the 12-digit prefix `20101010-12`): every valid reading is returned, so a
 * search finds the union. CPR prefixes are read only with `country: 'DK'` (a bare `DDMMYY` is also a
 * Swedish `YYMMDD`); whole CPR numbers always, as `parseIdentifier` reads them.
 * @throws IdentifierPrefixError when no reading is valid, with the fault of the most plausible one.
 */
export function parseIdentifierPrefix(input: string, options: ParseOptions = {}): IdentifierPrefixReadings {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!/^\d+([-+]\d*)?$/.test(text)) {
    throw new IdentifierPrefixError('CHARACTERS', `An identifier prefix takes digits and at most one '-' or '+' after the birth date; got '${shown(text)}'.`);
  }
  const separatorAt = text.search(/[-+]/);
  const separator = separatorAt < 0 ? '' : text[separatorAt]!;
  const digits = text.replace(/[-+]/, '');
  if (digits.length < 6) {
    throw new IdentifierPrefixError(
      'PREFIX_TOO_SHORT',
      `An identifier prefix starts with a whole birth date (YYYYMMDD or YYMMDD); got ${digits.length} digits.`,
    );
  }
  if (digits.length > 12) throw new IdentifierPrefixError('LENGTH', `An identifier has at most 12 digits; got ${digits.length}.`);

  const today = todayOf(options.today);
  const readings: IdentifierPrefixReadings = { exact: [], prefixes: [] };
  /** Faults of the readings tried, most plausible first. */
  const faults: IdentifierPrefixError[] = [];
  const centuryFirst = /^(18|19|20)/.test(digits);

  for (const form of PREFIX_FORMS) {
    if (options.country && form.country !== options.country) continue;
    if (separator && (separatorAt !== form.dateDigits || !form.separators.includes(separator))) continue;
    const whole = digits.length === form.dateDigits + 4;
    if (digits.length < form.dateDigits || digits.length > form.dateDigits + 4) continue;
    if (whole) {
      // A whole number: exactly as a lookup reads it (check digit included); CPR numbers even without country.
      try {
        const found = parseIdentifier(text, { ...options, country: form.country });
        const persons = found.filter((p) => p.kind === 'PERSONAL_IDENTITY_NUMBER' || p.kind === 'COORDINATION_NUMBER' || p.kind === 'CPR_NUMBER');
        readings.exact.push(...persons.map((p) => p.canonical));
        if (persons.length === 0) {
          faults.push(
            new IdentifierPrefixError(
              'UNKNOWN_FORMAT',
              `'${shown(text)}' is a reserve identity, not a person's number: look it up with reserveIdentity(identifier:).`,
            ),
          );
        }
      } catch (err) {
        if (!(err instanceof IdentifierError)) throw err;
        faults.push(new IdentifierPrefixError(err.reason, err.message));
      }
      continue;
    }
    if (form.kind === 'CPR_NUMBER') {
      if (!options.country) continue;
      const [dd, mm] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4))];
      if (mm < 1 || mm > 12 || dd < 1 || dd > 31)
        faults.push(new IdentifierPrefixError('IMPOSSIBLE_DATE', `'${digits.slice(0, 6)}' is not a CPR birth date DDMMYY.`));
      else readings.prefixes.push({ kind: 'CPR_NUMBER', prefix: digits });
      continue;
    }
    // A 12-digit-form prefix must start with a plausible century; otherwise it is no reading at all.
    if (form.dateDigits === 8 && !centuryFirst) continue;
    const [mm, dd] = form.dateDigits === 8 ? [digits.slice(4, 6), digits.slice(6, 8)] : [digits.slice(2, 4), digits.slice(4, 6)];
    const fault = (reason: IdentifierPrefixErrorReason, message: string) =>
      // The 12-digit reading is the likelier one for digits that start with a century.
      form.dateDigits === 8 ? faults.unshift(new IdentifierPrefixError(reason, message)) : faults.push(new IdentifierPrefixError(reason, message));
    if (Number(dd) > COORDINATION_OFFSET) {
      fault('PARTIAL_COORDINATION_NUMBER', 'A samordningsnummer is found only when given in full (10 or 12 digits), never by a prefix.');
      continue;
    }
    const month = Number(mm);
    const day = Number(dd);
    const year =
      form.dateDigits === 8
        ? Number(digits.slice(0, 4))
        : month >= 1 && month <= 12 && day >= 1 && day <= 31
          ? shortFormYear(Number(digits.slice(0, 2)), month, day, separator === '+', today)
          : NaN;
    const born: Ymd = { y: year, m: month, d: day };
    if (!Number.isInteger(year) || !isValidDate(born) || compareYmd(born, today) > 0) {
      fault('IMPOSSIBLE_DATE', `'${text}' does not start with a real birth date (${form.dateDigits === 8 ? 'YYYYMMDD' : 'YYMMDD'}).`);
      continue;
    }
    readings.prefixes.push({ kind: 'PERSONAL_IDENTITY_NUMBER', prefix: form.dateDigits === 8 ? digits : `${pad(year, 4)}${digits.slice(2)}` });
  }

  if (readings.exact.length || readings.prefixes.length) return { exact: [...new Set(readings.exact)], prefixes: readings.prefixes };
  const [first] = faults;
  if (first) throw first;
  throw new IdentifierPrefixError(
    'SEPARATOR',
    `Misplaced separator in '${shown(text)}': it stands right after the birth date (YYYYMMDD-, YYMMDD-, YYMMDD+ or DDMMYY-).`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Builders for SE and DK numbers
// ---------------------------------------------------------------------------------------------------------------

/**
 * Builds a canonical personnummer (or, with `coordination`, samordningsnummer: day + 60): `YYYYMMDDNNNC` with the
 * Luhn digit. `serial` is the birth number NNN, 1–999 (000 is never issued); its last digit's parity is the sex
 * (odd male). Throws RangeError on a bad date or serial.
 */
export function personalIdentityNumber(spec: { birthDate: string; serial: number; coordination?: boolean }): string {
  const born = parseIsoDate(spec.birthDate);
  if (!Number.isInteger(spec.serial) || spec.serial < 1 || spec.serial > 999) throw new RangeError(`serial must be 1–999, got ${spec.serial}`);
  const day = born.d + (spec.coordination ? COORDINATION_OFFSET : 0);
  const body = `${pad(born.m, 2)}${pad(day, 2)}${pad(spec.serial, 3)}`;
  const yy = pad(born.y % 100, 2);
  return `${pad(born.y, 4)}${body}${luhnCheckDigit(yy + body)}`;
}

/**
 * Builds a canonical CPR number `DDMMYYSSSS`. The 7th digit is chosen from the century table so the number reads
 * back as `birthDate` (1858–2057); `serial` 0–999 picks the rest: serial ÷ 500 selects among the 7th digits that
 * fit the year, and the remainder the two middle digits and a last digit of the sex's parity (odd male). Distinct
 * serials give distinct numbers. Modulus 11 is not attempted (not required since 2007).
 */
export function cprNumber(spec: { birthDate: string; serial: number; sex: Sex }): string {
  const born = parseIsoDate(spec.birthDate);
  const { serial, sex } = spec;
  if (!Number.isInteger(serial) || serial < 0 || serial > 999) throw new RangeError(`serial must be 0–999, got ${serial}`);
  const seventh = cprSeventhDigits(born.y)[Math.floor(serial / 500)];
  if (seventh === undefined) throw new RangeError(`CPR numbers cover birth years 1858–2057, got ${born.y}`);
  const within = serial % 500;
  const last = (within % 5) * 2 + (sex === 'MALE' ? 1 : 0);
  return `${pad(born.d, 2)}${pad(born.m, 2)}${pad(born.y % 100, 2)}${seventh}${pad(Math.floor(within / 5), 2)}${last}`;
}

/** The 7th digits that give `year` by the century table (at least four for every year 1858–2057). */
function cprSeventhDigits(year: number): number[] {
  return [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => cprYear(year % 100, d) === year);
}

/**
 * The Luhn (mod 10) check digit for a string of digits: from the right, every other digit doubled starting with
 * the last, digits of products summed, C = (10 − sum mod 10) mod 10. Throws RangeError for non-digits.
 */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError(`Luhn needs digits only, got '${digits}'`);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i]);
    sum += digitSum(i % 2 === 0 ? d * 2 : d);
  }
  return (10 - (sum % 10)) % 10;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers: calendar dates in UTC
// ---------------------------------------------------------------------------------------------------------------

interface Ymd {
  y: number;
  m: number;
  d: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Gregorian: every 4th year, but not centuries unless divisible by 400 (1900 no, 2000 yes). */
function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function isValidDate({ y, m, d }: Ymd): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1]!;
  return d <= days;
}

function compareYmd(a: Ymd, b: Ymd): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

function isoDate({ y, m, d }: Ymd): string {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** `YYYY-MM-DD` to a calendar date; RangeError when it is not one. */
function parseIsoDate(text: string): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ymd = m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
  if (!ymd || !isValidDate(ymd)) throw new RangeError(`birthDate must be a real date YYYY-MM-DD, got '${text}'`);
  return ymd;
}

function todayOf(today: Date | undefined): Ymd {
  const t = today ?? new Date();
  if (Number.isNaN(t.getTime())) throw new RangeError('options.today is an invalid Date');
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function sexByParity(digit: number): Sex {
  return digit % 2 === 1 ? 'MALE' : 'FEMALE';
}

function digitSum(n: number): number {
  let sum = 0;
  for (let v = n; v > 0; v = Math.floor(v / 10)) sum += v % 10;
  return sum;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Mathematical modulo (never negative). */
function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
