/**
 * The CPR extract reader: bytes (ISO-8859-1) → records keyed by PNR, with every fault as a `CprProblem`
 * (offset, line, record type, field, value, reason) instead of an exception, so a caller can refuse one
 * person and go on with the rest.
 *
 * Both shapes are read: one record per line (LF or CRLF; trailing blanks may be cut, a short line is padded
 * with blanks) and fixed-length records concatenated with no line breaks. The shape is decided from the
 * first line: if it is no longer than its record type's length the file is read line by line, otherwise
 * record by record at the layout's lengths (line breaks between fixed-length records are skipped too).
 *
 * A person's records may stand anywhere in the file: `persons` groups them by the 10 characters at 4/10,
 * in file order within each person. Pure: no I/O; the caller reads the file.
 */
import { CPR_RECORDS, isCprPersonRecordType, isCprRecordType, type CprFields, type CprPersonRecordType, type CprRecordType } from './layout.js';
import type { CprProblem, CprProblemReason } from './problems.js';

/** One record as read. */
export interface CprRecord<T extends CprRecordType> {
  readonly type: T;
  /** The person's number (4/10) for person records; null for 000, 910 and 999. */
  readonly pnr: string | null;
  /** 0-based byte offset of the record's first character. */
  readonly offset: number;
  /** 1-based line number (one-record-per-line files), else null. */
  readonly line: number | null;
  /** Field values: alpha fields without their padding blanks, numeric fields as their digits ('' = blank). */
  readonly fields: CprFields<T>;
  /** Faults in this record (a person with any is refused by the ingest). */
  readonly problems: readonly CprProblem[];
}

/** Any record, narrowed by `type`. */
export type AnyCprRecord = { [T in CprRecordType]: CprRecord<T> }[CprRecordType];

/** Any person record, narrowed by `type`. */
export type CprPersonRecord = { [T in CprPersonRecordType]: CprRecord<T> }[CprPersonRecordType];

/** One person's records, wherever they stood in the file. */
export interface CprPerson {
  readonly pnr: string;
  /** The person's records in file order. */
  readonly records: readonly CprPersonRecord[];
  /** Every fault of the person's records, and lines of unknown type that name this PNR at 4/10. */
  readonly problems: readonly CprProblem[];
}

/** A whole file, read. */
export interface CprFile {
  readonly shape: 'lines' | 'fixed';
  /** The 000 start record (null when missing: then `problems` says NO_START_RECORD). */
  readonly start: CprRecord<'000'> | null;
  /** The 999 end record (null when missing). */
  readonly end: CprRecord<'999'> | null;
  /** Every record in file order (start and end included; unreadable stretches are not records). */
  readonly records: readonly AnyCprRecord[];
  /** The persons by PNR, in order of each PNR's first record. */
  readonly persons: ReadonlyMap<string, CprPerson>;
  /**
   * Faults of the file as a whole, or of records that belong to no person (start/end structure, an unknown
   * record type or a record without a PNR). Per-person faults are in each record's `problems`.
   */
  readonly problems: readonly CprProblem[];
}

/** Options of `readCprFile`. */
export interface CprReadOptions {
  /** Force a shape instead of detecting it from the first line. */
  readonly shape?: 'lines' | 'fixed';
}

/** Decode bytes as ISO-8859-1 (one byte, one character: offsets in the string are byte offsets). */
export function decodeLatin1(input: Uint8Array | string): string {
  if (typeof input === 'string') return input;
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
}

function detectShape(text: string): 'lines' | 'fixed' {
  const lf = text.indexOf('\n');
  if (lf < 0) return 'fixed';
  const first = text.slice(0, lf).replace(/\r$/, '');
  const type = first.slice(0, 3);
  if (!isCprRecordType(type)) return 'lines';
  return first.length <= CPR_RECORDS[type].length ? 'lines' : 'fixed';
}

/**
 * Decode one record's text (its type's full length, or shorter: padded with blanks) into fields, with the
 * problems of its fields. `text` must start with a known record type.
 */
export function decodeCprRecord<T extends CprRecordType>(type: T, text: string, at: { offset: number; line: number | null }): CprRecord<T> {
  const layout = CPR_RECORDS[type];
  const problems: CprProblem[] = [];
  const fields: Record<string, string> = {};
  for (const field of layout.fields) {
    const raw = text.slice(field.start - 1, field.start - 1 + field.length).padEnd(field.length, ' ');
    if (field.kind === 'N') {
      if (/^\d+$/.test(raw)) fields[field.name] = raw;
      else if (raw.trim() === '') fields[field.name] = '';
      else {
        fields[field.name] = raw;
        problems.push({ ...at, recordType: type, field: field.name, value: raw, reason: 'NOT_NUMERIC' });
      }
    } else {
      fields[field.name] = raw.replace(/ +$/, '');
    }
  }
  let pnr: string | null = null;
  if (isCprPersonRecordType(type)) {
    pnr = text.slice(3, 13).trim();
  }
  return { type, pnr, offset: at.offset, line: at.line, fields: fields as CprFields<T>, problems };
}

interface Span {
  readonly offset: number;
  readonly line: number | null;
  readonly text: string;
}

/** The file cut into record-sized spans (or faults where it cannot be cut). */
function* spans(text: string, shape: 'lines' | 'fixed', problems: CprProblem[]): Generator<Span> {
  if (shape === 'lines') {
    let offset = 0;
    let line = 0;
    while (offset < text.length) {
      line += 1;
      let lf = text.indexOf('\n', offset);
      if (lf < 0) lf = text.length;
      const end = lf > offset && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
      const body = text.slice(offset, end);
      if (body.trim() !== '') yield { offset, line, text: body };
      offset = lf + 1;
    }
    return;
  }
  let offset = 0;
  while (offset < text.length) {
    const c = text.charCodeAt(offset);
    if (c === 10 || c === 13) {
      offset += 1;
      continue;
    }
    const type = text.slice(offset, offset + 3);
    if (!isCprRecordType(type)) {
      // Without a known type there is no length to step by: the rest of the file cannot be cut into records.
      problems.push({ offset, line: null, recordType: type, field: 'RECORDTYPE', value: text.slice(offset, offset + 13), reason: 'UNKNOWN_RECORD_TYPE' });
      return;
    }
    const length = CPR_RECORDS[type].length;
    if (offset + length > text.length) {
      problems.push({ offset, line: null, recordType: type, field: null, value: null, reason: 'TRUNCATED' });
      return;
    }
    yield { offset, line: null, text: text.slice(offset, offset + length) };
    offset += length;
  }
}

/** Read a whole CPR extract (see the module comment). Never throws on bad input: faults are `problems`. */
export function readCprFile(input: Uint8Array | string, options: CprReadOptions = {}): CprFile {
  const text = decodeLatin1(input);
  const shape = options.shape ?? detectShape(text);
  const problems: CprProblem[] = [];
  const records: AnyCprRecord[] = [];
  const persons = new Map<string, { pnr: string; records: CprPersonRecord[]; problems: CprProblem[] }>();
  const person = (pnr: string) => {
    let found = persons.get(pnr);
    if (!found) persons.set(pnr, (found = { pnr, records: [], problems: [] }));
    return found;
  };
  let start: CprRecord<'000'> | null = null;
  let end: CprRecord<'999'> | null = null;
  const fileProblem = (span: Span, reason: CprProblemReason, recordType: string | null, field: string | null = null, value: string | null = null) =>
    problems.push({ offset: span.offset, line: span.line, recordType, field, value, reason });

  for (const span of spans(text, shape, problems)) {
    const type = span.text.slice(0, 3);
    if (!isCprRecordType(type)) {
      // A line of an unknown type: refuse its person when it names one, else the file.
      const problem: CprProblem = {
        offset: span.offset,
        line: span.line,
        recordType: type,
        field: 'RECORDTYPE',
        value: span.text.slice(0, 13),
        reason: 'UNKNOWN_RECORD_TYPE',
      };
      const pnr = span.text.slice(3, 13).trim();
      if (/^\d{10}$/.test(pnr)) person(pnr).problems.push(problem);
      else problems.push(problem);
      continue;
    }
    const layout = CPR_RECORDS[type];
    const record = decodeCprRecord(type, span.text, span);
    if (span.text.length > layout.length && span.text.slice(layout.length).trim() !== '') {
      (record.problems as CprProblem[]).push({
        offset: span.offset,
        line: span.line,
        recordType: type,
        field: null,
        value: span.text.slice(layout.length, layout.length + 20),
        reason: 'RECORD_TOO_LONG',
      });
    }
    if (end !== null) fileProblem(span, 'END_NOT_LAST', type);
    records.push(record as AnyCprRecord);
    if (type === '000') {
      if (records.length !== 1) fileProblem(span, 'START_NOT_FIRST', type);
      else start = record as CprRecord<'000'>;
      problems.push(...record.problems);
    } else if (type === '999') {
      end = record as CprRecord<'999'>;
      problems.push(...record.problems);
    } else if (type === '910') {
      problems.push(...record.problems);
    } else {
      const pnr = record.pnr;
      if (!pnr) {
        fileProblem(span, 'NO_PNR', type, 'PNR', span.text.slice(3, 13));
        continue;
      }
      const found = person(pnr);
      found.records.push(record as CprPersonRecord);
      found.problems.push(...record.problems);
    }
  }
  if (records.length === 0 && problems.length === 0) problems.push({ offset: 0, line: null, recordType: null, field: null, value: null, reason: 'EMPTY_FILE' });
  else if (records.length > 0) {
    if (start === null && records[0]!.type !== '000') {
      const first = records[0]!;
      problems.push({ offset: first.offset, line: first.line, recordType: first.type, field: null, value: null, reason: 'NO_START_RECORD' });
    }
    if (end === null) {
      problems.push({ offset: text.length, line: null, recordType: null, field: null, value: null, reason: 'NO_END_RECORD' });
    } else if (end.fields.TAELLER !== '' && Number(end.fields.TAELLER) !== records.indexOf(end as AnyCprRecord) + 1) {
      problems.push({ offset: end.offset, line: end.line, recordType: '999', field: 'TAELLER', value: end.fields.TAELLER, reason: 'END_COUNT' });
    }
  }
  return { shape, start, end, records, persons, problems };
}
