/**
 * The CPR extract writer: values → records → a file (ISO-8859-1 bytes), in either shape the reader reads.
 * Alpha fields are padded with blanks on the right, numeric fields with zeros on the left; a field left out
 * is blank (alpha) or zeros (numeric). RECORDTYPE is always the record's type. A value that does not fit
 * throws a `CprError` (VALUE_TOO_LONG, NOT_NUMERIC, NOT_LATIN1, CONTROL_CHARACTER, UNKNOWN_FIELD): a
 * writer never truncates or transliterates silently.
 */
import { CPR_RECORDS, type CprFieldName, type CprRecordType } from './layout.js';
import { CprError } from './problems.js';

/** The values of one record: by field name; strings or numbers; null/undefined/omitted = blank or zeros. */
export type CprValues<T extends CprRecordType> = { readonly [K in CprFieldName<T>]?: string | number | null };

/** One record to write: its type and its values. */
export type CprRecordInput = { [T in CprRecordType]: { readonly type: T; readonly values: CprValues<T> } }[CprRecordType];

/** How records are laid out in the file. */
export interface CprWriteOptions {
  /** `'lines'`: one record per line; `'fixed'`: records concatenated at their lengths. @default 'lines' */
  readonly shape?: 'lines' | 'fixed';
  /** Line ending for `'lines'`. @default '\n' */
  readonly lineEnding?: '\n' | '\r\n';
  /** For `'lines'`: cut each record's trailing blanks (as some producers do). @default false */
  readonly trimTrailingBlanks?: boolean;
}

/** The start record's values (RECORDTYPE is set; PRODDTO/PRODDTOFORRIG as YYYYMMDD or YYYY-MM-DD). */
export interface CprStartValues {
  readonly OPGAVENR: string | number;
  readonly PRODDTO: string;
  /** The previous file's production date; omitted or null for a task's first file (zeros). */
  readonly PRODDTOFORRIG?: string | null;
  readonly 'SORTFELT-10'?: string;
}

/** Encode one record at its full length (a string of ISO-8859-1 characters). */
export function encodeCprRecord<T extends CprRecordType>(type: T, values: CprValues<T>): string {
  const layout = CPR_RECORDS[type];
  const known = new Set(layout.fields.map((f) => f.name));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) throw new CprError({ offset: 0, line: null, recordType: type, field: name, value: null, reason: 'UNKNOWN_FIELD' });
  }
  const out = Array<string>(layout.length).fill(' ');
  for (const field of layout.fields) {
    const given = field.name === 'RECORDTYPE' ? type : (values as Record<string, string | number | null | undefined>)[field.name];
    let text: string;
    if (given === null || given === undefined || given === '') {
      text = field.kind === 'N' ? '0'.repeat(field.length) : ' '.repeat(field.length);
    } else {
      const value = String(given);
      const problem = (reason: 'VALUE_TOO_LONG' | 'NOT_NUMERIC' | 'NOT_LATIN1' | 'CONTROL_CHARACTER') =>
        new CprError({ offset: 0, line: null, recordType: type, field: field.name, value, reason });
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(value)) throw problem('CONTROL_CHARACTER');
      if (/[\u0100-\uffff]/.test(value)) throw problem('NOT_LATIN1');
      if (value.length > field.length) throw problem('VALUE_TOO_LONG');
      if (field.kind === 'N') {
        if (!/^\d+$/.test(value)) throw problem('NOT_NUMERIC');
        text = value.padStart(field.length, '0');
      } else text = value.padEnd(field.length, ' ');
    }
    for (let i = 0; i < field.length; i++) out[field.start - 1 + i] = text[i]!;
  }
  return out.join('');
}

/** Lay encoded records out as a file's text in the shape asked for. */
function layOut(encoded: readonly string[], options: CprWriteOptions): string {
  if ((options.shape ?? 'lines') === 'fixed') return encoded.join('');
  const eol = options.lineEnding ?? '\n';
  return encoded.map((r) => (options.trimTrailingBlanks ? r.replace(/ +$/, '') : r) + eol).join('');
}

/** Records as given (no start or end record added) → ISO-8859-1 bytes. */
export function writeCprRecords(records: readonly CprRecordInput[], options: CprWriteOptions = {}): Buffer {
  const encoded = records.map((r) => encodeCprRecord(r.type, r.values as CprValues<typeof r.type>));
  return Buffer.from(layOut(encoded, options), 'latin1');
}

/**
 * A whole extract: the 000 start record from `start`, the records in the order given, and a 999 end record
 * whose TAELLER counts every record of the file, start and end included (what the reader checks).
 */
export function writeCprFile(file: { readonly start: CprStartValues; readonly records: readonly CprRecordInput[] }, options: CprWriteOptions = {}): Buffer {
  const date8 = (d: string | null | undefined) => (d ? d.replaceAll('-', '') : null);
  const all: CprRecordInput[] = [
    {
      type: '000',
      values: {
        'SORTFELT-10': file.start['SORTFELT-10'] ?? null,
        OPGAVENR: file.start.OPGAVENR,
        PRODDTO: date8(file.start.PRODDTO),
        PRODDTOFORRIG: date8(file.start.PRODDTOFORRIG),
      },
    },
    ...file.records,
  ];
  all.push({ type: '999', values: { TAELLER: all.length + 1 } });
  return writeCprRecords(all, options);
}
