/**
 * Postal geography for synthetic addresses: which postal codes and postal district (SE postort,
 * CPR POSTDISTTXT) belong to each municipality of `kernel/municipalities.ts`. The postal code
 * areas are real; the full codes built from them (a Swedish 3-digit area + 2 synthetic digits) are
 * plausible, not checked against the postal operators' lists.
 */

/** A Swedish municipality's postal areas (first three digits of `NNN NN`) and its postort. */
export interface SwedishPostal {
  readonly areas: readonly string[];
  /** Postort as the register writes it (upper case). */
  readonly district: string;
  /** Relative share of residents, roughly by population so the big cities dominate. */
  readonly weight: number;
}

/** A Danish municipality's postal districts: [postnummer, POSTDISTTXT]. */
export interface DanishPostal {
  readonly districts: ReadonlyArray<readonly [code: string, name: string]>;
  readonly weight: number;
}

export const SWEDISH_POSTAL: Readonly<Record<string, SwedishPostal>> = {
  '0114': { areas: ['194'], district: 'UPPLANDS VÄSBY', weight: 5 },
  '0123': { areas: ['175', '176', '177'], district: 'JÄRFÄLLA', weight: 8 },
  '0126': { areas: ['141'], district: 'HUDDINGE', weight: 11 },
  '0127': { areas: ['147'], district: 'TUMBA', weight: 9 },
  '0136': { areas: ['136'], district: 'HANINGE', weight: 9 },
  '0160': { areas: ['183', '187'], district: 'TÄBY', weight: 7 },
  '0162': { areas: ['182'], district: 'DANDERYD', weight: 3 },
  '0163': { areas: ['191', '192'], district: 'SOLLENTUNA', weight: 7 },
  '0180': { areas: ['113', '114', '116', '117', '118'], district: 'STOCKHOLM', weight: 98 },
  '0181': { areas: ['151', '152'], district: 'SÖDERTÄLJE', weight: 10 },
  '0182': { areas: ['131'], district: 'NACKA', weight: 11 },
  '0183': { areas: ['172', '174'], district: 'SUNDBYBERG', weight: 5 },
  '0184': { areas: ['169', '171'], district: 'SOLNA', weight: 8 },
  '0186': { areas: ['181'], district: 'LIDINGÖ', weight: 5 },
  '0188': { areas: ['761'], district: 'NORRTÄLJE', weight: 6 },
  '0191': { areas: ['195'], district: 'MÄRSTA', weight: 5 },
  '0380': { areas: ['752', '753', '754', '756'], district: 'UPPSALA', weight: 24 },
  '0381': { areas: ['745'], district: 'ENKÖPING', weight: 5 },
  '0480': { areas: ['611'], district: 'NYKÖPING', weight: 6 },
  '0484': { areas: ['632', '633', '635'], district: 'ESKILSTUNA', weight: 11 },
  '0486': { areas: ['645'], district: 'STRÄNGNÄS', weight: 4 },
  '0580': { areas: ['582', '583', '584', '585'], district: 'LINKÖPING', weight: 17 },
  '0581': { areas: ['602', '603'], district: 'NORRKÖPING', weight: 14 },
  '0583': { areas: ['591'], district: 'MOTALA', weight: 4 },
  '0680': { areas: ['553', '554', '556'], district: 'JÖNKÖPING', weight: 15 },
  '0683': { areas: ['331'], district: 'VÄRNAMO', weight: 3 },
  '0780': { areas: ['352'], district: 'VÄXJÖ', weight: 10 },
  '0880': { areas: ['392'], district: 'KALMAR', weight: 7 },
  '0980': { areas: ['621'], district: 'VISBY', weight: 6 },
  '1080': { areas: ['371'], district: 'KARLSKRONA', weight: 7 },
  '1280': { areas: ['211', '212', '213', '214', '215', '217'], district: 'MALMÖ', weight: 36 },
  '1281': { areas: ['222', '223', '224', '226'], district: 'LUND', weight: 13 },
  '1282': { areas: ['261'], district: 'LANDSKRONA', weight: 5 },
  '1283': { areas: ['252', '253', '254'], district: 'HELSINGBORG', weight: 15 },
  '1286': { areas: ['271'], district: 'YSTAD', weight: 3 },
  '1287': { areas: ['231'], district: 'TRELLEBORG', weight: 5 },
  '1290': { areas: ['291'], district: 'KRISTIANSTAD', weight: 9 },
  '1380': { areas: ['302'], district: 'HALMSTAD', weight: 10 },
  '1383': { areas: ['432'], district: 'VARBERG', weight: 7 },
  '1384': { areas: ['434'], district: 'KUNGSBACKA', weight: 9 },
  '1480': { areas: ['411', '412', '413', '414', '416', '417', '418'], district: 'GÖTEBORG', weight: 60 },
  '1481': { areas: ['431'], district: 'MÖLNDAL', weight: 7 },
  '1485': { areas: ['451'], district: 'UDDEVALLA', weight: 6 },
  '1488': { areas: ['461'], district: 'TROLLHÄTTAN', weight: 6 },
  '1490': { areas: ['503', '504', '506'], district: 'BORÅS', weight: 11 },
  '1496': { areas: ['541'], district: 'SKÖVDE', weight: 6 },
  '1780': { areas: ['652', '653', '654'], district: 'KARLSTAD', weight: 10 },
  '1880': { areas: ['702', '703'], district: 'ÖREBRO', weight: 16 },
  '1980': { areas: ['722', '723', '724'], district: 'VÄSTERÅS', weight: 16 },
  '2080': { areas: ['791'], district: 'FALUN', weight: 6 },
  '2081': { areas: ['784'], district: 'BORLÄNGE', weight: 5 },
  '2180': { areas: ['802', '803'], district: 'GÄVLE', weight: 10 },
  '2281': { areas: ['852', '853'], district: 'SUNDSVALL', weight: 10 },
  '2284': { areas: ['891'], district: 'ÖRNSKÖLDSVIK', weight: 5 },
  '2380': { areas: ['831'], district: 'ÖSTERSUND', weight: 6 },
  '2480': { areas: ['903', '904', '906'], district: 'UMEÅ', weight: 13 },
  '2482': { areas: ['931'], district: 'SKELLEFTEÅ', weight: 7 },
  '2580': { areas: ['972', '973'], district: 'LULEÅ', weight: 8 },
  '2584': { areas: ['981'], district: 'KIRUNA', weight: 2 },
};

export const DANISH_POSTAL: Readonly<Record<string, DanishPostal>> = {
  '101': {
    districts: [
      ['1050', 'København K'],
      ['1360', 'København K'],
      ['2100', 'København Ø'],
      ['2200', 'København N'],
      ['2300', 'København S'],
      ['2400', 'København NV'],
      ['2450', 'København SV'],
      ['2500', 'Valby'],
    ],
    weight: 66,
  },
  '147': { districts: [['2000', 'Frederiksberg']], weight: 10 },
  '151': { districts: [['2750', 'Ballerup']], weight: 5 },
  '157': {
    districts: [
      ['2900', 'Hellerup'],
      ['2920', 'Charlottenlund'],
    ],
    weight: 7,
  },
  '159': {
    districts: [
      ['2860', 'Søborg'],
      ['2880', 'Bagsværd'],
    ],
    weight: 7,
  },
  '167': { districts: [['2650', 'Hvidovre']], weight: 5 },
  '173': { districts: [['2800', 'Kongens Lyngby']], weight: 6 },
  '175': { districts: [['2610', 'Rødovre']], weight: 4 },
  '185': { districts: [['2770', 'Kastrup']], weight: 4 },
  '217': { districts: [['3000', 'Helsingør']], weight: 6 },
  '219': { districts: [['3400', 'Hillerød']], weight: 5 },
  '400': { districts: [['3700', 'Rønne']], weight: 4 },
  '259': { districts: [['4600', 'Køge']], weight: 6 },
  '265': { districts: [['4000', 'Roskilde']], weight: 9 },
  '316': { districts: [['4300', 'Holbæk']], weight: 7 },
  '330': { districts: [['4200', 'Slagelse']], weight: 8 },
  '370': { districts: [['4700', 'Næstved']], weight: 8 },
  '461': {
    districts: [
      ['5000', 'Odense C'],
      ['5200', 'Odense V'],
      ['5230', 'Odense M'],
    ],
    weight: 21,
  },
  '479': { districts: [['5700', 'Svendborg']], weight: 6 },
  '540': { districts: [['6400', 'Sønderborg']], weight: 7 },
  '561': {
    districts: [
      ['6700', 'Esbjerg'],
      ['6705', 'Esbjerg Ø'],
    ],
    weight: 12,
  },
  '607': { districts: [['7000', 'Fredericia']], weight: 5 },
  '621': { districts: [['6000', 'Kolding']], weight: 10 },
  '630': { districts: [['7100', 'Vejle']], weight: 12 },
  '615': { districts: [['8700', 'Horsens']], weight: 10 },
  '657': { districts: [['7400', 'Herning']], weight: 9 },
  '661': { districts: [['7500', 'Holstebro']], weight: 6 },
  '730': { districts: [['8900', 'Randers C']], weight: 10 },
  '740': { districts: [['8600', 'Silkeborg']], weight: 10 },
  '751': {
    districts: [
      ['8000', 'Aarhus C'],
      ['8200', 'Aarhus N'],
      ['8210', 'Aarhus V'],
      ['8260', 'Viby J'],
    ],
    weight: 36,
  },
  '791': { districts: [['8800', 'Viborg']], weight: 10 },
  '813': { districts: [['9900', 'Frederikshavn']], weight: 6 },
  '851': {
    districts: [
      ['9000', 'Aalborg'],
      ['9200', 'Aalborg SV'],
      ['9210', 'Aalborg SØ'],
    ],
    weight: 22,
  },
  '860': { districts: [['9800', 'Hjørring']], weight: 6 },
};

/**
 * Skatteverket's forwarding address for persons with skyddad folkbokföring or sekretessmarkering
 * (skatteverket.se, "Sending mail to someone with protected identity").
 */
export const SKATTEVERKET_FORWARDING = {
  deliveryLines: ['Skatteverket', 'Box 2820'],
  postalCode: '403 20',
  postalDistrict: 'GÖTEBORG',
} as const;

/** Foreign addresses of emigrants: country, a street pattern and the postcode + town line. */
export const FOREIGN_PLACES: ReadonlyArray<{ country: string; street: string; town: string }> = [
  { country: 'NO', street: 'Thorvald Meyers gate', town: '0555 Oslo' },
  { country: 'NO', street: 'Kongens gate', town: '7011 Trondheim' },
  { country: 'FI', street: 'Mannerheimintie', town: '00100 Helsinki' },
  { country: 'DE', street: 'Friedrichstraße', town: '10117 Berlin' },
  { country: 'DE', street: 'Schanzenstraße', town: '20357 Hamburg' },
  { country: 'GB', street: 'Camden Road', town: 'London NW1 9LS' },
  { country: 'ES', street: 'Calle de Alcalá', town: '28014 Madrid' },
  { country: 'ES', street: 'Avenida de Andalucía', town: '29640 Fuengirola' },
  { country: 'FR', street: 'Rue de Rivoli', town: '75004 Paris' },
  { country: 'NL', street: 'Prinsengracht', town: '1016 Amsterdam' },
  { country: 'US', street: 'Lake Street', town: 'Minneapolis, MN 55408' },
  { country: 'AU', street: 'George Street', town: 'Sydney NSW 2000' },
];

/** Country names for the last line of a foreign address. */
export const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  NO: 'Norway',
  FI: 'Finland',
  DE: 'Germany',
  GB: 'United Kingdom',
  ES: 'Spain',
  FR: 'France',
  NL: 'Netherlands',
  US: 'United States',
  AU: 'Australia',
};
