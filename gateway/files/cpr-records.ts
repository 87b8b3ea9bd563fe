/**
 * Persons in CPR's record layout (P12170, /work/shared/reference/cpr-records.md) through kernel/cpr's
 * writer: 001 always, then the current records folkreg holds (002/003 the address, or 005 abroad; 004 per
 * Danish protection; 008 the name; 012 the civil status), then the person's 099 events. A value the
 * owner may not see is blank, as CPR blanks a protected person's fields for a private customer: the
 * record is there, its fields empty. A value CPR's layout cannot hold (longer than its field, or outside
 * ISO-8859-1) is cut to the field and its characters outside ISO-8859-1 written `?`, and counted
 * (`adjustedValues`): the writer itself refuses such values, and a file is not refused for one name.
 */
import { CPR_RECORDS, cprDate10, cprDate12, writeCprRecords, type CprRecordInput, type CprRecordType } from '../../kernel/cpr/index.js';
import { registerDate } from '../../kernel/register-date.js';
import type { EventRecord, PersonRecord } from './records.js';

/** folkreg's life status → CPR STATUS (domain.md §4; ACTIVE as 01, active at a Danish address). */
const STATUS: Record<string, string> = { ACTIVE: '01', ANNULLED: '30', REPLACED: '60', DISAPPEARED: '70', EMIGRATED: '80', DECEASED: '90' };
/** Civil status → CPR CIVST. */
const CIVST: Record<string, string> = {
  UNMARRIED: 'U',
  MARRIED: 'G',
  DIVORCED: 'F',
  WIDOWED: 'E',
  REGISTERED_PARTNERSHIP: 'P',
  DISSOLVED_PARTNERSHIP: 'O',
  SURVIVING_PARTNER: 'L',
  DECEASED: 'D',
};
/** Danish protection kinds → CPR BESKYTTYPE. */
const BESKYTTYPE: Record<string, string> = { DK_NAME_AND_ADDRESS: '0001', DK_LOCAL_DIRECTORY: '0002', DK_MARKETING: '0003', DK_RESEARCH: '0004' };
const KOEN: Record<string, string> = { MALE: 'M', FEMALE: 'K' };

/** Builds records, fitting each value to its field (counted when it had to be cut or replaced). */
class Records {
  readonly list: CprRecordInput[] = [];
  adjusted = 0;

  add<T extends CprRecordType>(type: T, values: Record<string, string | number | null | undefined>): void {
    const lengths = new Map(CPR_RECORDS[type].fields.map((f) => [f.name as string, f.length]));
    const fitted: Record<string, string | number | null> = {};
    for (const [name, value] of Object.entries(values)) {
      if (value === null || value === undefined || value === '') continue;
      const text = String(value);
      const max = lengths.get(name) ?? text.length;
      const fit = text.replace(/[^\u0020-\u00ff]/g, '?').slice(0, max);
      if (fit !== text) this.adjusted++;
      fitted[name] = fit;
    }
    this.list.push({ type, values: fitted } as CprRecordInput);
  }
}

/** The 12-digit CPR timestamp of an instant, in the register's time zone (TIMESTAMPU). */
function timestamp12(iso: string | null): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  const day = registerDate(at);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return cprDate12(day, time);
}

const date12 = (day: string | null | undefined) => (day ? cprDate12(day) : null);
/** KOMKOD: Danish codes are stored with 3 digits, CPR writes 4. */
const komkod = (code: string | null | undefined) => (code ? code.padStart(4, '0') : null);
const digits = (value: string | null | undefined) => (value && /^\d+$/.test(value) ? value : null);

/** One person's records: 001, the current records, then the events' 099 (only events with a CPR code). */
function personRecords(out: Records, r: PersonRecord, events: readonly EventRecord[]): number {
  const pnr = r.identifier;
  const withheld = new Set(r.withheld);
  out.add('001', {
    PNR: pnr,
    PNRGAELD: pnr,
    STATUS: r.status ? STATUS[r.status] : null,
    STATUSHAENSTART: date12(r.statusDate),
    KOEN: r.sex ? KOEN[r.sex] : null,
    FOED_DT: cprDate10(r.birthDate),
  });
  const a = r.address;
  if (a && a.kind === 'FOREIGN') {
    out.add('005', {
      PNR: pnr,
      UDRDTO: date12(a.emigrationDate),
      ...Object.fromEntries((a.deliveryLines ?? []).slice(0, 5).map((line, i) => [`UDLANDADR${i + 1}`, line])),
    });
  } else if (a || withheld.has('ADDRESS')) {
    // Withheld: the records stand with every address field blank (CPR's way for a protected address).
    const place = {
      KOMKOD: komkod(a?.municipalityCode),
      VEJKOD: digits(a?.roadCode),
      HUSNR: a?.houseNumber,
      ETAGE: a?.floor,
      SIDEDOER: a?.sideDoor,
      BNR: a?.buildingNumber,
      CONVN: a?.careOf,
    };
    out.add('002', { PNR: pnr, ...place, TILFLYDTO: date12(a?.validFrom) });
    out.add('003', {
      PNR: pnr,
      ...place,
      ADRNVN: r.name?.addressingName,
      LOKALITET: a?.locality,
      STANDARDADR: a?.standardAddressLine,
      POSTNR: digits(a?.postalCode),
      POSTDISTTXT: a?.postalDistrict,
      VEJADRNVN: a?.streetName,
    });
  }
  for (const m of r.protection) {
    const type = BESKYTTYPE[m.kind];
    if (type) out.add('004', { PNR: pnr, BESKYTTYPE: type, 'START_DT-BESKYTTELSE': cprDate10(m.validFrom), 'SLET_DT-BESKYTTELSE': cprDate10(m.validTo) });
  }
  if (r.name || withheld.has('NAME')) {
    out.add('008', {
      PNR: pnr,
      FORNVN: r.name?.givenNames,
      MELNVN: r.name?.middleName,
      EFTERNVN: r.name?.familyName,
      NVNHAENSTART: date12(r.name?.validFrom),
      ADRNVN: r.name?.addressingName,
    });
  }
  if (r.civilStatus || withheld.has('CIVIL_STATUS')) {
    out.add('012', { PNR: pnr, CIVST: r.civilStatus ? CIVST[r.civilStatus] : null, 'HAENSTART-CIVILSTAND': date12(r.civilStatusSince) });
  }
  let withoutCode = 0;
  for (const e of events) {
    if (!e.cprChangeCode) {
      withoutCode++;
      continue;
    }
    out.add('099', { PNR: pnr, TIMESTAMPU: timestamp12(e.recordedAt), HAENDELSE: e.cprChangeCode });
  }
  return withoutCode;
}

function startRecord(out: Records, sequence: number, producedAt: Date, previous: Date | null): void {
  out.add('000', {
    OPGAVENR: String(sequence % 1_000_000),
    PRODDTO: registerDate(producedAt).replaceAll('-', ''),
    PRODDTOFORRIG: previous ? registerDate(previous).replaceAll('-', '') : null,
  });
}

/** A whole notification file's CPR part: 000, every Danish person with their events, 999 with the count. */
export function cprNotificationFile(
  persons: readonly { record: PersonRecord; events: readonly EventRecord[] }[],
  at: { sequence: number; producedAt: Date; previousProducedAt: Date | null },
): { bytes: Buffer; records: number; eventsWithoutCode: number; adjustedValues: number } {
  const out = new Records();
  startRecord(out, at.sequence, at.producedAt, at.previousProducedAt);
  let eventsWithoutCode = 0;
  for (const p of persons) eventsWithoutCode += personRecords(out, p.record, p.events);
  out.add('999', { TAELLER: String(out.list.length + 1) });
  return { bytes: writeCprRecords(out.list), records: out.list.length, eventsWithoutCode, adjustedValues: out.adjusted };
}

/** Writes an extract in CPR's layout one page at a time: 000 before the first page, 999 after the last. */
export interface CprSectionWriter {
  section(persons: readonly PersonRecord[], at: { first: boolean; last: boolean; recordsBefore: number }): { bytes: Buffer; records: number };
}

/** The CPR-layout writer of an extract made at `createdAt` (its production date; a status extract has no previous one). */
export function cprExtractWriter(createdAt: Date): CprSectionWriter {
  return {
    section(persons, at) {
      const out = new Records();
      if (at.first) startRecord(out, 1, createdAt, null);
      for (const p of persons) personRecords(out, p, []);
      if (at.last) out.add('999', { TAELLER: String(at.recordsBefore + out.list.length + 1) });
      return { bytes: writeCprRecords(out.list), records: out.list.length };
    },
  };
}
