/**
 * The NDJSON change import for Swedish persons (README "Keeping the register current"): one JSON total
 * record a line (schema/files/person-import.schema.json: the shape of folkreg's own files,
 * person-record.schema.json, so a base extract or a notification file's Swedish part reads back as it is),
 * each checked against the schema, turned into a `PersonState` and applied by the same core as the CPR
 * ingest (`apply.ts`): one transaction per person, a difference against what is held, so a second import
 * writes nothing. A bad line refuses its person with a report line (line, JSON pointer, value, reason) and
 * the others proceed. Skatteverket's own notification format is not read: no public specification of it
 * could be sourced here.
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../db/client.js';
import { bytesSource, sourceLines, type CprByteSource, type SourceLine } from '../kernel/cpr/index.js';
import { CHANGE_EVENT_TYPES, type ChangeEventType } from '../kernel/events.js';
import { IdentifierError, parseIdentifier } from '../kernel/identifiers.js';
import { SchemaSet, type SchemaFault } from '../kernel/json-schema.js';
import { readMunicipalityCode } from '../kernel/municipalities.js';
import type { ProtectionKind } from '../kernel/protection.js';
import { registerDate } from '../kernel/register-date.js';
import type { CivilStatus, LifeStatus, RecordedSex } from '../kernel/register-codes.js';
import { applyAll, type Built } from './apply.js';
import { recordRun, type IngestOptions } from './cpr.js';
import type { IngestLine, IngestReason, IngestReport } from './report.js';
import type { AddressState, EventState, PersonState } from './state.js';

const schemaFile = (name: string) => JSON.parse(readFileSync(new URL(`../schema/files/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
/** The published schema of an import line. */
export const PERSON_IMPORT_SCHEMA_ID = 'https://folkreg.invalid/schema/files/person-import.schema.json';
let schemas: SchemaSet | undefined;
const schemaSet = () => (schemas ??= new SchemaSet([schemaFile('person-record.schema.json'), schemaFile('person-import.schema.json')]));

/** The line as the schema describes it (checked before it is read so). */
interface ImportRecord {
  identifier: string;
  name: { givenNames: string | null; middleName: string | null; familyName: string | null; addressingName: string | null; validFrom: string | null } | null;
  birthDate: string | null;
  sex: RecordedSex | null;
  status: LifeStatus | null;
  statusDate: string | null;
  civilStatus: CivilStatus | null;
  civilStatusSince: string | null;
  citizenships: string[] | null;
  protection: { kind: ProtectionKind; validFrom: string | null; validTo: string | null }[];
  address: (Partial<Record<keyof AddressState | 'countryCode' | 'emigrationDate', string | null>> & { kind: string; deliveryLines?: string[] | null }) | null;
  withheld?: string[];
  events?: { type: string; cprChangeCode: string | null; occurredAt: string | null }[];
}

/** Categories without which a line cannot replace what the register holds (its state needs them). */
const NEEDED = ['IDENTITY', 'LIFE_STATUS', 'BIRTH_DATE', 'SEX'] as const;

const shown = (value: unknown) => (value === undefined ? null : JSON.stringify(value).slice(0, 200));

function valueAt(record: unknown, pointer: string): unknown {
  let at = record;
  for (const part of pointer.split('/').slice(1)) at = (at as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return at;
}

/** One line → the person's state, or the report lines that refuse them. */
export function ndjsonPersonState(record: ImportRecord, at: { offset: number; line: number }): Built {
  const refusals: IngestLine[] = [];
  const notices: IngestLine[] = [];
  const add = (severity: IngestLine['severity'], field: string, value: unknown, reason: IngestLine['reason'], message: string) =>
    (severity === 'refused' ? refusals : notices).push({
      severity,
      pnr: record.identifier,
      offset: at.offset,
      line: at.line,
      recordType: 'PERSON',
      field,
      value: shown(value),
      reason,
      message,
    });
  const refuse = (field: string, value: unknown, reason: IngestReason, message: string) => add('refused', field, value, reason, message);

  const withheld = new Set(record.withheld ?? []);
  for (const category of NEEDED)
    if (withheld.has(category))
      refuse('/withheld', record.withheld, 'WITHHELD', `The line withholds ${category}: a masked record cannot replace the register's.`);
  let identifier: string | null = null;
  try {
    identifier = parseIdentifier(record.identifier, { country: 'SE' }).find((p) => p.kind !== 'CPR_NUMBER')?.canonical ?? null;
    if (!identifier) refuse('/identifier', record.identifier, 'BAD_PNR', 'Not a Swedish personnummer or samordningsnummer.');
  } catch (err) {
    if (!(err instanceof IdentifierError)) throw err;
    refuse('/identifier', record.identifier, 'BAD_PNR', err.message);
  }
  if (record.status === null) refuse('/status', null, 'UNKNOWN_STATUS', 'A life status is needed.');

  let address: PersonState['address'];
  let foreignAddress: PersonState['foreignAddress'];
  const a = record.address;
  if (!withheld.has('ADDRESS')) {
    if (a === null) [address, foreignAddress] = [null, null];
    else if (a.kind === 'FOREIGN') {
      address = null;
      foreignAddress = { countryCode: a.countryCode ?? 'ZZ', lines: a.deliveryLines ?? [], emigrationDate: a.emigrationDate ?? null };
    } else if (a.kind === 'REGISTERED') {
      const read = readMunicipalityCode(a.municipalityCode ?? '', 'SE');
      if ('fault' in read || read.municipality.country !== 'SE')
        refuse('/address/municipalityCode', a.municipalityCode, 'UNKNOWN_MUNICIPALITY', 'fault' in read ? read.message : 'Not a Swedish municipality.');
      else {
        const text = (k: keyof AddressState) => (a[k] === undefined ? null : a[k]);
        address = {
          municipalityCode: read.municipality.code,
          countyCode: read.municipality.countyCode ?? null,
          roadCode: text('roadCode'),
          streetName: text('streetName'),
          houseNumber: text('houseNumber'),
          floor: text('floor'),
          sideDoor: text('sideDoor'),
          buildingNumber: text('buildingNumber'),
          locality: text('locality'),
          postalCode: text('postalCode'),
          postalDistrict: text('postalDistrict'),
          careOf: text('careOf'),
          standardAddressLine: text('standardAddressLine'),
          validFrom: text('validFrom'),
        };
        foreignAddress = null;
      }
    } else add('notice', '/address/kind', a.kind, 'ADDRESS_KIND', 'A special postal address is not imported: the addresses are left as they are.');
  }

  const protections = record.protection.map((p, i) => {
    if (!p.kind.startsWith('SE_')) refuse(`/protection/${i}/kind`, p.kind, 'UNKNOWN_PROTECTION_KIND', 'Not a Swedish protection kind.');
    if (p.validFrom && p.validTo && p.validTo <= p.validFrom)
      refuse(`/protection/${i}/validTo`, p.validTo, 'EMPTY_RANGE', 'The protection ends before it starts.');
    return { kind: p.kind, validFrom: p.validFrom, validTo: p.validTo };
  });
  for (const [i, p] of protections.entries()) {
    const overlapped = protections
      .slice(0, i)
      .some(
        (q) =>
          q.kind === p.kind &&
          (q.validTo === null || p.validFrom === null || p.validFrom < q.validTo) &&
          (p.validTo === null || q.validFrom === null || q.validFrom < p.validTo),
      );
    if (overlapped) refuse(`/protection/${i}/validFrom`, p.validFrom, 'OVERLAPPING_MARKER', `Two ${p.kind} markers overlap.`);
  }

  const events: EventState[] = [];
  for (const [i, e] of (record.events ?? []).entries()) {
    if (e.type === 'PERSON_REGISTERED' || e.occurredAt === null) continue;
    if (!Object.hasOwn(CHANGE_EVENT_TYPES, e.type)) {
      add('notice', `/events/${i}/type`, e.type, 'EVENT_CODE_UNKNOWN', 'No folkreg event type of this name: not logged.');
      continue;
    }
    const occurredAt = new Date(e.occurredAt);
    events.push({ type: e.type as ChangeEventType, code: e.cprChangeCode, derived: null, occurredAt, key: `NDJSON:${e.type}:${occurredAt.toISOString()}` });
  }

  if (refusals.length > 0 || !identifier || !record.status) return { refusals };
  return {
    state: {
      country: 'SE',
      identifier,
      registeringAuthority: 'Skatteverket',
      status: record.status,
      statusDate: record.statusDate,
      sex: record.sex ?? 'UNKNOWN',
      birthDate: record.birthDate,
      ...(withheld.has('NAME') ? {} : { name: record.name }),
      ...(address !== undefined ? { address } : {}),
      ...(foreignAddress !== undefined ? { foreignAddress } : {}),
      protections,
      ...(withheld.has('CITIZENSHIP') || record.citizenships === null ? {} : { citizenships: record.citizenships }),
      ...(withheld.has('CIVIL_STATUS') ? {} : { civilStatus: { status: record.civilStatus, since: record.civilStatusSince } }),
      events,
    },
    notices,
  };
}

type Parsed = { record: ImportRecord } | { fault: IngestLine };

/** One line parsed and checked against the schema. */
function parseLine(l: SourceLine): Parsed {
  const fault = (pnr: string | null, field: string | null, value: unknown, reason: IngestReason, message: string): Parsed => ({
    fault: { severity: 'refused', pnr, offset: l.offset, line: l.line, recordType: 'PERSON', field, value: shown(value), reason, message },
  });
  let record: unknown;
  try {
    record = JSON.parse(l.text);
  } catch (err) {
    return fault(null, null, undefined, 'NOT_JSON', `Not a JSON value: ${(err as Error).message}`);
  }
  const faults: SchemaFault[] = schemaSet().faults(PERSON_IMPORT_SCHEMA_ID, record);
  const pnr = typeof (record as { identifier?: unknown })?.identifier === 'string' ? (record as { identifier: string }).identifier : null;
  if (faults.length > 0) {
    const first = faults[0]!;
    return fault(pnr, first.pointer, valueAt(record, first.pointer), 'SCHEMA', `${first.message} (${first.keyword}; person-import.schema.json)`);
  }
  return { record: record as ImportRecord };
}

/**
 * Imports one NDJSON file (README "Keeping the register current"), and records the run. A person named on
 * two lines is refused on both (which line is their state?), so a file read twice is read the same way.
 * The file is read twice, chunk by chunk (`sourceLines`): a first pass keeps only how many lines name each
 * number, the second applies each line as it comes. A source that reads from disk (the command's) keeps
 * the memory to that count, whatever the file's size (README "The NDJSON change import").
 */
export async function ingestNdjson(db: Db, file: Uint8Array | CprByteSource, options: Omit<IngestOptions, 'force'> = {}): Promise<IngestReport> {
  const today = options.today ?? registerDate();
  const source = file instanceof Uint8Array ? bytesSource(file) : file;
  // First pass: each line's person (its number as written), to find persons named twice; nothing is kept of the rest.
  const seen = new Map<string, number>();
  for (const l of sourceLines(source, 'utf8')) {
    const parsed = parseLine(l);
    const key = 'record' in parsed ? parsed.record.identifier : null;
    if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  let duplicates = 0;
  const items = function* () {
    for (const l of sourceLines(source, 'utf8')) {
      const parsed = parseLine(l);
      const origin = { offset: l.offset, line: l.line, recordType: 'PERSON' };
      if ('fault' in parsed) {
        yield { pnr: parsed.fault.pnr ?? '', origin, build: (): Built => ({ refusals: [parsed.fault] }) };
        continue;
      }
      const { record } = parsed;
      if ((seen.get(record.identifier) ?? 0) > 1) {
        duplicates += 1;
        const refusal: IngestLine = {
          severity: 'refused',
          pnr: record.identifier,
          offset: l.offset,
          line: l.line,
          recordType: 'PERSON',
          field: '/identifier',
          value: shown(record.identifier),
          reason: 'DUPLICATE_PERSON',
          message: 'The person is named on more than one line of the file: none of them is applied.',
        };
        yield { pnr: record.identifier, origin, build: (): Built => ({ refusals: [refusal] }) };
        continue;
      }
      yield { pnr: record.identifier, origin, build: () => ndjsonPersonState(record, l) };
    }
  };
  const applied = await applyAll(db, items(), { today, source: 'NDJSON' });
  // A person refused on n lines counts once.
  const personsRefused = applied.summary.personsRefused - duplicates + [...seen.values()].filter((n) => n > 1).length;
  const report: IngestReport = {
    format: 'ndjson',
    task: null,
    productionDate: null,
    previousProductionDate: null,
    accepted: true,
    repeated: false,
    forced: false,
    summary: { ...applied.summary, personsRefused },
    lines: applied.lines,
  };
  await recordRun(db, source, report, options.by);
  return report;
}
