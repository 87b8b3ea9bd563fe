/**
 * CPR change extracts for tests, built with kernel/cpr's writer: a person as a few values, turned into
 * the records CPR would send (001 first, then the rest), and files of persons in either shape.
 */
import { cprNumber } from '../../kernel/identifiers.js';
import { writeCprFile, type CprRecordInput, type CprWriteOptions } from '../../kernel/cpr/index.js';

export interface CprPersonSpec {
  pnr: string;
  sex?: 'M' | 'K';
  birthDate: string;
  status?: string;
  statusDate?: string;
  given?: string;
  family?: string;
  nameSince?: string;
  previousNames?: { given: string; family: string; from: string; to: string }[];
  address?: {
    komkod: string;
    vejkod?: string;
    street: string;
    house: string;
    floor?: string;
    door?: string;
    postnr: string;
    district: string;
    since: string;
  } | null;
  protection?: { type: string; from: string; to?: string }[];
  departure?: { country: string; on: string; lines: string[] };
  citizenship?: string;
  /** 010's HAENSTART-STATSBORGERSKAB. @default birthDate */
  citizenshipSince?: string;
  /** 027 records: ended citizenships (CPR LANDEKOD), `annulled` sets ANNKOR. */
  previousCitizenships?: { country: string; from: string; to: string; annulled?: boolean }[];
  civil?: { civst: string; since: string; spouse?: string };
  children?: string[];
  mother?: string;
  father?: string;
  custody?: '0003' | '0004';
  previousPnrs?: { pnr: string; to: string }[];
  events?: { at: string; code: string; derived?: string }[];
}

/** A CPR number for a birth date and serial (test-only: serials pick distinct numbers). */
export function dkPnr(birthDate: string, serial: number, sex: 'MALE' | 'FEMALE' = 'FEMALE'): string {
  return cprNumber({ birthDate, serial, sex });
}

/** A person's records, 001 first (the order CPR writes; a test may shuffle them). */
export function personRecords(p: CprPersonSpec): CprRecordInput[] {
  const out: CprRecordInput[] = [
    {
      type: '001',
      values: {
        PNR: p.pnr,
        PNRGAELD: p.pnr,
        STATUS: p.status ?? '01',
        STATUSHAENSTART: p.statusDate ? `${p.statusDate.replaceAll('-', '')}0000` : null,
        KOEN: p.sex ?? 'K',
        FOED_DT: p.birthDate,
        'START_DT-PERSON': p.birthDate,
      },
    },
  ];
  if (p.address) {
    const a = p.address;
    out.push({
      type: '002',
      values: {
        PNR: p.pnr,
        KOMKOD: a.komkod,
        VEJKOD: a.vejkod ?? '1234',
        HUSNR: a.house.padStart(3, '0'),
        ETAGE: a.floor,
        SIDEDOER: a.door,
        TILFLYDTO: `${a.since.replaceAll('-', '')}1200`,
      },
    });
    out.push({
      type: '003',
      values: {
        PNR: p.pnr,
        VEJADRNVN: a.street,
        STANDARDADR: `${a.street} ${a.house}`,
        POSTNR: a.postnr,
        POSTDISTTXT: a.district,
        KOMKOD: a.komkod,
        VEJKOD: a.vejkod ?? '1234',
        HUSNR: a.house,
      },
    });
  }
  for (const pr of p.protection ?? [])
    out.push({ type: '004', values: { PNR: p.pnr, BESKYTTYPE: pr.type, 'START_DT-BESKYTTELSE': pr.from, 'SLET_DT-BESKYTTELSE': pr.to ?? null } });
  if (p.departure)
    out.push({
      type: '005',
      values: {
        PNR: p.pnr,
        UDR_LANDEKOD: p.departure.country,
        UDRDTO: `${p.departure.on.replaceAll('-', '')}0000`,
        ...Object.fromEntries(p.departure.lines.map((l, i) => [`UDLANDADR${i + 1}`, l])),
      },
    });
  out.push({
    type: '008',
    values: {
      PNR: p.pnr,
      FORNVN: p.given ?? 'Karen',
      EFTERNVN: p.family ?? 'Jensen',
      NVNHAENSTART: `${(p.nameSince ?? p.birthDate).replaceAll('-', '')}0000`,
      ADRNVN: `${p.family ?? 'Jensen'},${p.given ?? 'Karen'}`,
    },
  });
  for (const n of p.previousNames ?? [])
    out.push({
      type: '026',
      values: {
        PNR: p.pnr,
        FORNVN: n.given,
        EFTERNVN: n.family,
        NVNHAENSTART: `${n.from.replaceAll('-', '')}0000`,
        NVNHAENSLUT: `${n.to.replaceAll('-', '')}0000`,
      },
    });
  if (p.citizenship)
    out.push({
      type: '010',
      values: { PNR: p.pnr, LANDEKOD: p.citizenship, 'HAENSTART-STATSBORGERSKAB': `${(p.citizenshipSince ?? p.birthDate).replaceAll('-', '')}0000` },
    });
  for (const c of p.previousCitizenships ?? [])
    out.push({
      type: '027',
      values: {
        PNR: p.pnr,
        ANNKOR: c.annulled ? 'A' : null,
        LANDEKOD: c.country,
        'HAENSTART-STATSBORGERSKAB': `${c.from.replaceAll('-', '')}0000`,
        'HAENSLUT-STATSBORGERSKAB': `${c.to.replaceAll('-', '')}0000`,
      },
    });
  if (p.civil)
    out.push({
      type: '012',
      values: { PNR: p.pnr, CIVST: p.civil.civst, AEGTEPNR: p.civil.spouse, 'HAENSTART-CIVILSTAND': `${p.civil.since.replaceAll('-', '')}0000` },
    });
  for (const c of p.children ?? []) out.push({ type: '014', values: { PNR: p.pnr, BARNPNR: c } });
  if (p.mother || p.father) out.push({ type: '015', values: { PNR: p.pnr, PNRMOR: p.mother, PNRFAR: p.father, MOR_DT: p.birthDate, FAR_DT: p.birthDate } });
  if (p.custody) out.push({ type: '016', values: { PNR: p.pnr, 'RELTYP-FORÆLDREMYN': p.custody, 'START_DT-FORÆLDREMYN': p.birthDate } });
  for (const old of p.previousPnrs ?? []) out.push({ type: '022', values: { PNRGÆLD: p.pnr, PNR: old.pnr, 'SLUT_DT-PERSON': old.to } });
  for (const e of p.events ?? []) out.push({ type: '099', values: { PNR: p.pnr, TIMESTAMPU: e.at, HAENDELSE: e.code, AFLEDTMRK: e.derived ?? null } });
  return out;
}

/** The start record's values of a file in a chain. */
export interface Production {
  task?: number;
  date: string;
  previous?: string | null;
}

/** A file of these persons (each person's records together), or of the records given. */
export function cprFile(production: Production, persons: (CprPersonSpec | CprRecordInput[])[], options: CprWriteOptions = {}): Buffer {
  const records = persons.flatMap((p) => (Array.isArray(p) ? p : personRecords(p)));
  return writeCprFile({ start: { OPGAVENR: production.task ?? 4711, PRODDTO: production.date, PRODDTOFORRIG: production.previous ?? null }, records }, options);
}

/** Records of several persons interleaved: the first record of each, then the second of each … */
export function interleaved(...persons: CprPersonSpec[]): CprRecordInput[] {
  const lists = persons.map(personRecords);
  const out: CprRecordInput[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}
