/**
 * Reference data: municipality codes of both registers, the single source for the
 * `municipalities` table (migration `*_municipalities.sql` is generated from this list by
 * `db/seed/municipalities-sql.ts`, and a test checks that the two agree).
 *
 * Only codes known to be real are listed, not every municipality:
 * - Sweden: kommunkod, 4 digits; the first two are the länskod (county code).
 * - Denmark: kommunekode since the 2007 reform, written with 3 digits (CPR KOMKOD carries it
 *   zero-padded to 4). The 3-digit form keeps the two code sets apart in one table: a Danish
 *   code padded to 4 digits could equal a Swedish one (DK 163 Herlev vs SE 0163 Sollentuna).
 *   County code = the region code 1081–1085.
 */

export type MunicipalityCountry = 'SE' | 'DK';

export interface Municipality {
  /** SE kommunkod (4 digits) or DK kommunekode (3 digits). */
  readonly code: string;
  readonly country: MunicipalityCountry;
  readonly name: string;
  /** SE länskod (2 digits) or DK region code (1081–1085). */
  readonly countyCode: string;
}

/** Swedish counties (län) by länskod. */
export const SWEDISH_COUNTIES: Readonly<Record<string, string>> = {
  '01': 'Stockholms län',
  '03': 'Uppsala län',
  '04': 'Södermanlands län',
  '05': 'Östergötlands län',
  '06': 'Jönköpings län',
  '07': 'Kronobergs län',
  '08': 'Kalmar län',
  '09': 'Gotlands län',
  '10': 'Blekinge län',
  '12': 'Skåne län',
  '13': 'Hallands län',
  '14': 'Västra Götalands län',
  '17': 'Värmlands län',
  '18': 'Örebro län',
  '19': 'Västmanlands län',
  '20': 'Dalarnas län',
  '21': 'Gävleborgs län',
  '22': 'Västernorrlands län',
  '23': 'Jämtlands län',
  '24': 'Västerbottens län',
  '25': 'Norrbottens län',
};

/** Danish regions by region code. */
export const DANISH_REGIONS: Readonly<Record<string, string>> = {
  '1081': 'Region Nordjylland',
  '1082': 'Region Midtjylland',
  '1083': 'Region Syddanmark',
  '1084': 'Region Hovedstaden',
  '1085': 'Region Sjælland',
};

/** Swedish kommuner: the länskod is the first two digits of the code. */
const SWEDISH: ReadonlyArray<readonly [code: string, name: string]> = [
  ['0114', 'Upplands Väsby'],
  ['0123', 'Järfälla'],
  ['0126', 'Huddinge'],
  ['0127', 'Botkyrka'],
  ['0136', 'Haninge'],
  ['0160', 'Täby'],
  ['0162', 'Danderyd'],
  ['0163', 'Sollentuna'],
  ['0180', 'Stockholm'],
  ['0181', 'Södertälje'],
  ['0182', 'Nacka'],
  ['0183', 'Sundbyberg'],
  ['0184', 'Solna'],
  ['0186', 'Lidingö'],
  ['0188', 'Norrtälje'],
  ['0191', 'Sigtuna'],
  ['0380', 'Uppsala'],
  ['0381', 'Enköping'],
  ['0480', 'Nyköping'],
  ['0484', 'Eskilstuna'],
  ['0486', 'Strängnäs'],
  ['0580', 'Linköping'],
  ['0581', 'Norrköping'],
  ['0583', 'Motala'],
  ['0680', 'Jönköping'],
  ['0683', 'Värnamo'],
  ['0780', 'Växjö'],
  ['0880', 'Kalmar'],
  ['0980', 'Gotland'],
  ['1080', 'Karlskrona'],
  ['1280', 'Malmö'],
  ['1281', 'Lund'],
  ['1282', 'Landskrona'],
  ['1283', 'Helsingborg'],
  ['1286', 'Ystad'],
  ['1287', 'Trelleborg'],
  ['1290', 'Kristianstad'],
  ['1380', 'Halmstad'],
  ['1383', 'Varberg'],
  ['1384', 'Kungsbacka'],
  ['1480', 'Göteborg'],
  ['1481', 'Mölndal'],
  ['1485', 'Uddevalla'],
  ['1488', 'Trollhättan'],
  ['1490', 'Borås'],
  ['1496', 'Skövde'],
  ['1780', 'Karlstad'],
  ['1880', 'Örebro'],
  ['1980', 'Västerås'],
  ['2080', 'Falun'],
  ['2081', 'Borlänge'],
  ['2180', 'Gävle'],
  ['2281', 'Sundsvall'],
  ['2284', 'Örnsköldsvik'],
  ['2380', 'Östersund'],
  ['2480', 'Umeå'],
  ['2482', 'Skellefteå'],
  ['2580', 'Luleå'],
  ['2584', 'Kiruna'],
];

/** Danish kommuner (2007 codes) with their region code. */
const DANISH: ReadonlyArray<readonly [code: string, name: string, region: string]> = [
  ['101', 'København', '1084'],
  ['147', 'Frederiksberg', '1084'],
  ['151', 'Ballerup', '1084'],
  ['157', 'Gentofte', '1084'],
  ['159', 'Gladsaxe', '1084'],
  ['167', 'Hvidovre', '1084'],
  ['173', 'Lyngby-Taarbæk', '1084'],
  ['175', 'Rødovre', '1084'],
  ['185', 'Tårnby', '1084'],
  ['217', 'Helsingør', '1084'],
  ['219', 'Hillerød', '1084'],
  ['400', 'Bornholm', '1084'],
  ['259', 'Køge', '1085'],
  ['265', 'Roskilde', '1085'],
  ['316', 'Holbæk', '1085'],
  ['330', 'Slagelse', '1085'],
  ['370', 'Næstved', '1085'],
  ['461', 'Odense', '1083'],
  ['479', 'Svendborg', '1083'],
  ['540', 'Sønderborg', '1083'],
  ['561', 'Esbjerg', '1083'],
  ['607', 'Fredericia', '1083'],
  ['621', 'Kolding', '1083'],
  ['630', 'Vejle', '1083'],
  ['615', 'Horsens', '1082'],
  ['657', 'Herning', '1082'],
  ['661', 'Holstebro', '1082'],
  ['730', 'Randers', '1082'],
  ['740', 'Silkeborg', '1082'],
  ['751', 'Aarhus', '1082'],
  ['791', 'Viborg', '1082'],
  ['813', 'Frederikshavn', '1081'],
  ['851', 'Aalborg', '1081'],
  ['860', 'Hjørring', '1081'],
];

/** Every municipality, Swedish first, each list in code order as written above. */
export const MUNICIPALITIES: readonly Municipality[] = [
  ...SWEDISH.map(([code, name]): Municipality => ({ code, country: 'SE', name, countyCode: code.slice(0, 2) })),
  ...DANISH.map(([code, name, region]): Municipality => ({ code, country: 'DK', name, countyCode: region })),
];

const byCode = new Map(MUNICIPALITIES.map((m) => [m.code, m]));

/** The municipality with this code, if it is in the reference list. */
export function municipalityByCode(code: string): Municipality | undefined {
  return byCode.get(code);
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
