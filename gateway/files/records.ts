/**
 * A person as delivered in extracts and notification files: the selection read through the gateway's
 * pipeline (so every field is masked for the owner exactly as in a query), and the person as a JSON
 * total record (schema/files/person-record.schema.json) or a CSV row. A field withheld from the owner
 * is blank (JSON null, an empty CSV cell), and the record names the withheld categories.
 */
import type { GraphQLFormattedError } from 'graphql';

/** The person fields every delivery reads, as a fragment on `Person`. */
export const PERSON_FIELDS = /* GraphQL */ `
  fragment DeliveryPerson on Person {
    id
    country
    identifier {
      kind
      value
    }
    name {
      givenNames
      middleName
      familyName
      addressingName
      validFrom
    }
    birthDate
    sex
    status
    statusDate
    civilStatus
    civilStatusSince
    citizenships
    protectionMarkers {
      kind
      validFrom
      validTo
    }
    address {
      kind
      countryCode
      municipalityCode
      municipalityName
      roadCode
      streetName
      houseNumber
      floor
      sideDoor
      buildingNumber
      locality
      postalCode
      postalDistrict
      careOf
      deliveryLines
      standardAddressLine
      emigrationDate
      validFrom
    }
  }
`;

/** What the pipeline answers for `...DeliveryPerson` (every masked field null). */
export interface DeliveredPerson {
  id: string;
  country: 'SE' | 'DK';
  identifier: { kind: string; value: string | null } | null;
  name: { givenNames: string | null; middleName: string | null; familyName: string | null; addressingName: string | null; validFrom: string | null } | null;
  birthDate: string | null;
  sex: string | null;
  status: string | null;
  statusDate: string | null;
  civilStatus: string | null;
  civilStatusSince: string | null;
  citizenships: string[] | null;
  protectionMarkers: { kind: string; validFrom: string | null; validTo: string | null }[];
  address: DeliveredAddress | null;
}

export interface DeliveredAddress {
  kind: string;
  countryCode: string | null;
  municipalityCode: string | null;
  municipalityName: string | null;
  roadCode: string | null;
  streetName: string | null;
  houseNumber: string | null;
  floor: string | null;
  sideDoor: string | null;
  buildingNumber: string | null;
  locality: string | null;
  postalCode: string | null;
  postalDistrict: string | null;
  careOf: string | null;
  deliveryLines: string[] | null;
  standardAddressLine: string | null;
  emigrationDate: string | null;
  validFrom: string | null;
}

/** The JSON total record of one person (schema/files/person-record.schema.json). */
export type PersonRecord = Omit<DeliveredPerson, 'identifier' | 'protectionMarkers'> & {
  recordType: 'PERSON';
  identifier: string | null;
  identifierKind: string | null;
  protection: DeliveredPerson['protectionMarkers'];
  /** Categories withheld from the owner (their fields are null), e.g. ["ADDRESS", "NAME"]. */
  withheld: string[];
  /** Notification files only: the person's events of the file, in log order. */
  events?: EventRecord[];
};

/** An event as a notification file's JSON record carries it. */
export interface EventRecord {
  cursor: string;
  type: string;
  cprChangeCode: string | null;
  occurredAt: string | null;
  recordedAt: string;
  municipalityBefore: string | null;
  municipalityAfter: string | null;
}

/**
 * The categories withheld under `prefix` (a path into the response), from the PROTECTED_IDENTITY errors
 * the guard put at the masked fields' paths.
 */
export function withheldUnder(errors: readonly GraphQLFormattedError[] | undefined, prefix: readonly (string | number)[]): string[] {
  const found = new Set<string>();
  for (const e of errors ?? []) {
    if (e.extensions?.code !== 'PROTECTED_IDENTITY' || !e.path || e.path.length < prefix.length) continue;
    if (prefix.every((step, i) => e.path![i] === step)) found.add(String(e.extensions.category ?? 'UNKNOWN'));
  }
  return [...found].sort();
}

/** The person as its JSON total record. */
export function personRecord(p: DeliveredPerson, withheld: string[]): PersonRecord {
  return {
    recordType: 'PERSON',
    id: p.id,
    country: p.country,
    identifier: p.identifier?.value ?? null,
    identifierKind: p.identifier?.kind ?? null,
    name: p.name,
    birthDate: p.birthDate,
    sex: p.sex,
    status: p.status,
    statusDate: p.statusDate,
    civilStatus: p.civilStatus,
    civilStatusSince: p.civilStatusSince,
    citizenships: p.citizenships,
    protection: p.protectionMarkers,
    address: p.address,
    withheld,
  };
}

/** The columns of a CSV extract, in order (the header line). */
export const CSV_COLUMNS = [
  'id',
  'country',
  'identifier',
  'identifierKind',
  'givenNames',
  'middleName',
  'familyName',
  'addressingName',
  'birthDate',
  'sex',
  'status',
  'statusDate',
  'civilStatus',
  'citizenships',
  'protection',
  'addressKind',
  'municipalityCode',
  'streetName',
  'houseNumber',
  'floor',
  'sideDoor',
  'postalCode',
  'postalDistrict',
  'careOf',
  'deliveryLines',
  'withheld',
] as const;

/** One CSV line (RFC 4180: quoted when needed, CRLF). Lists are joined with `|`. */
export function csvLine(values: readonly (string | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string | null | undefined): string {
  if (value == null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The record as a CSV line of `CSV_COLUMNS`. */
export function csvRow(r: PersonRecord): string {
  const a = r.address;
  return csvLine([
    r.id,
    r.country,
    r.identifier,
    r.identifierKind,
    r.name?.givenNames,
    r.name?.middleName,
    r.name?.familyName,
    r.name?.addressingName,
    r.birthDate,
    r.sex,
    r.status,
    r.statusDate,
    r.civilStatus,
    r.citizenships?.join('|'),
    r.protection.map((m) => m.kind).join('|'),
    a?.kind,
    a?.municipalityCode,
    a?.streetName,
    a?.houseNumber,
    a?.floor,
    a?.sideDoor,
    a?.postalCode,
    a?.postalDistrict,
    a?.careOf,
    a?.deliveryLines?.join('|'),
    r.withheld.join('|'),
  ]);
}
