import { describe, expect, it } from 'vitest';
import { countyName, DANISH_REGIONS, MUNICIPALITIES, readMunicipalityCode, SWEDISH_COUNTIES } from '../../kernel/municipalities.js';

/**
 * The reference lists against what the official code lists say of themselves (SCB 2025: 290 kommuner in
 * 21 län; Danmarks Statistik since 2007: 98 kommuner in 5 regioner), and the one reading of a code every
 * write, search and filter uses.
 */
const swedish = MUNICIPALITIES.filter((m) => m.country === 'SE');
const danish = MUNICIPALITIES.filter((m) => m.country === 'DK' && m.kind === 'MUNICIPALITY');
const special = MUNICIPALITIES.filter((m) => m.kind === 'CPR_SPECIAL');

function countBy(list: typeof MUNICIPALITIES, key: (m: (typeof MUNICIPALITIES)[number]) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of list) counts[key(m)] = (counts[key(m)] ?? 0) + 1;
  return counts;
}

describe('municipality reference lists', () => {
  it('holds all 290 Swedish kommuner, as many per län as SCB lists', () => {
    expect(swedish).toHaveLength(290);
    expect(swedish.every((m) => m.kind === 'MUNICIPALITY' && /^\d{4}$/.test(m.code))).toBe(true);
    // SCB's count of kommuner per län (2025).
    expect(countBy(swedish, (m) => m.countyCode!)).toEqual({
      '01': 26, '03': 8, '04': 9, '05': 13, '06': 13, '07': 8, '08': 12, '09': 1, '10': 5, '12': 33, '13': 6,
      '14': 49, '17': 16, '18': 12, '19': 10, '20': 15, '21': 10, '22': 7, '23': 8, '24': 15, '25': 14,
    }); // prettier-ignore
    expect(swedish.every((m) => m.countyCode === m.code.slice(0, 2) && m.countyName === SWEDISH_COUNTIES[m.countyCode])).toBe(true);
    // Each län's residence city has the code ending in 80 (SCB's numbering).
    expect(swedish.filter((m) => m.code.endsWith('80')).map((m) => m.name)).toEqual([
      'Stockholm', 'Uppsala', 'Nyköping', 'Linköping', 'Jönköping', 'Växjö', 'Kalmar', 'Gotland', 'Karlskrona', 'Malmö', 'Halmstad',
      'Göteborg', 'Karlstad', 'Örebro', 'Västerås', 'Falun', 'Gävle', 'Härnösand', 'Östersund', 'Umeå', 'Luleå',
    ]); // prettier-ignore
  });

  it('holds all 98 Danish kommuner, as many per region as Danmarks Statistik lists', () => {
    expect(danish).toHaveLength(98);
    expect(danish.every((m) => /^\d{3}$/.test(m.code))).toBe(true);
    expect(countBy(danish, (m) => m.countyCode!)).toEqual({ '1081': 11, '1082': 19, '1083': 22, '1084': 29, '1085': 17 });
    expect(danish.every((m) => m.countyName === DANISH_REGIONS[m.countyCode!])).toBe(true);
  });

  it('has unique codes per country and unique names per country', () => {
    for (const list of [swedish, [...danish, ...special]]) {
      expect(new Set(list.map((m) => m.code)).size).toBe(list.length);
      expect(new Set(list.map((m) => m.name)).size).toBe(list.length);
    }
    // One code space for the whole table: 4-digit Swedish and 3-digit Danish codes never meet.
    expect(new Set(MUNICIPALITIES.map((m) => m.code)).size).toBe(MUNICIPALITIES.length);
  });

  it("keeps CPR's Greenland codes apart: no county, and not a Danish municipality", () => {
    expect(special.map((m) => m.code)).toEqual(['955', '956', '957', '959', '960', '961']);
    expect(special.every((m) => m.country === 'DK' && m.countyCode === null && m.countyName === null)).toBe(true);
  });
});

describe('reading a municipality code', () => {
  it.each([
    ['2505', undefined, 'SE', 'Arvidsjaur', 'Norrbottens län'],
    ['0330', undefined, 'SE', 'Knivsta', 'Uppsala län'],
    ['825', undefined, 'DK', 'Læsø', 'Region Nordjylland'],
    ['0825', undefined, 'DK', 'Læsø', 'Region Nordjylland'], // CPR KOMKOD, zero-padded; no Swedish 0825
    ['0860', undefined, 'SE', 'Hultsfred', 'Kalmar län'], // a Swedish code first without a country …
    ['0860', 'DK', 'DK', 'Hjørring', 'Region Nordjylland'], // … CPR's padded Hjørring with one
    ['0956', undefined, 'DK', 'Kommuneqarfik Sermersooq (Grønland)', null],
  ] as const)('%s (country %s) is %s %s', (code, country, expectedCountry, name, county) => {
    const read = readMunicipalityCode(code, country);
    expect(read).toMatchObject({ municipality: { country: expectedCountry, name } });
    if ('municipality' in read) expect(countyName(read.municipality.country, read.municipality.countyCode)).toBe(county);
  });

  it.each([
    ['999', 'UNKNOWN_MUNICIPALITY'],
    ['9999', 'UNKNOWN_MUNICIPALITY'],
    ['0180', 'UNKNOWN_MUNICIPALITY', 'DK'],
    ['18', 'INVALID_MUNICIPALITY_CODE'],
    ['12345', 'INVALID_MUNICIPALITY_CODE'],
  ] as const)('%s is refused: %s', (code, fault, country?: 'SE' | 'DK') => {
    expect(readMunicipalityCode(code, country)).toMatchObject({ fault });
  });
});
