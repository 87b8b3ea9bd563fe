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
 * in file order within each person. `indexCprFile` reads a file chunk by chunk and keeps only where each
 * person's records stand, decoding one person when asked (the ingest); `readCprFile` decodes them all.
 * Pure: no I/O; the caller reads the file (or gives a `CprByteSource` that does).
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
  /** How much of the source the reader reads at a time (tests cut records across reads with small ones). @default 1 MiB */
  readonly chunkBytes?: number;
}

/** Decode bytes as ISO-8859-1 (one byte, one character: offsets in the string are byte offsets). */
export function decodeLatin1(input: Uint8Array | string): string {
  if (typeof input === 'string') return input;
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
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

/**
 * Random access to a file's bytes: in memory (`bytesSource`), or read from disk at offsets (the ingest
 * command's, so that a file of any size is never held whole). `read` may return a view or a copy.
 */
export interface CprByteSource {
  readonly byteLength: number;
  /** Bytes `[start, end)`, `end` at most `byteLength`. */
  read(start: number, end: number): Uint8Array;
}

/** A source over bytes (or a string, read as ISO-8859-1) already in memory. */
export function bytesSource(input: Uint8Array | string): CprByteSource {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  return { byteLength: bytes.byteLength, read: (start, end) => bytes.subarray(start, end) };
}

/** The scan reads the source in chunks of this size; a record never needs more than one (the longest is 306 bytes). */
const CHUNK_BYTES = 1 << 20;

/** A sliding window over the source: `buf` holds bytes from `base` on; `pos` is the next unread byte in it. */
class Window {
  buf: Buffer = Buffer.alloc(0);
  base = 0;
  pos = 0;
  constructor(
    private readonly source: CprByteSource,
    private readonly chunkBytes: number,
  ) {}
  get eof() {
    return this.base + this.buf.length >= this.source.byteLength;
  }
  get offset() {
    return this.base + this.pos;
  }
  /** Makes at least `n` unread bytes available when the source has them; false when it has fewer. */
  ensure(n: number): boolean {
    while (this.buf.length - this.pos < n && !this.eof) this.more();
    return this.buf.length - this.pos >= n;
  }
  /** Reads the next chunk behind what is unread. */
  more(): void {
    const from = this.base + this.buf.length;
    const chunk = this.source.read(from, Math.min(this.source.byteLength, from + this.chunkBytes));
    this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    this.base += this.pos;
    this.pos = 0;
  }
}

interface Span {
  readonly offset: number;
  readonly line: number | null;
  /** The record's bytes as text (a line without its line break). */
  readonly text: string;
}

/** A line of a source: its 0-based byte offset, 1-based number and text without the line break. */
export interface SourceLine extends Span {
  readonly line: number;
}

/**
 * A source's non-blank lines (LF or CRLF), read chunk by chunk: memory is one chunk (or one line, when a
 * line is longer), whatever the source's size. CPR extracts of one record a line read so (`latin1`), and
 * the NDJSON import (`utf8`: a line break never falls inside a UTF-8 sequence).
 */
export function* sourceLines(source: CprByteSource, encoding: 'latin1' | 'utf8', chunkBytes: number = CHUNK_BYTES): Generator<SourceLine> {
  const w = new Window(source, chunkBytes);
  let line = 0;
  for (;;) {
    if (!w.ensure(1)) return;
    let lf = w.buf.indexOf(10, w.pos);
    while (lf < 0 && !w.eof) {
      const seen = w.buf.length - w.pos;
      w.more();
      lf = w.buf.indexOf(10, w.pos + seen);
    }
    line += 1;
    const stop = lf < 0 ? w.buf.length : lf;
    const end = stop > w.pos && w.buf[stop - 1] === 13 ? stop - 1 : stop;
    const body = w.buf.toString(encoding, w.pos, end);
    if (body.trim() !== '') yield { offset: w.offset, line, text: body };
    w.pos = lf < 0 ? w.buf.length : lf + 1;
  }
}

/** The file cut into record-sized spans (or faults where it cannot be cut), read chunk by chunk. */
function* spans(source: CprByteSource, shape: 'lines' | 'fixed', chunkBytes: number, problems: CprProblem[]): Generator<Span> {
  if (shape === 'lines') {
    yield* sourceLines(source, 'latin1', chunkBytes);
    return;
  }
  const w = new Window(source, chunkBytes);
  for (;;) {
    if (!w.ensure(1)) return;
    const c = w.buf[w.pos];
    if (c === 10 || c === 13) {
      w.pos += 1;
      continue;
    }
    w.ensure(13);
    const type = w.buf.toString('latin1', w.pos, Math.min(w.buf.length, w.pos + 3));
    if (!isCprRecordType(type)) {
      // Without a known type there is no length to step by: the rest of the file cannot be cut into records.
      const value = w.buf.toString('latin1', w.pos, Math.min(w.buf.length, w.pos + 13));
      problems.push({ offset: w.offset, line: null, recordType: type, field: 'RECORDTYPE', value, reason: 'UNKNOWN_RECORD_TYPE' });
      return;
    }
    const length = CPR_RECORDS[type].length;
    if (!w.ensure(length)) {
      problems.push({ offset: w.offset, line: null, recordType: type, field: null, value: null, reason: 'TRUNCATED' });
      return;
    }
    yield { offset: w.offset, line: null, text: w.buf.toString('latin1', w.pos, w.pos + length) };
    w.pos += length;
  }
}

function detectShape(source: CprByteSource): 'lines' | 'fixed' {
  // The longest record is 306 bytes: a first line longer than one chunk is no record's line.
  const head = source.read(0, Math.min(source.byteLength, CHUNK_BYTES));
  const lf = head.indexOf(10);
  if (lf < 0) return 'fixed';
  const first = decodeLatin1(head.subarray(0, lf)).replace(/\r$/, '');
  const type = first.slice(0, 3);
  if (!isCprRecordType(type)) return 'lines';
  return first.length <= CPR_RECORDS[type].length ? 'lines' : 'fixed';
}

/** The record of a span, with its problems (including text beyond its layout's length). */
function recordOf(span: Span): AnyCprRecord {
  const type = span.text.slice(0, 3) as CprRecordType;
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
  return record as AnyCprRecord;
}

/**
 * A file indexed, not decoded: the start, end and 910 records, the file's faults, and for every PNR where
 * its records stand (offset, length, line). `person(pnr)` reads and decodes one person's records when
 * asked and keeps nothing, so an ingest holds the index (about 100 bytes a person) and one person's
 * values at a time, however large the file.
 */
export interface CprFileIndex {
  readonly shape: 'lines' | 'fixed';
  readonly start: CprRecord<'000'> | null;
  readonly end: CprRecord<'999'> | null;
  /** The 000, 910 and 999 records, decoded, in file order. */
  readonly fileRecords: readonly AnyCprRecord[];
  /** Every record of the file (start and end included). */
  readonly recordCount: number;
  /** The PNRs in order of each one's first record. */
  readonly pnrs: () => IterableIterator<string>;
  readonly personCount: number;
  /** Where a person's first record (or unreadable line) stands. */
  first(pnr: string): { offset: number; line: number | null } | undefined;
  /** One person's records, read and decoded now. */
  person(pnr: string): CprPerson | undefined;
  /** As in `CprFile`. */
  readonly problems: readonly CprProblem[];
}

interface IndexEntry {
  /** (offset, length, line or -1) per record, in file order. */
  readonly spans: number[];
  /** Lines of unknown type that name this PNR. */
  problems: CprProblem[] | null;
  readonly firstOffset: number;
  readonly firstLine: number | null;
}

/** Index a CPR extract (see `CprFileIndex`). Never throws on bad input: faults are `problems`. */
export function indexCprFile(input: Uint8Array | string | CprByteSource, options: CprReadOptions = {}): CprFileIndex {
  const source = typeof input === 'string' || input instanceof Uint8Array ? bytesSource(input) : input;
  const shape = options.shape ?? detectShape(source);
  const problems: CprProblem[] = [];
  const entries = new Map<string, IndexEntry>();
  const entry = (pnr: string, span: Span) => {
    let found = entries.get(pnr);
    if (!found) entries.set(pnr, (found = { spans: [], problems: null, firstOffset: span.offset, firstLine: span.line }));
    return found;
  };
  const fileRecords: AnyCprRecord[] = [];
  let count = 0;
  let firstType: string | null = null;
  let firstAt: { offset: number; line: number | null } | null = null;
  let start: CprRecord<'000'> | null = null;
  let end: CprRecord<'999'> | null = null;
  let endIndex = 0;
  const fileProblem = (span: Span, reason: CprProblemReason, recordType: string | null, field: string | null = null, value: string | null = null) =>
    problems.push({ offset: span.offset, line: span.line, recordType, field, value, reason });

  for (const span of spans(source, shape, options.chunkBytes ?? CHUNK_BYTES, problems)) {
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
      if (/^\d{10}$/.test(pnr)) {
        const e = entry(pnr, span);
        (e.problems ??= []).push(problem);
      } else problems.push(problem);
      continue;
    }
    if (end !== null) fileProblem(span, 'END_NOT_LAST', type);
    count += 1;
    if (count === 1) {
      firstType = type;
      firstAt = span;
    }
    if (type === '000' || type === '999' || type === '910') {
      const record = recordOf(span);
      fileRecords.push(record);
      if (type === '000') {
        if (count !== 1) fileProblem(span, 'START_NOT_FIRST', type);
        else start = record as CprRecord<'000'>;
      } else if (type === '999') {
        end = record as CprRecord<'999'>;
        endIndex = count;
      }
      problems.push(...record.problems);
      continue;
    }
    const pnr = span.text.slice(3, 13).trim();
    if (!pnr) {
      fileProblem(span, 'NO_PNR', type, 'PNR', span.text.slice(3, 13));
      continue;
    }
    entry(pnr, span).spans.push(span.offset, Buffer.byteLength(span.text, 'latin1'), span.line ?? -1);
  }
  if (count === 0 && problems.length === 0) problems.push({ offset: 0, line: null, recordType: null, field: null, value: null, reason: 'EMPTY_FILE' });
  else if (count > 0) {
    if (start === null && firstType !== '000')
      problems.push({ offset: firstAt!.offset, line: firstAt!.line, recordType: firstType, field: null, value: null, reason: 'NO_START_RECORD' });
    if (end === null) {
      problems.push({ offset: source.byteLength, line: null, recordType: null, field: null, value: null, reason: 'NO_END_RECORD' });
    } else if (end.fields.TAELLER !== '' && Number(end.fields.TAELLER) !== endIndex) {
      problems.push({ offset: end.offset, line: end.line, recordType: '999', field: 'TAELLER', value: end.fields.TAELLER, reason: 'END_COUNT' });
    }
  }
  return {
    shape,
    start,
    end,
    fileRecords,
    recordCount: count,
    pnrs: () => entries.keys(),
    personCount: entries.size,
    problems,
    first(pnr) {
      const e = entries.get(pnr);
      return e && { offset: e.firstOffset, line: e.firstLine };
    },
    person(pnr) {
      const e = entries.get(pnr);
      if (!e) return undefined;
      const records: CprPersonRecord[] = [];
      const found: CprProblem[] = [...(e.problems ?? [])];
      for (let i = 0; i < e.spans.length; i += 3) {
        const offset = e.spans[i]!;
        const line = e.spans[i + 2]!;
        const text = decodeLatin1(source.read(offset, offset + e.spans[i + 1]!));
        const record = recordOf({ offset, line: line < 0 ? null : line, text }) as CprPersonRecord;
        records.push(record);
        found.push(...record.problems);
      }
      // File order, as a reader of the whole file would meet them.
      found.sort((a, b) => a.offset - b.offset);
      return { pnr, records, problems: found };
    },
  };
}

/** Read a whole CPR extract (see the module comment): `indexCprFile` with every person decoded. Never throws on bad input. */
export function readCprFile(input: Uint8Array | string, options: CprReadOptions = {}): CprFile {
  const index = indexCprFile(input, options);
  const persons = new Map<string, CprPerson>();
  for (const pnr of index.pnrs()) persons.set(pnr, index.person(pnr)!);
  const records = [...index.fileRecords, ...[...persons.values()].flatMap((p) => p.records)].sort((a, b) => a.offset - b.offset);
  return { shape: index.shape, start: index.start, end: index.end, records, persons, problems: index.problems };
}
