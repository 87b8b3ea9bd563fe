/**
 * Persons in CPR's record layout (P12170, /work/shared/reference/cpr-records.md) through kernel/cpr's
 * writer: 001 always, then the current records folkreg holds (002/003 the address, or 005 abroad; 004 per
 * Danish protection; 008 the name; 012 the civil status), then the person's 099 events. A value the
 * owner may not see is blank, as CPR blanks a protected person's fields for a private customer: the
 * record is there, its fields empty.
 *
 * CPR's records have fixed widths, and folkreg holds values CPR never would (a Swedish name, a name
 * written through the API without CPR's limits). Refusing the file for one long name would stop every
 * person's delivery; cutting silently would hand the receiver a wrong value it cannot tell from a right
 * one. So a value is fitted the way CPR fits it where CPR has a rule, else cut at the field's width, and
 * every fitted value is reported in the file's metadata (`valuesAdjusted`: how many persons, which
 * record fields and how — never the values):
 * - `abbreviated`: the addressing name (ADRNVN, 34) by CPR's rule — the full name when it fits, else the
 *   family name is kept and at least one given name (cpr.dk / CPR's customers: "the surname is kept and
 *   at least one of the names in the given name is used"): the other given and middle names become
 *   initials from the right, then are left out, until it fits;
 * - `cut`: any other value longer than its field (names 50/40/40, street 20, post district 20, …), and
 *   an addressing name that even abbreviated does not fit — CPR's own shortened street name (the address
 *   authority's vejadresseringsnavn) is chosen by hand, not by a rule folkreg could apply;
 * - `replaced`: characters ISO-8859-1 cannot hold, or control characters, written `?` (the writer
 *   refuses both, and a line break would break the record).
 */
import { CPR_RECORDS, cprDate10, cprDate12, writeCprRecords, type CprRecordInput, type CprRecordType } from '../../kernel/cpr/index.js';
import type { ValuesAdjusted } from '../../db/schema/files.js';
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

/** How the values of one record field were fitted: counts of values, never the values. */
type FieldAdjustments = ValuesAdjusted['fields'][string];

export const noAdjustments = (): ValuesAdjusted => ({ persons: 0, fields: {} });

/** `a` and `b` added up (an extract's pages, one after another). */
export function addAdjustments(a: ValuesAdjusted, b: ValuesAdjusted): ValuesAdjusted {
  const fields: Record<string, FieldAdjustments> = structuredClone(a.fields);
  for (const [key, f] of Object.entries(b.fields)) {
    const into = (fields[key] ??= { abbreviated: 0, cut: 0, replaced: 0 });
    into.abbreviated += f.abbreviated;
    into.cut += f.cut;
    into.replaced += f.replaced;
  }
  return { persons: a.persons + b.persons, fields };
}

/** Field widths by record type and name, built once (a record's `add` runs for every record written). */
const WIDTHS = new Map(Object.values(CPR_RECORDS).map((r) => [r.type, new Map(r.fields.map((f) => [f.name as string, f.length]))]));

/** What the writer would refuse in an alpha field: control characters and anything outside ISO-8859-1. */
const NOT_WRITABLE = /[^\u0020-\u007e\u00a0-\u00ff]/g;

/** Builds records, fitting each value to its field and recording how (per field and per person). */
class Records {
  readonly list: CprRecordInput[] = [];
  readonly adjusted: ValuesAdjusted = noAdjustments();
  private personAdjusted = false;

  /** The records that follow are one person's (until the next call). */
  person(): void {
    this.endPerson();
  }

  /** Closes the person's count (before the end record, or the next person). */
  endPerson(): void {
    if (this.personAdjusted) this.adjusted.persons++;
    this.personAdjusted = false;
  }

  add<T extends CprRecordType>(type: T, values: Record<string, string | number | null | undefined>): void {
    const widths = WIDTHS.get(type)!;
    const fitted: Record<string, string | number | null> = {};
    for (const [name, value] of Object.entries(values)) {
      if (value === null || value === undefined || value === '') continue;
      const text = String(value);
      const width = widths.get(name) ?? text.length;
      let fit = text.replace(NOT_WRITABLE, '?');
      if (fit !== text) this.note(type, name, 'replaced');
      if (fit.length > width) {
        const short = name === 'ADRNVN' ? abbreviateAddressingName(fit, width) : null;
        fit = short ?? fit.slice(0, width);
        this.note(type, name, short ? 'abbreviated' : 'cut');
      }
      fitted[name] = fit;
    }
    this.list.push({ type, values: fitted } as CprRecordInput);
  }

  private note(type: string, field: string, how: keyof FieldAdjustments): void {
    this.personAdjusted = true;
    (this.adjusted.fields[`${type}.${field}`] ??= { abbreviated: 0, cut: 0, replaced: 0 })[how]++;
  }
}

/**
 * CPR's addressing name for a name too long for ADRNVN: the family name and the first given name kept,
 * the other given and middle names written as initials from the right (`Hansen, Anna Marie Louise` →
 * `Hansen, Anna Marie L.` → `Hansen, Anna M. L.`), then left out from the right; null when even the
 * family name and one given name do not fit (the value is then cut). folkreg's addressing names are
 * `Family, Given Middle` (person subgraph's name writes); one without the comma has no known family name.
 */
export function abbreviateAddressingName(name: string, width: number): string | null {
  const comma = name.indexOf(', ');
  if (comma < 0) return null;
  const family = name.slice(0, comma);
  const words = name
    .slice(comma + 2)
    .split(' ')
    .filter(Boolean);
  if (words.length < 2) return null;
  const text = () => `${family}, ${words.join(' ')}`;
  for (let i = words.length - 1; i >= 1 && text().length > width; i--) words[i] = `${words[i]![0]}.`;
  while (words.length > 1 && text().length > width) words.pop();
  return text().length <= width ? text() : null;
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
  out.person();
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
): { bytes: Buffer; records: number; eventsWithoutCode: number; valuesAdjusted: ValuesAdjusted } {
  const out = new Records();
  startRecord(out, at.sequence, at.producedAt, at.previousProducedAt);
  let eventsWithoutCode = 0;
  for (const p of persons) eventsWithoutCode += personRecords(out, p.record, p.events);
  out.endPerson();
  out.add('999', { TAELLER: String(out.list.length + 1) });
  return { bytes: writeCprRecords(out.list), records: out.list.length, eventsWithoutCode, valuesAdjusted: out.adjusted };
}

/** Writes an extract in CPR's layout one page at a time: 000 before the first page, 999 after the last. */
export interface CprSectionWriter {
  section(
    persons: readonly PersonRecord[],
    at: { first: boolean; last: boolean; recordsBefore: number },
  ): { bytes: Buffer; records: number; valuesAdjusted: ValuesAdjusted };
}

/** The CPR-layout writer of an extract made at `createdAt` (its production date; a status extract has no previous one). */
export function cprExtractWriter(createdAt: Date): CprSectionWriter {
  return {
    section(persons, at) {
      const out = new Records();
      if (at.first) startRecord(out, 1, createdAt, null);
      for (const p of persons) personRecords(out, p, []);
      out.endPerson();
      if (at.last) out.add('999', { TAELLER: String(at.recordsBefore + out.list.length + 1) });
      return { bytes: writeCprRecords(out.list), records: out.list.length, valuesAdjusted: out.adjusted };
    },
  };
}
