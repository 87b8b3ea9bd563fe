/**
 * CPR's extract record layout (record family P12170): every record type's fixed length and its fields'
 * 1-based positions, lengths and kinds, as `/work/shared/reference/cpr-records.md` gives them (from
 * magenta-aps/cprbroker `CPRDirect/XML/Definitions.xml`, which follows CPR's own extract description).
 *
 * Field names are CPR's. Where the source names two fields of one record alike, the second carries the
 * name its position means, noted at the field: 001 and 017 list a one-character `PNR` where the preceding
 * date's uncertainty marker stands, 014 names the child's number `PNR` as well, 999 names both fields
 * `TAELLER`. Records 020 and 021 are incomplete in the source: only their type and PNR are read (their
 * full length is still consumed).
 *
 * Pure data: no I/O; the reader (`read.ts`) and the writer (`write.ts`) are built on it.
 */

/** N: digits, padded with zeros on the left; A: ISO-8859-1 text, padded with blanks on the right. */
export type CprFieldKind = 'N' | 'A';

/** One field: where it starts (1-based, as CPR counts), how many characters, which kind. */
export interface CprField {
  readonly name: string;
  readonly start: number;
  readonly length: number;
  readonly kind: CprFieldKind;
}

/** One record type: its code, CPR's (cprbroker's) name for it, its fixed length and its fields. */
export interface CprRecordLayout {
  readonly type: string;
  readonly name: string;
  readonly length: number;
  readonly fields: readonly CprField[];
}

/** `'4/10 PNR A'` → a field. Kept in the reference's own notation so the table can be checked against it by eye. */
type Spec = `${number}/${number} ${string} ${CprFieldKind}`;

/** A layout whose field names are known to the type system (`names` is type-level only, never set). */
export interface CprRecordLayoutOf<T extends string, N extends string> extends CprRecordLayout {
  readonly type: T;
  readonly names?: N;
}

type NameOf<S> = S extends `${number}/${number} ${infer N} ${CprFieldKind}` ? N : never;

function layout<const T extends string, const F extends readonly Spec[]>(
  type: T,
  name: string,
  length: number,
  specs: F,
): CprRecordLayoutOf<T, NameOf<F[number]>> {
  const fields = specs.map((spec): CprField => {
    const match = /^(\d+)\/(\d+) (\S+) ([NA])$/.exec(spec);
    if (!match) throw new Error(`cpr layout ${type}: bad field spec ${spec}`);
    return { start: Number(match[1]), length: Number(match[2]), name: match[3]!, kind: match[4] as CprFieldKind };
  });
  return { type, name, length, fields };
}

/** Every record type of the layout, by its 3-digit code. */
export const CPR_RECORDS = {
  '000': layout('000', 'StartRecord', 35, ['1/3 RECORDTYPE N', '4/10 SORTFELT-10 A', '14/6 OPGAVENR N', '20/8 PRODDTO N', '28/8 PRODDTOFORRIG N']),
  '001': layout('001', 'PersonInformation', 106, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/10 PNRGAELD A',
    '24/2 STATUS N',
    '26/12 STATUSHAENSTART N',
    '38/1 STATUSDTO_UMRK A',
    '39/1 KOEN A',
    '40/10 FOED_DT A',
    '50/1 FOED_DT_UMRK A',
    '51/10 START_DT-PERSON A',
    '61/1 START_DT_UMRK-PERSON A',
    '62/10 SLUT_DT-PERSON A',
    // The source calls this one-character field `PNR`; it is SLUT_DT-PERSON's uncertainty marker.
    '72/1 SLUT_DT_UMRK-PERSON A',
    '73/34 STILLING A',
  ]),
  '002': layout('002', 'CurrentAddressInformation', 306, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/4 KOMKOD N',
    '18/4 VEJKOD N',
    '22/4 HUSNR A',
    '26/2 ETAGE A',
    '28/4 SIDEDOER A',
    '32/4 BNR A',
    '36/34 CONVN A',
    '70/12 TILFLYDTO N',
    '82/1 TILFLYDT_UMRK A',
    '83/12 TILFLYKOMDTO N',
    '95/1 TILFLYKOMDT_UMRK A',
    '96/4 FRAFLYKOMKOD N',
    '100/12 FRAFLYKOMDTO N',
    '112/1 FRAFLYKOMDT_UMRK A',
    '113/4 START_MYNKOD-ADRTXT N',
    '117/34 ADR1-SUPLADR A',
    '151/34 ADR2-SUPLADR A',
    '185/34 ADR3-SUPLADR A',
    '219/34 ADR4-SUPLADR A',
    '253/34 ADR5-SUPLADR A',
    '287/10 START_DT-ADRTXT A',
    '297/10 SLET_DT-ADRTXT A',
  ]),
  '003': layout('003', 'ClearWrittenAddress', 249, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/34 ADRNVN A',
    '48/34 CONVN A',
    '82/34 LOKALITET A',
    '116/34 STANDARDADR A',
    '150/34 BYNVN A',
    '184/4 POSTNR N',
    '188/20 POSTDISTTXT A',
    '208/4 KOMKOD N',
    '212/4 VEJKOD N',
    '216/4 HUSNR A',
    '220/2 ETAGE A',
    '222/4 SIDEDOER A',
    '226/4 BNR A',
    '230/20 VEJADRNVN A',
  ]),
  '004': layout('004', 'Protection', 37, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/4 BESKYTTYPE N',
    '18/10 START_DT-BESKYTTELSE A',
    '28/10 SLET_DT-BESKYTTELSE A',
  ]),
  '005': layout('005', 'CurrentDepartureData', 200, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/4 UDR_LANDEKOD N',
    '18/12 UDRDTO N',
    '30/1 UDRDTO_UMRK A',
    '31/34 UDLANDADR1 A',
    '65/34 UDLANDADR2 A',
    '99/34 UDLANDADR3 A',
    '133/34 UDLANDADR4 A',
    '167/34 UDLANDADR5 A',
  ]),
  '006': layout('006', 'ContactAddress', 203, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/34 ADR1-KONTAKTADR A',
    '48/34 ADR2-KONTAKTADR A',
    '82/34 ADR3-KONTAKTADR A',
    '116/34 ADR4-KONTAKTADR A',
    '150/34 ADR5-KONTAKTADR A',
    '184/10 START_DT-ADRTXT A',
    '194/10 SLET_DT-ADRTXT A',
  ]),
  // The source spells the date FORSVINddTO; the spelling of 025 (FORSVINDDTO) is used here.
  '007': layout('007', 'CurrentDisappearanceInformation', 26, ['1/3 RECORDTYPE N', '4/10 PNR A', '14/12 FORSVINDDTO N', '26/1 FORSVINDDTO_UMRK A']),
  '008': layout('008', 'CurrentNameInformation', 193, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/50 FORNVN A',
    '64/1 FORNVN_MRK A',
    '65/40 MELNVN A',
    '105/1 MELNVN_MRK A',
    '106/40 EFTERNVN A',
    '146/1 EFTERNVN_MRK A',
    '147/12 NVNHAENSTART N',
    '159/1 HAENSTART_UMRK-NAVNE A',
    '160/34 ADRNVN A',
  ]),
  '009': layout('009', 'BirthRegistrationInformation', 37, ['1/3 RECORDTYPE N', '4/10 PNR A', '14/4 START_MYNKOD-FØDESTED A', '18/20 MYNTXT-FØDESTED A']),
  '010': layout('010', 'CurrentCitizenship', 30, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/4 LANDEKOD N',
    '18/12 HAENSTART-STATSBORGERSKAB N',
    '30/1 HAENSTART_UMRK-STATSBORGERSKAB A',
  ]),
  '011': layout('011', 'ChurchInformation', 25, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 FKIRK A',
    '15/10 START_DT-FOLKEKIRKE A',
    '25/1 START_DT_UMRK-FOLKEKIRKE A',
  ]),
  // The source spells the marker AEGTEFOEddT_UMRK; the spelling of 029 (AEGTEFOEDDT_UMRK) is used here.
  '012': layout('012', 'CurrentCivilStatus', 95, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 CIVST A',
    '15/10 AEGTEPNR A',
    '25/10 AEGTEFOED_DT A',
    '35/1 AEGTEFOEDDT_UMRK A',
    '36/34 AEGTENVN A',
    '70/1 AEGTENVN_MRK A',
    '71/12 HAENSTART-CIVILSTAND N',
    '83/1 HAENSTART_UMRK-CIVILSTAND A',
    '84/12 SEP_HENVIS-CIVILSTAND A',
  ]),
  '013': layout('013', 'CurrentSeparation', 36, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/12 SEP_HENVIS-SEPARATION A',
    '26/10 START_DT-SEPARATION A',
    '36/1 START_DT_UMRK-SEPARATION A',
  ]),
  // The source names the child's number `PNR` like the person's own.
  '014': layout('014', 'Child', 23, ['1/3 RECORDTYPE N', '4/10 PNR A', '14/10 BARNPNR A']),
  '015': layout('015', 'ParentsInformation', 147, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/10 MOR_DT A',
    '24/1 MOR_DT_UMRK A',
    '25/10 PNRMOR A',
    '35/10 MOR_FOED_DT A',
    '45/1 MOR_FOED_DT_UMRK A',
    '46/34 MORNVN A',
    '80/1 MORNVN_MRK A',
    '81/10 FAR_DT A',
    '91/1 FAR_DT_UMRK A',
    '92/10 PNRFAR A',
    '102/10 FAR_FOED_DT A',
    '112/1 FAR_FOED_DT_UMRK A',
    '113/34 FARNVN A',
    '147/1 FARNVN_MRK A',
  ]),
  '016': layout('016', 'ParentalAuthority', 58, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/4 RELTYP-FORÆLDREMYN N',
    '18/10 START_DT-FORÆLDREMYN A',
    '28/1 START_DT_UMRK-FORÆLDREMYN A',
    '29/10 SLET_DT-FORÆLDREMYN A',
    '39/10 RELPNR A',
    '49/10 START_DT-RELPNR_PNR A',
  ]),
  '017': layout('017', 'Disempowerment', 272, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/10 START_DT-UMYNDIG A',
    // The source calls this one-character field `PNR`; it is START_DT-UMYNDIG's uncertainty marker.
    '24/1 START_DT_UMRK-UMYNDIG A',
    '25/10 SLET_DT-UMYNDIG A',
    '35/4 UMYN_RELTYP N',
    '39/10 RELPNR A',
    '49/10 START_DT-RELPNR_PNR A',
    '59/34 RELADRSAT_RELPNR_TXT A',
    '93/10 START_DT-RELPNR_TXT A',
    '103/34 RELTXT1 A',
    '137/34 RELTXT2 A',
    '171/34 RELTXT3 A',
    '205/34 RELTXT4 A',
    '239/34 RELTXT5 A',
  ]),
  '018': layout('018', 'MunicipalConditions', 60, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 KOMFORHTYP N',
    '15/5 KOMFORHKOD A',
    '20/10 START_DT-KOMMUNALE-FORHOLD A',
    '30/1 START_DT_UMRK-KOMMUNALE-FORHOL A',
    '31/30 BEMAERK-KOMMUNALE-FORHOLD A',
  ]),
  '019': layout('019', 'Notes', 75, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/2 NOTATNR N',
    '16/40 NOTATLINIE A',
    '56/10 START_DT-NOTAT A',
    '66/10 SLET_DT-NOTAT A',
  ]),
  // Incomplete in the source (its last field is given as 1/3): type and PNR only.
  '020': layout('020', 'ElectionInformation', 47, ['1/3 RECORDTYPE N', '4/10 PNR A']),
  // Incomplete in the source (only the type is given): type and PNR only.
  '021': layout('021', 'RelocationOrder', 63, ['1/3 RECORDTYPE N', '4/10 PNR A']),
  // 4/10 is the person's current number (the key, as in every person record); 14/10 the previous one.
  '022': layout('022', 'HistoricalPNR', 45, [
    '1/3 RECORDTYPE N',
    '4/10 PNRGÆLD A',
    '14/10 PNR A',
    '24/10 START_DT-PERSON A',
    '34/1 START_DT_UMRK-PERSON A',
    '35/10 SLUT_DT-PERSON A',
    '45/1 SLUT_DT_UMRK-PERSON A',
  ]),
  '023': layout('023', 'HistoricalAddress', 96, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 ANNKOR A',
    '15/4 KOMKOD N',
    '19/4 VEJKOD N',
    '23/4 HUSNR A',
    '27/2 ETAGE A',
    '29/4 SIDEDOER A',
    '33/4 BNR A',
    '37/34 CONVN A',
    '71/12 TILFLYDTO N',
    '83/1 TILFLYDT_UMRK A',
    '84/12 FRAFLYDTO N',
    '96/1 FRAFLYDTO_UMRK A',
  ]),
  '024': layout('024', 'HistoricalDeparture', 218, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 ANNKOR A',
    '15/4 UDR_LANDEKOD N',
    '19/12 UDRDTO N',
    '31/1 UDRDTO_UMRK A',
    '32/4 INDR_LANDEKOD N',
    '36/12 INDRDTO N',
    '48/1 INDRDTO_UMRK A',
    '49/34 UDLANDADR1 A',
    '83/34 UDLANDADR2 A',
    '117/34 UDLANDADR3 A',
    '151/34 UDLANDADR4 A',
    '185/34 UDLANDADR5 A',
  ]),
  '025': layout('025', 'HistoricalDisappearance', 40, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 ANNKOR A',
    '15/12 FORSVINDDTO N',
    '27/1 FORSVINDDTO_UMRK A',
    '28/12 GENFINDDTO N',
    '40/1 GENFINDDTO_UMRK A',
  ]),
  '026': layout('026', 'HistoricalName', 173, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 ANNKOR A',
    '15/50 FORNVN A',
    '65/1 FORNVN_MRK A',
    '66/40 MELNVN A',
    '106/1 MELNVN_MRK A',
    '107/40 EFTERNVN A',
    '147/1 EFTERNVN_MRK A',
    '148/12 NVNHAENSTART N',
    '160/1 HAENSTART_UMRK-NAVNE A',
    '161/12 NVNHAENSLUT N',
    '173/1 HAENSLUT_UMRK-NAVNE A',
  ]),
  '027': layout('027', 'HistoricalCitizenship', 44, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 ANNKOR A',
    '15/4 LANDEKOD N',
    '19/12 HAENSTART-STATSBORGERSKAB N',
    '31/1 HAENSTART_UMRK-STATSBORGERSKAB A',
    '32/12 HAENSLUT-STATSBORGERSKAB N',
    '44/1 HAENSLUT_UMRK-STATSBORGERSKAB A',
  ]),
  '028': layout('028', 'HistoricalChurchInformation', 36, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 FKIRK A',
    '15/10 START_DT-FOLKEKIRKE A',
    '25/1 START_DT_UMRK-FOLKEKIRKE A',
    '26/10 SLUT_DT-FOLKEKIRKE A',
    '36/1 SLUT_DT_UMRK-FOLKEKIRKE A',
  ]),
  '029': layout('029', 'HistoricalCivilStatus', 109, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 ANNKOR A',
    '15/1 CIVST A',
    '16/10 AEGTEPNR A',
    '26/10 AEGTEFOED_DT A',
    '36/1 AEGTEFOEDDT_UMRK A',
    '37/34 AEGTENVN A',
    '71/1 AEGTENVN_MRK A',
    '72/12 HAENSTART-CIVILSTAND N',
    '84/1 HAENSTART_UMRK-CIVILSTAND A',
    '85/12 HAENSLUT-CIVILSTAND N',
    '97/1 HAENSLUT_UMRK-CIVILSTAND A',
    '98/12 SEP_HENVIS-CIVILSTAND A',
  ]),
  '030': layout('030', 'HistoricalSeparation', 48, [
    '1/3 RECORDTYPE N',
    '4/10 PNR A',
    '14/1 ANNKOR A',
    '15/12 SEP_HENVIS-SEPARATION A',
    '27/10 START_DT-SEPARATION A',
    '37/1 START_DT_UMRK-SEPARATION A',
    '38/10 SLUT_DT-SEPARATION A',
    '48/1 SLUT_DT_UMRK-SEPARATION A',
  ]),
  '099': layout('099', 'Events', 45, ['1/3 RECORDTYPE N', '4/10 PNR A', '14/12 TIMESTAMPU N', '26/3 HAENDELSE A', '29/2 AFLEDTMRK A']),
  '910': layout('910', 'ErrorRecord', 157, ['1/3 RECORDTYPE N', '4/10 SORTFELT-10 A', '14/75 INDDATA A', '89/4 FEJLNR N', '93/65 FEJLTXT-UDTRÆK A']),
  '997': layout('997', 'SubscriptionDeletionReceipt', 43, ['1/3 RECORDTYPE N', '4/10 PNR A', '14/12 TIMESTAMPU N', '26/3 HAENDELSE A', '29/15 NGLKONST A']),
  // The source names both fields TAELLER; the first stands where the start record has its sort field.
  '999': layout('999', 'EndRecord', 21, ['1/3 RECORDTYPE N', '4/10 SORTFELT-10 A', '14/8 TAELLER N']),
} as const;

/** A record type of the layout: `'000'`, `'001'`, … `'999'`. */
export type CprRecordType = keyof typeof CPR_RECORDS;

/** The record types that belong to one person (keyed by the 10 characters at 4/10): all but 000, 910 and 999. */
export type CprPersonRecordType = Exclude<CprRecordType, '000' | '910' | '999'>;

/** The field names of record type `T`, e.g. `CprFieldName<'004'>` = `'RECORDTYPE' | 'PNR' | 'BESKYTTYPE' | …`. */
export type CprFieldName<T extends CprRecordType> = NonNullable<(typeof CPR_RECORDS)[T]['names']>;

/** A record's field values by name (strings as read: alpha without its padding blanks, numeric as its digits). */
export type CprFields<T extends CprRecordType> = { readonly [K in CprFieldName<T>]: string };

/** True for a 3-digit string that names a record type of the layout. */
export function isCprRecordType(value: string): value is CprRecordType {
  return Object.hasOwn(CPR_RECORDS, value);
}

/** True for record types keyed by a person's PNR. */
export function isCprPersonRecordType(type: CprRecordType): type is CprPersonRecordType {
  return type !== '000' && type !== '910' && type !== '999';
}

/** The layout of one record type. */
export function cprRecordLayout<T extends CprRecordType>(type: T): (typeof CPR_RECORDS)[T] {
  return CPR_RECORDS[type];
}
