import { describe, expect, it } from 'vitest';
import {
  IDENTIFIER_KINDS,
  IdentifierError,
  NRID_LETTERS,
  cprModulus11Ok,
  cprNumber,
  localReserveIdSll,
  localReserveIdVgr,
  luhnCheckDigit,
  nationalReserveIdCheckDigit,
  nationalReserveIdFor,
  IdentifierPrefixError,
  parseIdentifier,
  parseIdentifierPrefix,
  parseSingleIdentifier,
  personalIdentityNumber,
  type IdentifierErrorReason,
  type IdentifierKind,
  type ParseOptions,
  type Sex,
} from '../../kernel/identifiers.js';

// Fixed "today" so century rules and "born in the future" never drift.
const today = new Date('2026-11-23T00:00:00Z');
const ANY: ParseOptions = { today };
const SE: ParseOptions = { today, country: 'SE' };
const DK: ParseOptions = { today, country: 'DK' };

/** The reason code `parseIdentifier` rejects with, or 'ACCEPTED'. */
function reasonFor(input: string, options: ParseOptions = ANY): IdentifierErrorReason | 'ACCEPTED' {
  try {
    parseIdentifier(input, options);
    return 'ACCEPTED';
  } catch (err) {
    if (err instanceof IdentifierError) return err.reason;
    throw err;
  }
}

function only(input: string, options: ParseOptions) {
  const all = parseIdentifier(input, options);
  expect(all).toHaveLength(1);
  return all[0]!;
}

/** Deterministic PRNG (mulberry32) for the round-trip loops. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const date = (from: string, to: string) => {
    const day = 86_400_000;
    const ms = int(Date.parse(from) / day, Date.parse(to) / day) * day;
    return new Date(ms).toISOString().slice(0, 10);
  };
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { int, date, pick };
}

describe('IDENTIFIER_KINDS', () => {
  it('lists the five kinds', () => {
    expect([...IDENTIFIER_KINDS]).toEqual(['PERSONAL_IDENTITY_NUMBER', 'COORDINATION_NUMBER', 'CPR_NUMBER', 'NATIONAL_RESERVE_ID', 'LOCAL_RESERVE_ID']);
  });
});

describe('luhnCheckDigit', () => {
  it.each([
    ['121212121', 2],
    ['811218987', 6], // Skatteverket's example 811218-9876
    ['7992739871', 3], // the classic 79927398713
    ['0', 0],
  ])('%s → %i', (digits, check) => {
    expect(luhnCheckDigit(digits)).toBe(check);
  });

  it('rejects non-digits', () => {
    expect(() => luhnCheckDigit('12a')).toThrow(RangeError);
  });
});

describe('personnummer and samordningsnummer', () => {
  describe.each<[string, string, IdentifierKind, string, string, Sex]>([
    // input, canonical, kind, birthDate, display, sex
    ['19121212-1212', '191212121212', 'PERSONAL_IDENTITY_NUMBER', '1912-12-12', '19121212-1212', 'MALE'],
    ['191212121212', '191212121212', 'PERSONAL_IDENTITY_NUMBER', '1912-12-12', '19121212-1212', 'MALE'],
    ['  18991231-9994\t', '189912319994', 'PERSONAL_IDENTITY_NUMBER', '1899-12-31', '18991231-9994', 'MALE'],
    // 29 February: 2000 and 2024 are leap years
    ['20000229-1235', '200002291235', 'PERSONAL_IDENTITY_NUMBER', '2000-02-29', '20000229-1235', 'MALE'],
    ['000229-1235', '200002291235', 'PERSONAL_IDENTITY_NUMBER', '2000-02-29', '20000229-1235', 'MALE'],
    ['20240229-4827', '202402294827', 'PERSONAL_IDENTITY_NUMBER', '2024-02-29', '20240229-4827', 'FEMALE'],
    // century of the 10-digit forms, judged on 2026-11-23
    ['261123-0174', '202611230174', 'PERSONAL_IDENTITY_NUMBER', '2026-11-23', '20261123-0174', 'MALE'], // born today
    ['2611240173', '192611240173', 'PERSONAL_IDENTITY_NUMBER', '1926-11-24', '19261124-0173', 'MALE'], // 99 tomorrow
    ['261123+0174', '192611230174', 'PERSONAL_IDENTITY_NUMBER', '1926-11-23', '19261123-0174', 'MALE'], // 100 today
    ['261124+0173', '182611240173', 'PERSONAL_IDENTITY_NUMBER', '1826-11-24', '18261124-0173', 'MALE'],
    ['20261123-0182', '202611230182', 'PERSONAL_IDENTITY_NUMBER', '2026-11-23', '20261123-0182', 'FEMALE'],
    // samordningsnummer: day + 60, days 61 and 91
    ['19850861-1236', '198508611236', 'COORDINATION_NUMBER', '1985-08-01', '19850861-1236', 'MALE'],
    ['850891-1248', '198508911248', 'COORDINATION_NUMBER', '1985-08-31', '19850891-1248', 'FEMALE'],
    // samordningsnummer on 29 February of a leap year (day 89), a mid-month day, and aged 100+ with '+'
    ['200002891232', '200002891232', 'COORDINATION_NUMBER', '2000-02-29', '20000289-1232', 'MALE'],
    ['240289+2471', '192402892471', 'COORDINATION_NUMBER', '1924-02-29', '19240289-2471', 'MALE'],
    ['198508753863', '198508753863', 'COORDINATION_NUMBER', '1985-08-15', '19850875-3863', 'FEMALE'],
    ['260283+0172', '192602830172', 'COORDINATION_NUMBER', '1926-02-23', '19260283-0172', 'MALE'],
  ])('%s', (input, canonical, kind, birthDate, display, sex) => {
    it(`reads as ${kind} ${canonical}`, () => {
      expect(only(input, SE)).toEqual({ kind, canonical, display, country: 'SE', birthDate, sex });
    });
  });

  it.each<[string, IdentifierErrorReason]>([
    ['19121212-1213', 'CHECK_DIGIT'],
    ['191212121213', 'CHECK_DIGIT'],
    ['121212-1213', 'CHECK_DIGIT'],
    // 29 February: 1900 is not a leap year, 2023 is not either
    ['19000229-1235', 'IMPOSSIBLE_DATE'],
    ['000229+1235', 'IMPOSSIBLE_DATE'],
    ['20230229-4828', 'IMPOSSIBLE_DATE'],
    ['19850431-1237', 'IMPOSSIBLE_DATE'],
    ['19851301-1234', 'IMPOSSIBLE_DATE'],
    ['19850001-1234', 'IMPOSSIBLE_DATE'],
    // samordningsnummer days stop at 61 and 91
    ['19850860-1237', 'IMPOSSIBLE_DATE'],
    ['19850892-1239', 'IMPOSSIBLE_DATE'],
    ['19850491-1234', 'IMPOSSIBLE_DATE'], // 31 April
    ['192502891233', 'IMPOSSIBLE_DATE'], // samordningsnummer on 29 February 1925: not a leap year
    ['250289-1233', 'IMPOSSIBLE_DATE'],
    ['19121212-12A2', 'CHARACTERS'], // a letter among the digits
    ['19121212-121', 'LENGTH'],
    ['19850832-1234', 'IMPOSSIBLE_DATE'],
    // not born yet
    ['20261124-0181', 'IMPOSSIBLE_DATE'],
    ['202611240181', 'IMPOSSIBLE_DATE'],
    // 12-digit forms never use '+': deliberate, unlike the personnummer/meta spec
    ['19121212+1212', 'SEPARATOR'],
    ['1212-121212', 'SEPARATOR'],
    ['121212--1212', 'SEPARATOR'],
    ['20150916-0006', 'UNKNOWN_FORMAT'], // birth number 000
    ['121212 1212', 'CHARACTERS'],
    ['121212_1212', 'CHARACTERS'],
    ['19121212–1212', 'CHARACTERS'], // en dash
    ['12121212121', 'LENGTH'],
    ['1912121212121', 'LENGTH'],
    ['121212121', 'LENGTH'],
  ])('%s is rejected: %s', (input, reason) => {
    expect(reasonFor(input, SE)).toBe(reason);
  });
});

describe('samordningsnummer days 61–91', () => {
  it.each(Array.from({ length: 31 }, (_, i) => i + 1))('day %i + 60 reads as the %i of January', (day) => {
    const canonical = personalIdentityNumber({ birthDate: `1985-01-${String(day).padStart(2, '0')}`, serial: 123, coordination: true });
    expect(canonical.slice(6, 8)).toBe(String(day + 60));
    expect(only(canonical, SE)).toMatchObject({ kind: 'COORDINATION_NUMBER', canonical, birthDate: `1985-01-${String(day).padStart(2, '0')}` });
    expect(only(`${canonical.slice(2, 8)}-${canonical.slice(8)}`, SE).canonical).toBe(canonical);
  });
});

describe('personnummer/meta test vectors', () => {
  // personnummer/meta testdata/list.json, MIT licence, Copyright (c) Personnummer and Contributors.
  // type ssn = personnummer, con = samordningsnummer. `reason` is this module's verdict on the invalid ones.
  const META: {
    long: string;
    separated: string;
    separatedLong: string;
    valid: boolean;
    type: 'ssn' | 'con';
    isMale: boolean;
    reason?: IdentifierErrorReason;
  }[] = [
    { long: '201509160006', separated: '150916-0006', separatedLong: '20150916-0006', valid: false, type: 'ssn', isMale: false, reason: 'UNKNOWN_FORMAT' },
    { long: '190905271474', separated: '090527+1474', separatedLong: '19090527+1474', valid: true, type: 'ssn', isMale: true },
    { long: '198707049996', separated: '870704-9996', separatedLong: '19870704-9996', valid: false, type: 'ssn', isMale: true, reason: 'CHECK_DIGIT' },
    { long: '198211059954', separated: '821105-9954', separatedLong: '19821105-9954', valid: true, type: 'ssn', isMale: true },
    { long: '193901829913', separated: '390182-9913', separatedLong: '19390182-9913', valid: false, type: 'con', isMale: true, reason: 'CHECK_DIGIT' },
    { long: '195705749959', separated: '570574-9959', separatedLong: '19570574-9959', valid: true, type: 'con', isMale: true },
    { long: '201211209941', separated: '121120-9941', separatedLong: '20121120-9941', valid: false, type: 'ssn', isMale: false, reason: 'CHECK_DIGIT' },
    { long: '199012119948', separated: '901211-9948', separatedLong: '19901211-9948', valid: true, type: 'ssn', isMale: false },
    { long: '201210759984', separated: '121075-9984', separatedLong: '20121075-9984', valid: false, type: 'con', isMale: false, reason: 'CHECK_DIGIT' },
    { long: '197306749982', separated: '730674-9982', separatedLong: '19730674-9982', valid: true, type: 'con', isMale: false },
    { long: '187912219990', separated: '791221+9990', separatedLong: '18791221+9990', valid: true, type: 'ssn', isMale: true },
    { long: '200012099891', separated: '001209-9891', separatedLong: '20001209-9891', valid: true, type: 'ssn', isMale: true },
    { long: '19090527 1474', separated: '090527 1474', separatedLong: '19090527 1474', valid: false, type: 'ssn', isMale: true, reason: 'CHARACTERS' },
  ];

  describe.each(META.filter((c) => c.valid))('valid $long', (c) => {
    const expected = {
      kind: c.type === 'ssn' ? 'PERSONAL_IDENTITY_NUMBER' : 'COORDINATION_NUMBER',
      canonical: c.long,
      sex: c.isMale ? 'MALE' : 'FEMALE',
    };

    it.each([c.long, c.separated, ...(c.separatedLong.includes('+') ? [] : [c.separatedLong])])('%s', (input) => {
      expect(only(input, SE)).toMatchObject(expected);
    });

    if (c.separatedLong.includes('+')) {
      // The meta spec accepts '+' in the 12-digit form; the domain reference says it never occurs there.
      it(`${c.separatedLong} is rejected deliberately: SEPARATOR`, () => {
        expect(reasonFor(c.separatedLong, SE)).toBe('SEPARATOR');
      });
    }
  });

  describe.each(META.filter((c) => !c.valid))('invalid $long', (c) => {
    it.each([c.long, c.separated, c.separatedLong])(`%s is rejected: ${c.reason}`, (input) => {
      expect(reasonFor(input, SE)).toBe(c.reason);
    });
  });
});

describe('CPR number', () => {
  describe.each<[string, string, string]>([
    // every branch of the century table (7th digit); YY ≤ 36 / > 36 for 4 and 9, ≤ 57 / > 57 for 5–8
    ['0101370230', '1937-01-01', 'digit 0 → 1900s'],
    ['010150-1234', '1950-01-01', 'digit 1 → 1900s'],
    ['0101002230', '1900-01-01', 'digit 2 → 1900s'],
    ['0101993230', '1999-01-01', 'digit 3 → 1900s'],
    ['0101104236', '2010-01-01', 'digit 4, YY ≤ 36 → 2000s'],
    ['0101504234', '1950-01-01', 'digit 4, YY > 36 → 1900s'],
    ['0101109237', '2010-01-01', 'digit 9, YY ≤ 36 → 2000s'],
    ['0101509235', '1950-01-01', 'digit 9, YY > 36 → 1900s'],
    ['0101105238', '2010-01-01', 'digit 5, YY ≤ 57 → 2000s'],
    ['0101106238', '2010-01-01', 'digit 6, YY ≤ 57 → 2000s'],
    ['0101107238', '2010-01-01', 'digit 7, YY ≤ 57 → 2000s'],
    ['0101108239', '2010-01-01', 'digit 8, YY ≤ 57 → 2000s'],
    ['0101585231', '1858-01-01', 'digit 5, YY > 57 → 1800s'],
    ['0101606230', '1860-01-01', 'digit 6, YY > 57 → 1800s'],
    ['0101627231', '1862-01-01', 'digit 7, YY > 57 → 1800s'],
    ['0101998231', '1899-01-01', 'digit 8, YY > 57 → 1800s'],
    ['2902005000', '2000-02-29', '29 February 2000 (leap)'],
    ['2902004002', '2000-02-29', '29 February 2000 via digit 4'],
    ['2902606001', '1860-02-29', '29 February 1860 via digit 6 (1800s, leap)'],
    ['2902929003', '1992-02-29', '29 February 1992 via digit 9, YY > 36'],
  ])('%s', (input, birthDate, why) => {
    it(`is born ${birthDate} (${why})`, () => {
      const p = only(input, DK);
      const canonical = input.replace('-', '');
      expect(p).toEqual({
        kind: 'CPR_NUMBER',
        canonical,
        display: `${canonical.slice(0, 6)}-${canonical.slice(6)}`,
        country: 'DK',
        birthDate,
        sex: Number(canonical[9]) % 2 === 1 ? 'MALE' : 'FEMALE',
      });
    });
  });

  it.each<[string, IdentifierErrorReason]>([
    ['2902003000', 'IMPOSSIBLE_DATE'], // 1900 is not a leap year
    ['2902379000', 'IMPOSSIBLE_DATE'], // digit 9, YY 37 → 1937: not a leap year
    ['2902595000', 'IMPOSSIBLE_DATE'], // digit 5, YY 59 → 1859: not a leap year
    ['29021-3000', 'LENGTH'],
    ['010150-12a4', 'CHARACTERS'],
    ['3102501234', 'IMPOSSIBLE_DATE'],
    ['0113501234', 'IMPOSSIBLE_DATE'],
    ['0001501234', 'IMPOSSIBLE_DATE'],
    ['0101364236', 'IMPOSSIBLE_DATE'], // digit 4, YY 36 → 2036: not born yet
    ['0101576238', 'IMPOSSIBLE_DATE'], // digit 6, YY 57 → 2057: not born yet
    ['010150+1234', 'SEPARATOR'], // '+' is Swedish only
    ['010150-12345', 'LENGTH'],
    ['191212121212', 'LENGTH'], // a 12-digit personnummer is no CPR number
  ])('%s is rejected: %s', (input, reason) => {
    expect(reasonFor(input, DK)).toBe(reason);
  });

  it('accepts a number that fails modulus 11 (issued since 2007)', () => {
    expect(cprModulus11Ok('0101501234')).toBe(false);
    expect(only('010150-1234', DK)).toMatchObject({ kind: 'CPR_NUMBER', canonical: '0101501234', sex: 'FEMALE' });
  });

  it.each([
    ['0707614285', true],
    ['3101504238', true],
    ['0101501234', false],
    ['010150-1234', false],
    ['abc', false],
  ])('cprModulus11Ok(%s) is %s', (canonical, ok) => {
    expect(cprModulus11Ok(canonical)).toBe(ok);
  });
});

describe('10-digit numbers valid in both countries', () => {
  it('returns both readings, Swedish first', () => {
    const all = parseIdentifier('121212-1212', ANY);
    expect(all.map((p) => [p.kind, p.canonical, p.birthDate])).toEqual([
      ['PERSONAL_IDENTITY_NUMBER', '201212121212', '2012-12-12'],
      ['CPR_NUMBER', '1212121212', '1912-12-12'],
    ]);
  });

  it.each<[ParseOptions, IdentifierKind]>([
    [SE, 'PERSONAL_IDENTITY_NUMBER'],
    [DK, 'CPR_NUMBER'],
  ])('country %o keeps one', (options, kind) => {
    expect(only('1212121212', options).kind).toBe(kind);
  });

  it('parseSingleIdentifier rejects the ambiguity with AMBIGUOUS and lists both', () => {
    try {
      parseSingleIdentifier('121212-1212', ANY);
      expect.fail('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(IdentifierError);
      expect((err as IdentifierError).reason).toBe('AMBIGUOUS');
      expect((err as IdentifierError).candidates.map((c) => c.kind)).toEqual(['PERSONAL_IDENTITY_NUMBER', 'CPR_NUMBER']);
    }
  });

  it.each<[string, ParseOptions, IdentifierKind]>([
    ['121212-1212', SE, 'PERSONAL_IDENTITY_NUMBER'],
    ['121212-1212', DK, 'CPR_NUMBER'],
    ['20121212-1212', ANY, 'PERSONAL_IDENTITY_NUMBER'],
    ['121212-1213', ANY, 'CPR_NUMBER'], // bad Luhn: only the CPR reading is left
    ['000229-1235', ANY, 'PERSONAL_IDENTITY_NUMBER'], // day 00 is no CPR date
  ])('parseSingleIdentifier(%s, %o) is %s', (input, options, kind) => {
    expect(parseSingleIdentifier(input, options).kind).toBe(kind);
  });
});

describe('national reserve ID (NRID)', () => {
  describe.each<[string, string | null, Sex | null]>([
    ['22850101AB12', '1985-01-01', 'MALE'], // XX 22 = 19 + 3
    ['22850101AB20', '1985-01-01', 'FEMALE'],
    ['25851231KL74', '1985-12-31', 'MALE'], // XX 25 = 19 + 6, second series
    ['23120229XZA7', '2012-02-29', null], // XX 23 = 20 + 3; G a letter: sex unknown
    ['00992040AB38', null, 'MALE'], // birth date unknown: serial with MM 20–99, DD 40–59
    ['00002040AA03', null, 'FEMALE'],
    ['22850101-AB12', '1985-01-01', 'MALE'], // HL7 Sweden allows a '-' before NN
    ['22850101ab12', '1985-01-01', 'MALE'],
  ])('%s', (input, birthDate, sex) => {
    it(`is born ${birthDate}, sex ${sex}`, () => {
      const canonical = input.replace('-', '').toUpperCase();
      expect(only(input, ANY)).toEqual({ kind: 'NATIONAL_RESERVE_ID', canonical, display: canonical, country: 'SE', birthDate, sex });
    });
  });

  it.each<[string, IdentifierErrorReason]>([
    ['22850101AB13', 'CHECK_DIGIT'],
    ['22850101IB15', 'CHARACTERS'], // I is not in the alphabet
    ['22850101AQ10', 'CHARACTERS'],
    ['22850101ABO0', 'CHARACTERS'],
    ['19850101AB17', 'UNKNOWN_FORMAT'], // XX 19 would collide with a personnummer
    ['05850101AB10', 'UNKNOWN_FORMAT'], // 01–17 reserved
    ['23100229XZA9', 'IMPOSSIBLE_DATE'], // 2010 is not a leap year
    ['98991231ZY99', 'IMPOSSIBLE_DATE'], // XX 98 = 20 + 78 → 2099: not born yet
    ['00991940AB30', 'IMPOSSIBLE_DATE'], // unknown date needs MM ≥ 20
    ['00992060AB30', 'IMPOSSIBLE_DATE'], // … and DD 40–59
  ])('%s is rejected: %s', (input, reason) => {
    expect(reasonFor(input, SE)).toBe(reason);
  });

  it('check digit is plain Luhn for digits and counts a letter by its ASCII code', () => {
    expect(nationalReserveIdCheckDigit('22850101001')).toBe(luhnCheckDigit('22850101001'));
    expect(nationalReserveIdCheckDigit('22850101AB1')).toBe(2);
    expect(() => nationalReserveIdCheckDigit('2285')).toThrow(RangeError);
  });

  it('is Swedish only', () => {
    expect(reasonFor('22850101AB12', DK)).toBe('LENGTH');
  });
});

describe('local reserve IDs', () => {
  describe.each<[string, 'SLL' | 'VGR', string | null, Sex | null]>([
    // Inera "Lokala Reservidn" examples (corrected version)
    ['991981000010', 'SLL', null, null],
    ['991993000032', 'SLL', null, null],
    ['19810829M071', 'VGR', '1981-08-29', 'MALE'],
    ['19450829K088', 'VGR', '1945-08-29', 'FEMALE'],
    ['19930829X802', 'VGR', '1993-08-29', null],
    // pinefox/personnummer VGR examples
    ['19561110K064', 'VGR', '1956-11-10', 'FEMALE'],
    ['20121212M714', 'VGR', '2012-12-12', 'MALE'],
    ['20121212X803', 'VGR', '2012-12-12', null],
    ['19810829-m071', 'VGR', '1981-08-29', 'MALE'],
  ])('%s', (input, region, birthDate, sex) => {
    it(`is ${region}, born ${birthDate}, sex ${sex}`, () => {
      const canonical = input.replace('-', '').toUpperCase();
      expect(only(input, SE)).toEqual({ kind: 'LOCAL_RESERVE_ID', canonical, display: canonical, country: 'SE', birthDate, sex, region });
    });
  });

  it.each<[string, IdentifierErrorReason]>([
    ['991981000011', 'CHECK_DIGIT'], // pre-correction example: Luhn over all eleven digits
    ['992004920019', 'CHECK_DIGIT'], // pinefox example: Luhn over yyyy + serial
    ['991945000023', 'IMPOSSIBLE_DATE'], // Inera's own example, but 1945 is outside 1980–2299
    ['991979000011', 'IMPOSSIBLE_DATE'],
    ['992300000010', 'IMPOSSIBLE_DATE'],
    ['19810829M070', 'CHECK_DIGIT'], // pre-correction example
    ['19810829M072', 'CHECK_DIGIT'],
    ['19561110M064', 'UNKNOWN_FORMAT'], // even serial is a woman's
    ['19561110X064', 'UNKNOWN_FORMAT'], // unknown sex needs 80–89
    ['19561110K054', 'UNKNOWN_FORMAT'], // 06 is the lowest serial
    ['19560230K064', 'IMPOSSIBLE_DATE'],
    ['20271212M714', 'IMPOSSIBLE_DATE'], // not born yet
    ['19810829A071', 'UNKNOWN_FORMAT'],
    ['19810829M07', 'LENGTH'],
  ])('%s is rejected: %s', (input, reason) => {
    expect(reasonFor(input, SE)).toBe(reason);
  });
});

describe('input that is no identifier', () => {
  it.each<[string, IdentifierErrorReason]>([
    ['', 'EMPTY'],
    ['   \n', 'EMPTY'],
    ['hello', 'LENGTH'],
    ['ABCDEFGHIJKL', 'UNKNOWN_FORMAT'],
    ['12121212AB', 'UNKNOWN_FORMAT'],
    ['121212/1212', 'CHARACTERS'],
    ['+1212121212', 'SEPARATOR'],
  ])('%j is rejected: %s', (input, reason) => {
    expect(reasonFor(input, ANY)).toBe(reason);
  });

  it('errors are IdentifierError with the kind that came closest', () => {
    try {
      parseIdentifier('19121212-1213', ANY);
      expect.fail('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(IdentifierError);
      expect(err).toBeInstanceOf(Error);
      expect((err as IdentifierError).reason).toBe('CHECK_DIGIT');
      expect((err as IdentifierError).kind).toBe('PERSONAL_IDENTITY_NUMBER');
    }
  });

  it('today defaults to now', () => {
    expect(parseIdentifier('19121212-1212')[0]?.birthDate).toBe('1912-12-12');
  });
});

describe('builders round-trip through the parser', () => {
  const r = rng(20261123);
  const N = 400;

  it(`personalIdentityNumber: ${N} numbers read back, in 12- and 10-digit forms`, () => {
    for (let i = 0; i < N; i++) {
      const birthDate = r.date('1880-01-01', '2026-11-23');
      const serial = r.int(1, 999);
      const coordination = i % 3 === 0;
      const canonical = personalIdentityNumber({ birthDate, serial, coordination });
      const expected = {
        kind: coordination ? 'COORDINATION_NUMBER' : 'PERSONAL_IDENTITY_NUMBER',
        canonical,
        birthDate,
        sex: serial % 2 === 1 ? 'MALE' : 'FEMALE',
      };
      expect(only(canonical, SE)).toMatchObject(expected);
      const separator = birthDate <= '1926-11-23' ? '+' : '-'; // 100 or more on 2026-11-23
      expect(only(`${canonical.slice(2, 8)}${separator}${canonical.slice(8)}`, SE)).toMatchObject(expected);
    }
  });

  it(`cprNumber: ${N} numbers read back`, () => {
    for (let i = 0; i < N; i++) {
      const birthDate = r.date('1858-01-01', '2026-11-23');
      const serial = r.int(0, 999);
      const sex = r.pick(['MALE', 'FEMALE'] as const);
      const canonical = cprNumber({ birthDate, serial, sex });
      expect(only(canonical, DK)).toMatchObject({ kind: 'CPR_NUMBER', canonical, birthDate, sex });
    }
  });

  it.each(['1858-01-01', '1936-06-15', '1999-12-31', '2010-05-05', '2026-11-23'])('cprNumber gives 2000 distinct numbers for %s', (birthDate) => {
    const seen = new Set<string>();
    for (let serial = 0; serial <= 999; serial++) {
      for (const sex of ['MALE', 'FEMALE'] as const) seen.add(cprNumber({ birthDate, serial, sex }));
    }
    expect(seen.size).toBe(2000);
  });

  it(`nationalReserveIdFor: ${N} IDs read back`, () => {
    for (let i = 0; i < N; i++) {
      const birthDate = i % 4 === 0 ? null : r.date('1900-01-01', '2026-11-23');
      const sex = r.pick(['MALE', 'FEMALE', null] as const);
      const spec = {
        birthDate,
        sex,
        serialLetters: r.pick([...NRID_LETTERS]) + r.pick([...NRID_LETTERS]),
        serialIndex: r.int(0, sex === null ? 20 : 4),
        series: r.int(1, 26),
        dateSerial: `${String(r.int(0, 99)).padStart(2, '0')}${r.int(20, 99)}${r.int(40, 59)}`,
      };
      const canonical = nationalReserveIdFor(spec);
      expect(canonical).toMatch(/^\d{8}[A-Z]{2}[0-9A-Z]\d$/);
      expect(only(canonical, ANY)).toMatchObject({ kind: 'NATIONAL_RESERVE_ID', canonical, birthDate, sex });
    }
  });

  it(`localReserveIdSll: ${N} IDs read back`, () => {
    for (let i = 0; i < N; i++) {
      const canonical = localReserveIdSll(r.int(1980, 2299), r.int(0, 99_999));
      expect(only(canonical, ANY)).toMatchObject({ kind: 'LOCAL_RESERVE_ID', region: 'SLL', canonical, birthDate: null, sex: null });
    }
  });

  it(`localReserveIdVgr: ${N} IDs read back`, () => {
    for (let i = 0; i < N; i++) {
      const birthDate = r.date('1900-01-01', '2026-11-23');
      const sex = r.pick(['MALE', 'FEMALE', null] as const);
      const canonical = localReserveIdVgr(birthDate, sex, r.int(0, sex === null ? 9 : 36));
      expect(only(canonical, ANY)).toMatchObject({ kind: 'LOCAL_RESERVE_ID', region: 'VGR', canonical, birthDate, sex });
    }
  });

  it.each<[string, () => unknown]>([
    ['birth number 000', () => personalIdentityNumber({ birthDate: '1985-01-01', serial: 0 })],
    ['not a date', () => personalIdentityNumber({ birthDate: '1985-02-30', serial: 1 })],
    ['CPR year before 1858', () => cprNumber({ birthDate: '1857-12-31', serial: 0, sex: 'MALE' })],
    ['CPR year after 2057', () => cprNumber({ birthDate: '2058-01-01', serial: 0, sex: 'MALE' })],
    ['NRID letters outside the alphabet', () => nationalReserveIdFor({ birthDate: null, sex: null, serialLetters: 'IO' })],
    ['NRID series 27', () => nationalReserveIdFor({ birthDate: '1985-01-01', sex: 'MALE', serialLetters: 'AB', series: 27 })],
    ['NRID serialIndex 5 with known sex', () => nationalReserveIdFor({ birthDate: '1985-01-01', sex: 'MALE', serialLetters: 'AB', serialIndex: 5 })],
    ['NRID bad date serial', () => nationalReserveIdFor({ birthDate: null, sex: null, serialLetters: 'AB', dateSerial: '001940' })],
    ['SLL year 1979', () => localReserveIdSll(1979, 1)],
    ['SLL serial 100000', () => localReserveIdSll(1990, 100_000)],
    ['VGR n 37 for a woman', () => localReserveIdVgr('1985-01-01', 'FEMALE', 37)],
    ['VGR n 10 for unknown sex', () => localReserveIdVgr('1985-01-01', null, 10)],
  ])('builders refuse %s', (_why, build) => {
    expect(build).toThrow(RangeError);
  });

  it('builders reproduce the reference examples', () => {
    expect(localReserveIdSll(1981, 1)).toBe('991981000010');
    expect(localReserveIdVgr('1981-08-29', 'MALE', 0)).toBe('19810829M071'); // gg 07, the first man's serial
    expect(localReserveIdVgr('1993-08-29', null, 0)).toBe('19930829X802');
    expect(personalIdentityNumber({ birthDate: '1912-12-12', serial: 121 })).toBe('191212121212');
    expect(personalIdentityNumber({ birthDate: '1985-08-01', serial: 123, coordination: true })).toBe('198508611236');
    expect(nationalReserveIdFor({ birthDate: '1985-01-01', sex: 'MALE', serialLetters: 'AB' })).toBe('22850101AB12');
    expect(nationalReserveIdFor({ birthDate: '1985-12-31', sex: 'MALE', serialLetters: 'KL', series: 2, serialIndex: 3 })).toBe('25851231KL74');
    expect(nationalReserveIdFor({ birthDate: null, sex: 'MALE', serialLetters: 'AB', serialIndex: 1, dateSerial: '992040' })).toBe('00992040AB38');
  });
});

describe('parseIdentifierPrefix (person search)', () => {
  // today = 2026-11-23: a 10-digit 261124 is 1926, 261123 is 2026.
  describe.each<[string, ParseOptions, { exact?: string[]; prefixes?: [string, string][] }]>([
    ['19560111', ANY, { prefixes: [['PERSONAL_IDENTITY_NUMBER', '19560111']] }],
    ['1956011141', ANY, { prefixes: [['PERSONAL_IDENTITY_NUMBER', '1956011141']] }],
    ['19560111-41', ANY, { prefixes: [['PERSONAL_IDENTITY_NUMBER', '1956011141']] }],
    ['560111-41', ANY, { prefixes: [['PERSONAL_IDENTITY_NUMBER', '1956011141']] }],
    ['560111+41', ANY, { prefixes: [['PERSONAL_IDENTITY_NUMBER', '1856011141']] }],
    ['261123', ANY, { prefixes: [['PERSONAL_IDENTITY_NUMBER', '20261123']] }],
    ['261124', ANY, { prefixes: [['PERSONAL_IDENTITY_NUMBER', '19261124']] }],
    // Both forms at once: the 12-digit prefix and the whole 10-digit (here CPR) number.
    ['2010101012', ANY, { exact: ['2010101012'], prefixes: [['PERSONAL_IDENTITY_NUMBER', '2010101012']] }],
    [
      '20101010',
      ANY,
      {
        prefixes: [
          ['PERSONAL_IDENTITY_NUMBER', '20101010'],
          ['PERSONAL_IDENTITY_NUMBER', '2020101010'],
        ],
      },
    ],
    ['191212121212', ANY, { exact: ['191212121212'] }],
    ['121212+1212', ANY, { exact: ['191212121212'] }],
    ['030290', DK, { prefixes: [['CPR_NUMBER', '030290']] }],
    ['030290-00', DK, { prefixes: [['CPR_NUMBER', '03029000']] }],
  ])('%s', (input, options, expected) => {
    it(`reads as ${JSON.stringify(expected)}`, () => {
      const readings = parseIdentifierPrefix(input, options);
      expect(readings.exact).toEqual(expected.exact ?? []);
      expect(readings.prefixes.map((p) => [p.kind, p.prefix])).toEqual(expected.prefixes ?? []);
    });
  });

  it.each<[string, string, ParseOptions?]>([
    ['19560', 'PREFIX_TOO_SHORT'],
    ['1956-0111', 'SEPARATOR'],
    ['19560171', 'PARTIAL_COORDINATION_NUMBER'],
    ['261124+', 'ACCEPTED'],
    ['270101', 'ACCEPTED'], // 1927
    ['20261124', 'IMPOSSIBLE_DATE'], // born tomorrow
    ['191212121213', 'CHECK_DIGIT'],
    ['19121212 1212', 'CHARACTERS'],
  ])('%s: %s', (input, reason, options = ANY) => {
    let got = 'ACCEPTED';
    try {
      parseIdentifierPrefix(input, options);
    } catch (err) {
      if (!(err instanceof IdentifierPrefixError)) throw err;
      got = err.reason;
    }
    expect(got).toBe(reason);
  });
});
