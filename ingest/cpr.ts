/**
 * CPR change extracts (ændringsudtræk, layout P12170): the file read with kernel/cpr, each person's
 * records turned into a `PersonState` and applied in a transaction of their own (`apply.ts`). A person
 * with a bad record is refused with a report line and nothing of theirs is written; the others proceed.
 * The start record's previous production date must be the last one read for the task, unless forced.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { ingestedExtracts, ingestRuns } from '../db/schema/index.js';
import {
  bytesSource,
  indexCprFile,
  parseCprDate,
  type CprByteSource,
  type CprPerson,
  type CprPersonRecord,
  type CprProblem,
  type CprRecord,
} from '../kernel/cpr/index.js';
import { CHANGE_EVENT_TYPES, type ChangeEventType } from '../kernel/events.js';
import { parseIdentifier } from '../kernel/identifiers.js';
import { readMunicipalityCode } from '../kernel/municipalities.js';
import type { ProtectionKind } from '../kernel/protection.js';
import { registerDate } from '../kernel/register-date.js';
import type { CivilStatus, LifeStatus } from '../kernel/register-codes.js';
import { applyAll, type Built } from './apply.js';
import type { IngestLine, IngestReason, IngestReport } from './report.js';
import type { AddressState, CitizenshipPeriodState, EventState, NameState, PersonState, RelationState, RelativeRef } from './state.js';

/** CPR STATUS (001) → life status (domain.md §3). */
const STATUS: Readonly<Record<string, LifeStatus>> = {
  '01': 'ACTIVE',
  '03': 'ACTIVE',
  '05': 'ACTIVE',
  '07': 'ACTIVE',
  '20': 'ACTIVE',
  '30': 'ANNULLED',
  '50': 'ANNULLED',
  '60': 'REPLACED',
  '70': 'DISAPPEARED',
  '80': 'EMIGRATED',
  '90': 'DECEASED',
};

/** CPR BESKYTTYPE (004) → protection kind. */
const PROTECTION: Readonly<Record<string, ProtectionKind>> = {
  '0001': 'DK_NAME_AND_ADDRESS',
  '0002': 'DK_LOCAL_DIRECTORY',
  '0003': 'DK_MARKETING',
  '0004': 'DK_RESEARCH',
};

/** CPR CIVST (012, 029) → civil status. */
const CIVIL: Readonly<Record<string, CivilStatus>> = {
  U: 'UNMARRIED',
  G: 'MARRIED',
  F: 'DIVORCED',
  E: 'WIDOWED',
  P: 'REGISTERED_PARTNERSHIP',
  O: 'DISSOLVED_PARTNERSHIP',
  L: 'SURVIVING_PARTNER',
  D: 'DECEASED',
};

/**
 * CPR's country codes (LANDEKOD, UDR_LANDEKOD: CPR's own 4-digit list, not ISO 3166). Only Denmark's is
 * known here; the full list could not be sourced (no network), so any other code is a report notice and
 * the part that needs it is left as it is (citizenship) or stored with ISO's user-assigned `ZZ` (a
 * foreign address).
 */
const COUNTRY: Readonly<Record<string, string>> = { '5100': 'DK' };

/**
 * CPR event codes (099 HAENDELSE) → change-event types: each type's own code (kernel/events.ts) and the
 * codes CPR uses for variants of the same change. Other codes are reported and not logged.
 */
const EVENT_TYPE_OF_CODE: Readonly<Record<string, ChangeEventType>> = {
  ...Object.fromEntries(Object.entries(CHANGE_EVENT_TYPES).flatMap(([type, code]) => (code ? [[code, type as ChangeEventType]] : []))),
  A07: 'ADDRESS_CORRECTION',
  A10: 'ADDRESS_CORRECTION',
  A14: 'NAME_CHANGE',
  A15: 'NAME_CHANGE',
  A16: 'NAME_CHANGE',
  A17: 'NAME_CHANGE',
  P31: 'IMMIGRATION',
};

/** Options of an ingest. */
export interface IngestOptions {
  /** Accept a file whose previous production date is not the last one read (`--force`). */
  readonly force?: boolean;
  /** The register's date; tests pin it. @default registerDate() */
  readonly today?: string;
  /** Who runs the ingest, for its audit row (`ingest_runs`). @default { subject: 'cli:<OS user>', client: null } */
  readonly by?: { readonly subject: string; readonly client: string | null };
}

const blankToNull = (v: string | undefined) => {
  const t = (v ?? '').trim();
  return t === '' ? null : t;
};

/** One person's records → their state, or the report lines that refuse them. */
export function cprPersonState(person: CprPerson): Built {
  const refusals: IngestLine[] = [];
  const notices: IngestLine[] = [];
  const line = (
    severity: 'refused' | 'notice',
    r: Pick<CprProblem, 'offset' | 'line' | 'recordType'>,
    field: string | null,
    value: string | null,
    reason: IngestLine['reason'],
    message: string,
  ) =>
    (severity === 'refused' ? refusals : notices).push({
      severity,
      pnr: person.pnr,
      offset: r.offset,
      line: r.line,
      recordType: r.recordType,
      field,
      value,
      reason,
      message,
    });
  const refuse = (r: CprPersonRecord, field: string | null, value: string | null, reason: IngestReason, message: string) =>
    line('refused', { offset: r.offset, line: r.line, recordType: r.type }, field, value, reason, message);
  for (const p of person.problems) line('refused', p, p.field, p.value, p.reason, 'The record does not fit the layout.');
  if (refusals.length > 0) return { refusals };

  const of = <T extends CprPersonRecord['type']>(type: T) => person.records.filter((r): r is Extract<CprPersonRecord, { type: T }> => r.type === type);
  const date = (r: CprPersonRecord, field: string, value: string): string | null => {
    const parsed = parseCprDate(value);
    if (parsed === undefined) {
      refuse(r, field, value, 'BAD_DATE', 'Not a date (YYYY-MM-DD or YYYYMMDDHHmm; zeros or blanks for none).');
      return null;
    }
    return parsed?.date ?? null;
  };
  const cprNumber = (r: CprPersonRecord, field: string, value: string): string | null => {
    try {
      return parseIdentifier(value, { country: 'DK' }).find((p) => p.kind === 'CPR_NUMBER')?.canonical ?? null;
    } catch {
      refuse(r, field, value, 'BAD_PNR', 'Not a CPR number.');
      return null;
    }
  };
  const relative = (r: CprPersonRecord, field: string, pnr: string, name: string | null, birthDate: string | null): RelativeRef | null => {
    if (blankToNull(pnr) === null || /^0+$/.test(pnr.trim())) return name || birthDate ? { identifier: null, name, birthDate } : null;
    const identifier = cprNumber(r, field, pnr.trim());
    if (!identifier) return null;
    const parsed = parseIdentifier(identifier, { country: 'DK' })[0];
    return { identifier, name, birthDate: birthDate ?? parsed?.birthDate ?? null };
  };

  const own = cprNumber(person.records[0]!, 'PNR', person.pnr);
  const [main, ...extra] = of('001');
  if (!main) {
    const first = person.records[0]!;
    refuse(first, null, null, 'NO_PERSON_RECORD', 'The person has records but no 001 record.');
    return { refusals };
  }
  for (const r of extra) refuse(r, null, null, 'NO_PERSON_RECORD', 'A second 001 record for the same PNR.');
  const f = main.fields;
  const status = STATUS[f.STATUS];
  if (!status) refuse(main, 'STATUS', f.STATUS, 'UNKNOWN_STATUS', 'Not a CPR status code.');
  const current = blankToNull(f.PNRGAELD) && f.PNRGAELD.trim() !== person.pnr ? cprNumber(main, 'PNRGAELD', f.PNRGAELD.trim()) : own;
  const birthDate = date(main, 'FOED_DT', f.FOED_DT) ?? (own ? (parseIdentifier(own, { country: 'DK' })[0]?.birthDate ?? null) : null);
  let statusDate = date(main, 'STATUSHAENSTART', f.STATUSHAENSTART);

  const previousIdentifiers: { value: string; validFrom: string | null; validTo: string | null }[] = [];
  if (own && current && own !== current) previousIdentifiers.push({ value: own, validFrom: null, validTo: date(main, 'SLUT_DT-PERSON', f['SLUT_DT-PERSON']) });
  for (const r of of('022')) {
    const value = cprNumber(r, 'PNR', r.fields.PNR.trim());
    if (value && value !== current && !previousIdentifiers.some((p) => p.value === value))
      previousIdentifiers.push({
        value,
        validFrom: date(r, 'START_DT-PERSON', r.fields['START_DT-PERSON']),
        validTo: date(r, 'SLUT_DT-PERSON', r.fields['SLUT_DT-PERSON']),
      });
  }

  // 002 and 003: the registered address with its Danish fields (003 fills what 002 has not).
  let address: AddressState | null = null;
  const [a2] = of('002');
  const [a3] = of('003');
  if (a2 || a3) {
    const komkod = a2?.fields.KOMKOD || a3?.fields.KOMKOD || '';
    const read = readMunicipalityCode(komkod, 'DK');
    if ('fault' in read) refuse((a2 ?? a3)!, 'KOMKOD', komkod, 'UNKNOWN_MUNICIPALITY', read.message);
    else {
      const pick = (k2: string | undefined, k3: string | undefined) => blankToNull(k2) ?? blankToNull(k3);
      address = {
        municipalityCode: read.municipality.code,
        countyCode: read.municipality.countyCode ?? null,
        roadCode: pick(a2?.fields.VEJKOD, a3?.fields.VEJKOD),
        streetName: blankToNull(a3?.fields.VEJADRNVN),
        houseNumber: pick(a2?.fields.HUSNR, a3?.fields.HUSNR)?.replace(/^0+(?=\d)/, '') ?? null,
        floor: pick(a2?.fields.ETAGE, a3?.fields.ETAGE),
        sideDoor: pick(a2?.fields.SIDEDOER, a3?.fields.SIDEDOER),
        buildingNumber: pick(a2?.fields.BNR, a3?.fields.BNR),
        locality: blankToNull(a3?.fields.LOKALITET),
        postalCode: blankToNull(a3?.fields.POSTNR),
        postalDistrict: blankToNull(a3?.fields.POSTDISTTXT),
        careOf: pick(a2?.fields.CONVN, a3?.fields.CONVN),
        standardAddressLine: blankToNull(a3?.fields.STANDARDADR),
        validFrom: a2 ? date(a2, 'TILFLYDTO', a2.fields.TILFLYDTO) : null,
      };
    }
  }
  if (address?.roadCode && /^0+$/.test(address.roadCode)) address = { ...address, roadCode: null };

  // 005: emigration and the foreign address.
  const [departure] = of('005');
  let foreignAddress: PersonState['foreignAddress'] = null;
  if (departure) {
    const d = departure.fields;
    let countryCode = COUNTRY[d.UDR_LANDEKOD];
    if (!countryCode) {
      line(
        'notice',
        { offset: departure.offset, line: departure.line, recordType: '005' },
        'UDR_LANDEKOD',
        d.UDR_LANDEKOD,
        'COUNTRY_CODE_UNKNOWN',
        'CPR country code not in folkreg’s list: stored as ZZ.',
      );
      countryCode = 'ZZ';
    }
    const lines = [d.UDLANDADR1, d.UDLANDADR2, d.UDLANDADR3, d.UDLANDADR4, d.UDLANDADR5].map((l) => l.trim()).filter(Boolean);
    foreignAddress = { countryCode, lines, emigrationDate: date(departure, 'UDRDTO', d.UDRDTO) };
  }

  // 007: the day of a disappearance, when 001 gives none.
  const [gone] = of('007');
  if (gone && status === 'DISAPPEARED' && !statusDate) statusDate = date(gone, 'FORSVINDDTO', gone.fields.FORSVINDDTO);

  // 008 and 026: the current name and the previous ones (annulled or corrected history, ANNKOR, skipped).
  const [n8] = of('008');
  const name: NameState | null = n8
    ? {
        givenNames: blankToNull(n8.fields.FORNVN),
        middleName: blankToNull(n8.fields.MELNVN),
        familyName: blankToNull(n8.fields.EFTERNVN),
        addressingName: blankToNull(n8.fields.ADRNVN),
        validFrom: date(n8, 'NVNHAENSTART', n8.fields.NVNHAENSTART),
      }
    : null;
  const previousNames: NameState[] = of('026')
    .filter((r) => blankToNull(r.fields.ANNKOR) === null)
    .map((r) => ({
      givenNames: blankToNull(r.fields.FORNVN),
      middleName: blankToNull(r.fields.MELNVN),
      familyName: blankToNull(r.fields.EFTERNVN),
      addressingName: null,
      validFrom: date(r, 'NVNHAENSTART', r.fields.NVNHAENSTART),
      validTo: date(r, 'NVNHAENSLUT', r.fields.NVNHAENSLUT),
    }));

  // 004: protection, bounded by its start and deletion dates.
  const protections: { kind: ProtectionKind; validFrom: string | null; validTo: string | null }[] = [];
  for (const r of of('004')) {
    const kind = PROTECTION[r.fields.BESKYTTYPE];
    if (!kind) {
      refuse(r, 'BESKYTTYPE', r.fields.BESKYTTYPE, 'UNKNOWN_PROTECTION_KIND', 'Not a CPR protection type (0001–0004).');
      continue;
    }
    const validFrom = date(r, 'START_DT-BESKYTTELSE', r.fields['START_DT-BESKYTTELSE']);
    const validTo = date(r, 'SLET_DT-BESKYTTELSE', r.fields['SLET_DT-BESKYTTELSE']);
    if (validFrom && validTo && validTo <= validFrom)
      refuse(r, 'SLET_DT-BESKYTTELSE', r.fields['SLET_DT-BESKYTTELSE'], 'EMPTY_RANGE', 'The protection ends before it starts.');
    protections.push({ kind, validFrom, validTo });
  }

  // 010: the current citizenships, each from its HAENSTART; 027: the ended ones (annulled or corrected, ANNKOR, skipped).
  let citizenships: string[] | undefined = [];
  const citizenshipPeriods: CitizenshipPeriodState[] = [];
  const unknownCountry = (r: Extract<CprPersonRecord, { type: '010' | '027' }>, what: string) =>
    line(
      'notice',
      { offset: r.offset, line: r.line, recordType: r.type },
      'LANDEKOD',
      r.fields.LANDEKOD,
      'COUNTRY_CODE_UNKNOWN',
      `CPR country code not in folkreg’s list: ${what}.`,
    );
  for (const r of of('010')) {
    const code = COUNTRY[r.fields.LANDEKOD];
    const validFrom = date(r, 'HAENSTART-STATSBORGERSKAB', r.fields['HAENSTART-STATSBORGERSKAB']);
    if (code) {
      citizenships?.push(code);
      citizenshipPeriods.push({ country: code, validFrom, validTo: null });
    } else {
      unknownCountry(r, 'citizenship left as it is');
      citizenships = undefined;
    }
  }
  for (const r of of('027')) {
    if (blankToNull(r.fields.ANNKOR) !== null) continue;
    const validFrom = date(r, 'HAENSTART-STATSBORGERSKAB', r.fields['HAENSTART-STATSBORGERSKAB']);
    const validTo = date(r, 'HAENSLUT-STATSBORGERSKAB', r.fields['HAENSLUT-STATSBORGERSKAB']);
    if (validTo === null) {
      if (blankToNull(r.fields['HAENSLUT-STATSBORGERSKAB']) === null || /^0+$/.test(r.fields['HAENSLUT-STATSBORGERSKAB']))
        refuse(r, 'HAENSLUT-STATSBORGERSKAB', r.fields['HAENSLUT-STATSBORGERSKAB'], 'BAD_DATE', 'A historical citizenship needs the day it ended.');
      continue;
    }
    if (validFrom && validTo <= validFrom) {
      refuse(r, 'HAENSLUT-STATSBORGERSKAB', r.fields['HAENSLUT-STATSBORGERSKAB'], 'EMPTY_RANGE', 'The citizenship ends before it starts.');
      continue;
    }
    const code = COUNTRY[r.fields.LANDEKOD];
    if (code) citizenshipPeriods.push({ country: code, validFrom, validTo });
    else unknownCountry(r, 'this earlier citizenship is not recorded');
  }

  // 012 (current) and 029 (history): civil status and the spouse or partner.
  const relations: RelationState[] = [];
  let civilStatus: PersonState['civilStatus'] = { status: null, since: null, partner: null };
  const [c12] = of('012');
  const partnerKind = (civst: string) => (civst === 'G' ? 'SPOUSE' : civst === 'P' ? 'REGISTERED_PARTNER' : null);
  if (c12) {
    const c = c12.fields;
    const cs = CIVIL[c.CIVST];
    if (!cs) refuse(c12, 'CIVST', c.CIVST, 'UNKNOWN_CIVIL_STATUS', 'Not a CPR civil status (U G F E P O L D).');
    const since = date(c12, 'HAENSTART-CIVILSTAND', c['HAENSTART-CIVILSTAND']);
    const partner = relative(c12, 'AEGTEPNR', c.AEGTEPNR, blankToNull(c.AEGTENVN), date(c12, 'AEGTEFOED_DT', c.AEGTEFOED_DT));
    civilStatus = { status: cs ?? null, since, partner };
    const kind = partnerKind(c.CIVST);
    if (kind && partner) relations.push({ kind, relative: partner, validFrom: since });
  }
  for (const r of of('029')) {
    const c = r.fields;
    if (blankToNull(c.ANNKOR) !== null) continue;
    if (!CIVIL[c.CIVST]) refuse(r, 'CIVST', c.CIVST, 'UNKNOWN_CIVIL_STATUS', 'Not a CPR civil status (U G F E P O L D).');
    const kind = partnerKind(c.CIVST);
    const partner = relative(r, 'AEGTEPNR', c.AEGTEPNR, blankToNull(c.AEGTENVN), date(r, 'AEGTEFOED_DT', c.AEGTEFOED_DT));
    const validFrom = date(r, 'HAENSTART-CIVILSTAND', c['HAENSTART-CIVILSTAND']);
    const validTo = date(r, 'HAENSLUT-CIVILSTAND', c['HAENSLUT-CIVILSTAND']);
    if (kind && partner && validTo) relations.push({ kind, relative: partner, validFrom, validTo });
  }

  // 014 children, 015 parents, 016 custody.
  for (const r of of('014')) {
    const child = relative(r, 'BARNPNR', r.fields.BARNPNR, null, null);
    if (child) relations.push({ kind: 'CHILD', relative: child, validFrom: child.birthDate });
  }
  let mother: RelativeRef | null = null;
  let father: RelativeRef | null = null;
  for (const r of of('015')) {
    const p = r.fields;
    mother = relative(r, 'PNRMOR', p.PNRMOR, blankToNull(p.MORNVN), date(r, 'MOR_FOED_DT', p.MOR_FOED_DT));
    father = relative(r, 'PNRFAR', p.PNRFAR, blankToNull(p.FARNVN), date(r, 'FAR_FOED_DT', p.FAR_FOED_DT));
    if (mother) relations.push({ kind: 'MOTHER', relative: mother, validFrom: date(r, 'MOR_DT', p.MOR_DT) ?? birthDate });
    if (father) relations.push({ kind: 'FATHER', relative: father, validFrom: date(r, 'FAR_DT', p.FAR_DT) ?? birthDate });
  }
  for (const r of of('016')) {
    const c = r.fields;
    const type = c['RELTYP-FORÆLDREMYN'];
    const holder = type === '0003' ? mother : type === '0004' ? father : relative(r, 'RELPNR', c.RELPNR, null, null);
    const validFrom = date(r, 'START_DT-FORÆLDREMYN', c['START_DT-FORÆLDREMYN']);
    const validTo = date(r, 'SLET_DT-FORÆLDREMYN', c['SLET_DT-FORÆLDREMYN']);
    if (!holder) {
      line(
        'notice',
        { offset: r.offset, line: r.line, recordType: '016' },
        'RELTYP-FORÆLDREMYN',
        type,
        'CONSTRAINT',
        'The custody holder is not named (no parent record or RELPNR): not applied.',
      );
      continue;
    }
    relations.push({ kind: 'CUSTODY_HOLDER', relative: holder, validFrom, ...(validTo ? { validTo } : {}) });
  }

  // 099: events, kept once per person by their timestamp, code and derived marker.
  const events: EventState[] = [];
  for (const r of of('099')) {
    const e = r.fields;
    const code = e.HAENDELSE.trim();
    const when = parseCprDate(e.TIMESTAMPU);
    if (when === undefined) {
      refuse(r, 'TIMESTAMPU', e.TIMESTAMPU, 'BAD_DATE', 'Not a timestamp (YYYYMMDDHHmm).');
      continue;
    }
    const type = EVENT_TYPE_OF_CODE[code];
    if (!type) {
      line(
        'notice',
        { offset: r.offset, line: r.line, recordType: '099' },
        'HAENDELSE',
        code,
        'EVENT_CODE_UNKNOWN',
        'No folkreg event type for this CPR code: not logged.',
      );
      continue;
    }
    const occurredAt = when ? new Date(`${when.date}T${when.time ?? '00:00'}:00Z`) : new Date();
    events.push({ type, code, derived: blankToNull(e.AFLEDTMRK), occurredAt, key: `CPR:${e.TIMESTAMPU}:${code}:${e.AFLEDTMRK.trim()}` });
  }

  if (refusals.length > 0 || !own || !current || !status) return { refusals };
  const sex = f.KOEN === 'M' ? 'MALE' : f.KOEN === 'K' ? 'FEMALE' : 'UNKNOWN';
  return {
    state: {
      country: 'DK',
      identifier: current,
      registeringAuthority: 'CPR-kontoret',
      status,
      statusDate,
      sex,
      birthDate,
      previousIdentifiers,
      name,
      previousNames,
      address,
      foreignAddress,
      protections,
      citizenships,
      citizenshipPeriods,
      civilStatus,
      relations,
      events,
    },
    notices,
  };
}

export const EMPTY_SUMMARY = { personsCreated: 0, personsUpdated: 0, personsUnchanged: 0, personsRefused: 0, eventsWritten: 0 };

/** The chain check: the last production date read for this source and task, and whether this one was read. */
export async function checkChain(
  db: Db,
  source: 'CPR' | 'NDJSON',
  task: string,
  productionDate: string,
  previous: string | null,
): Promise<{ repeated: boolean; fault: { reason: 'CHAIN_BROKEN' | 'OUT_OF_ORDER'; message: string; value: string | null } | null }> {
  const rows = await db
    .select({ productionDate: ingestedExtracts.productionDate })
    .from(ingestedExtracts)
    .where(and(eq(ingestedExtracts.source, source), eq(ingestedExtracts.task, task)));
  if (rows.some((r) => r.productionDate === productionDate)) return { repeated: true, fault: null };
  const last =
    rows
      .map((r) => r.productionDate)
      .sort()
      .at(-1) ?? null;
  if (last === null) return { repeated: false, fault: null };
  if (productionDate < last)
    return {
      repeated: false,
      fault: {
        reason: 'OUT_OF_ORDER',
        message: `The file was produced on ${productionDate}, before the last file read for task ${task} (${last}).`,
        value: productionDate,
      },
    };
  if (previous !== last)
    return {
      repeated: false,
      fault: {
        reason: 'CHAIN_BROKEN',
        message: `The file follows the one of ${previous ?? 'no date'}, but the last file read for task ${task} is of ${last}: one is missing.`,
        value: previous,
      },
    };
  return { repeated: false, fault: null };
}

/** Records a file as read (a repeated file keeps its first summary). */
export async function recordExtract(db: Db, row: typeof ingestedExtracts.$inferInsert): Promise<void> {
  await db.insert(ingestedExtracts).values(row).onConflictDoNothing();
}

/** The SHA-256 and size of a file, read chunk by chunk. */
function fingerprint(source: CprByteSource): { sha256: string; bytes: number } {
  const hash = createHash('sha256');
  for (let at = 0; at < source.byteLength; at += 1 << 20) hash.update(source.read(at, Math.min(source.byteLength, at + (1 << 20))));
  return { sha256: hash.digest('hex'), bytes: source.byteLength };
}

/** Writes the audit row of a run (README "Keeping the register current", "Audit"). */
export async function recordRun(db: Db, file: Uint8Array | CprByteSource, report: IngestReport, by: IngestOptions['by']): Promise<void> {
  const { sha256, bytes } = fingerprint(file instanceof Uint8Array ? bytesSource(file) : file);
  await db.insert(ingestRuns).values({
    subject: by?.subject ?? `cli:${userInfo().username}`,
    client: by?.client ?? null,
    format: report.format,
    fileSha256: sha256,
    fileBytes: bytes,
    task: report.task,
    productionDate: report.productionDate,
    accepted: report.accepted,
    forced: report.forced,
    summary: report.summary,
  });
}

/**
 * Ingests one CPR change extract (README "Keeping the register current"), and records the run. The file
 * is indexed, and each person's records read and decoded only when their turn comes (`indexCprFile`):
 * a source that reads from disk keeps the memory to the index, whatever the file's size.
 */
export async function ingestCpr(db: Db, file: Uint8Array | CprByteSource, options: IngestOptions = {}): Promise<IngestReport> {
  const report = await ingestCprFile(db, file, options);
  await recordRun(db, file, report, options.by);
  return report;
}

async function ingestCprFile(db: Db, input: Uint8Array | CprByteSource, options: IngestOptions): Promise<IngestReport> {
  const today = options.today ?? registerDate();
  const file = indexCprFile(input);
  const startFields = file.start?.fields;
  const task = startFields ? startFields.OPGAVENR : null;
  const productionDate = startFields ? (parseCprDate(startFields.PRODDTO)?.date ?? null) : null;
  const previousProductionDate = startFields ? (parseCprDate(startFields.PRODDTOFORRIG)?.date ?? null) : null;
  const base = { format: 'cpr' as const, task, productionDate, previousProductionDate, forced: Boolean(options.force) };
  const fileLine = (p: Pick<CprProblem, 'offset' | 'line' | 'recordType' | 'field' | 'value'>, reason: IngestLine['reason'], message: string): IngestLine => ({
    severity: 'refused',
    pnr: null,
    ...p,
    reason,
    message,
  });
  const refused = (lines: IngestLine[]): IngestReport => ({ ...base, accepted: false, repeated: false, summary: EMPTY_SUMMARY, lines });
  if (file.problems.length > 0) return refused(file.problems.map((p) => fileLine(p, p.reason, 'The file does not fit the layout: nothing was applied.')));
  const start = file.start as CprRecord<'000'>;
  if (!task || !productionDate) {
    const field = !task ? 'OPGAVENR' : 'PRODDTO';
    return refused([
      fileLine(
        { offset: start.offset, line: start.line, recordType: '000', field, value: start.fields[field] },
        'BAD_DATE',
        'The start record needs a task number and a production date.',
      ),
    ]);
  }
  const chain = await checkChain(db, 'CPR', task, productionDate, previousProductionDate);
  if (chain.fault && !options.force)
    return refused([
      fileLine(
        { offset: start.offset, line: start.line, recordType: '000', field: 'PRODDTOFORRIG', value: chain.fault.value },
        chain.fault.reason,
        `${chain.fault.message} Ingest it with --force to accept it anyway.`,
      ),
    ]);
  const items = function* () {
    for (const pnr of file.pnrs()) {
      const first = file.first(pnr)!;
      yield { pnr, origin: { ...first, recordType: '001' }, build: () => cprPersonState(file.person(pnr)!) };
    }
  };
  const { lines, summary } = await applyAll(db, items(), { today, source: 'CPR' });
  await recordExtract(db, { source: 'CPR', task, productionDate, previousProductionDate, summary });
  return { ...base, accepted: true, repeated: chain.repeated, summary, lines };
}
