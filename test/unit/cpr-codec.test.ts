import { describe, expect, it } from 'vitest';
import {
  CPR_RECORDS,
  CprError,
  describeCprProblem,
  encodeCprRecord,
  parseCprDate,
  indexCprFile,
  readCprFile,
  writeCprFile,
  writeCprRecords,
  type CprRecordInput,
  type CprRecordType,
} from '../../kernel/cpr/index.js';

const start = { OPGAVENR: 123456, PRODDTO: '2026-12-01', PRODDTOFORRIG: '2026-11-30' };

/** Two persons whose records interleave, with Danish letters in names and addresses. */
const records: CprRecordInput[] = [
  { type: '001', values: { PNR: '0101901234', PNRGAELD: '0101901234', STATUS: 1, KOEN: 'K', FOED_DT: '1990-01-01', 'START_DT-PERSON': '1990-01-01' } },
  { type: '001', values: { PNR: '0202851235', PNRGAELD: '0202851235', STATUS: 1, KOEN: 'M', FOED_DT: '1985-02-02' } },
  { type: '008', values: { PNR: '0101901234', FORNVN: 'Søren Ærø', EFTERNVN: 'Åberg', NVNHAENSTART: '199001010000' } },
  { type: '002', values: { PNR: '0202851235', KOMKOD: 101, VEJKOD: 1234, HUSNR: '12A', ETAGE: 'st', SIDEDOER: 'tv', TILFLYDTO: '202001011200' } },
  { type: '099', values: { PNR: '0101901234', TIMESTAMPU: '202612010830', HAENDELSE: 'A13', AFLEDTMRK: '' } },
];

describe('the layout table', () => {
  it.each(Object.values(CPR_RECORDS).map((l) => [l.type, l] as const))('%s: fields in order, inside the record, not overlapping, names unique', (_, layout) => {
    expect(layout.fields[0]).toEqual({ name: 'RECORDTYPE', start: 1, length: 3, kind: 'N' });
    const names = new Set<string>();
    let next = 1;
    for (const field of layout.fields) {
      expect(field.start).toBeGreaterThanOrEqual(next);
      next = field.start + field.length;
      expect(next - 1).toBeLessThanOrEqual(layout.length);
      expect(names.has(field.name)).toBe(false);
      names.add(field.name);
    }
  });

  it('has the lengths of the reference for the records the ingest applies', () => {
    const lengths = Object.fromEntries(Object.values(CPR_RECORDS).map((l) => [l.type, l.length]));
    expect(lengths).toMatchObject({ '000': 35, '001': 106, '002': 306, '003': 249, '004': 37, '005': 200, '007': 26, '008': 193, '010': 30 });
    expect(lengths).toMatchObject({ '012': 95, '014': 23, '015': 147, '016': 58, '022': 45, '026': 173, '029': 109, '099': 45, '999': 21 });
  });
});

describe('writer → reader', () => {
  const shapes = [
    ['one record per line, LF', { shape: 'lines' }],
    ['one record per line, CRLF, trailing blanks cut', { shape: 'lines', lineEnding: '\r\n', trimTrailingBlanks: true }],
    ['fixed-length records, no line breaks', { shape: 'fixed' }],
  ] as const;

  it.each(shapes)('%s: every value comes back, keyed by PNR, the persons’ records gathered in file order', (_, options) => {
    const bytes = writeCprFile({ start, records }, options);
    if (options.shape === 'fixed') expect(bytes.includes(0x0a)).toBe(false);
    const file = readCprFile(bytes);
    expect(file.problems).toEqual([]);
    expect(file.shape).toBe(options.shape);
    expect(file.start?.fields).toMatchObject({ OPGAVENR: '123456', PRODDTO: '20261201', PRODDTOFORRIG: '20261130' });
    expect(file.end?.fields.TAELLER).toBe(String(records.length + 2).padStart(8, '0'));
    expect([...file.persons.keys()]).toEqual(['0101901234', '0202851235']);
    const first = file.persons.get('0101901234')!;
    expect(first.records.map((r) => r.type)).toEqual(['001', '008', '099']);
    expect(first.problems).toEqual([]);
    const name = first.records[1]!;
    expect(name.type === '008' && name.fields).toMatchObject({ FORNVN: 'Søren Ærø', EFTERNVN: 'Åberg', MELNVN: '', NVNHAENSTART: '199001010000' });
    const address = file.persons.get('0202851235')!.records[1]!;
    expect(address.type === '002' && address.fields).toMatchObject({
      KOMKOD: '0101',
      VEJKOD: '1234',
      HUSNR: '12A',
      ETAGE: 'st',
      SIDEDOER: 'tv',
      FRAFLYKOMKOD: '0000',
    });
    if (options.shape === 'fixed') expect(address.line).toBeNull();
    else expect(address.line).toBe(5);
    const offsets = file.records.map((r) => r.offset);
    expect(offsets[0]).toBe(0);
    if (options.shape === 'fixed') expect(offsets[1]).toBe(35);
  });

  it.each(shapes)('%s: read a few bytes at a time, every record is cut across reads and comes back the same', (_, options) => {
    const bytes = writeCprFile({ start, records }, options);
    const whole = readCprFile(bytes);
    let reads = 0;
    const source = { byteLength: bytes.byteLength, read: (a: number, b: number) => (reads++, bytes.slice(a, b)) };
    for (const chunkBytes of [1, 7, 64]) {
      const index = indexCprFile(source, { chunkBytes });
      expect(index.problems).toEqual([]);
      expect(index.recordCount).toBe(records.length + 2);
      expect([...index.pnrs()]).toEqual([...whole.persons.keys()]);
      for (const pnr of index.pnrs()) expect(index.person(pnr)).toEqual(whole.persons.get(pnr));
      expect(index.first('0202851235')).toEqual({
        offset: whole.persons.get('0202851235')!.records[0]!.offset,
        line: whole.persons.get('0202851235')!.records[0]!.line,
      });
    }
    expect(reads).toBeGreaterThan(bytes.byteLength / 64);
  });

  it('a file of one record with no line break and a truncated tail: the tail is a fault however it is read', () => {
    const bytes = writeCprFile({ start, records }, { shape: 'fixed' });
    const cut = bytes.subarray(0, bytes.byteLength - 5);
    for (const chunkBytes of [3, 1 << 20]) expect(indexCprFile(cut, { chunkBytes }).problems.map((p) => p.reason)).toEqual(['TRUNCATED', 'NO_END_RECORD']);
  });

  it('writes ISO-8859-1: one byte per character, æ as 0xE6', () => {
    const bytes = writeCprRecords([{ type: '008', values: { PNR: '0101901234', FORNVN: 'æ' } }], { shape: 'fixed' });
    expect(bytes.length).toBe(193);
    expect(bytes[13]).toBe(0xe6);
  });

  it('pads alpha with blanks on the right and numeric with zeros on the left; left-out fields blank or zeros', () => {
    const record = encodeCprRecord('004', { PNR: '0101901234', BESKYTTYPE: 1, 'START_DT-BESKYTTELSE': '2026-12-01' });
    expect(record).toBe('004010190123400012026-12-01          ');
  });
});

describe('the reader’s faults: where, which record and field, the value, a stable reason', () => {
  it('a non-numeric numeric field belongs to its person, with the line and the value', () => {
    const text = writeCprFile({ start, records }).toString('latin1').replace('00202028512350101', '002020285123501X1');
    const file = readCprFile(Buffer.from(text, 'latin1'));
    expect(file.problems).toEqual([]);
    const problems = file.persons.get('0202851235')!.problems;
    expect(problems).toEqual([expect.objectContaining({ line: 5, recordType: '002', field: 'KOMKOD', value: '01X1', reason: 'NOT_NUMERIC' })]);
    expect(problems[0]!.offset).toBe(file.persons.get('0202851235')!.records[1]!.offset);
    expect(describeCprProblem(problems[0]!)).toMatch(/^line 5 \(offset \d+\) record 002 field KOMKOD: NOT_NUMERIC/);
    expect(file.persons.get('0101901234')!.problems).toEqual([]);
  });

  it('a line of unknown type that names a PNR refuses that person only; one that names none is a fault of the file', () => {
    const lines = writeCprFile({ start, records }).toString('latin1').split('\n');
    lines.splice(2, 0, '0770101901234xyz', 'garbage');
    const file = readCprFile(Buffer.from(lines.join('\n'), 'latin1'));
    expect(file.persons.get('0101901234')!.problems).toEqual([expect.objectContaining({ line: 3, recordType: '077', reason: 'UNKNOWN_RECORD_TYPE' })]);
    expect(file.problems).toEqual([expect.objectContaining({ line: 4, recordType: 'gar', reason: 'UNKNOWN_RECORD_TYPE' })]);
    expect(file.persons.get('0202851235')!.problems).toEqual([]);
  });

  it('in a fixed-length file an unknown type stops the reading there (no length to step by)', () => {
    const bytes = writeCprFile({ start, records }, { shape: 'fixed' });
    const broken = Buffer.concat([bytes.subarray(0, 35), Buffer.from('777'), bytes.subarray(38)]);
    const file = readCprFile(broken);
    expect(file.problems).toEqual([
      expect.objectContaining({ offset: 35, line: null, recordType: '777', reason: 'UNKNOWN_RECORD_TYPE' }),
      expect.objectContaining({ reason: 'NO_END_RECORD' }),
    ]);
    expect(file.persons.size).toBe(0);
  });

  it('a fixed-length file cut inside a record is TRUNCATED', () => {
    const bytes = writeCprFile({ start, records }, { shape: 'fixed' });
    const file = readCprFile(bytes.subarray(0, bytes.length - 30));
    expect(file.problems.map((p) => p.reason)).toEqual(['TRUNCATED', 'NO_END_RECORD']);
  });

  it('start and end records: missing, misplaced, miscounted', () => {
    const body = writeCprRecords(records);
    expect(readCprFile(body).problems.map((p) => p.reason)).toEqual(['NO_START_RECORD', 'NO_END_RECORD']);
    const twice = Buffer.concat([writeCprFile({ start, records }), writeCprRecords([{ type: '000', values: { OPGAVENR: 1 } }])]);
    expect(readCprFile(twice).problems.map((p) => p.reason)).toEqual(['END_NOT_LAST', 'START_NOT_FIRST']);
    const miscounted = writeCprFile({ start, records })
      .toString('latin1')
      .replace(/^999(.{10})\d{8}/m, '999$100000002');
    expect(readCprFile(Buffer.from(miscounted, 'latin1')).problems).toEqual([
      expect.objectContaining({ recordType: '999', field: 'TAELLER', value: '00000002', reason: 'END_COUNT' }),
    ]);
    expect(readCprFile(Buffer.alloc(0)).problems.map((p) => p.reason)).toEqual(['EMPTY_FILE']);
  });

  it('a line longer than its record is refused unless the excess is blanks', () => {
    const lines = writeCprFile({ start, records }).toString('latin1').split('\n');
    lines[1] = `${lines[1]}   `;
    lines[3] = `${lines[3]}xx`;
    const file = readCprFile(Buffer.from(lines.join('\n'), 'latin1'));
    expect(file.persons.get('0101901234')!.problems).toEqual([expect.objectContaining({ line: 4, recordType: '008', reason: 'RECORD_TOO_LONG', value: 'xx' })]);
  });
});

describe('the writer refuses values that do not fit, never truncating', () => {
  it.each([
    ['a value longer than its field', '004', { PNR: '01019012345' }, 'VALUE_TOO_LONG'],
    ['letters in a numeric field', '004', { BESKYTTYPE: '1a' }, 'NOT_NUMERIC'],
    ['a character outside ISO-8859-1', '008', { FORNVN: 'Łukasz' }, 'NOT_LATIN1'],
    ['a line break', '008', { FORNVN: 'a\nb' }, 'CONTROL_CHARACTER'],
    ['a field the record does not have', '004', { FORNVN: 'x' }, 'UNKNOWN_FIELD'],
  ] as const)('%s (record %s) → %s', (_, type, values, reason) => {
    const write = () => encodeCprRecord(type as CprRecordType, values as never);
    expect(write).toThrow(CprError);
    try {
      write();
    } catch (error) {
      expect((error as CprError).problem).toMatchObject({ recordType: type, reason });
    }
  });
});

describe('parseCprDate', () => {
  it.each([
    ['2026-12-01', { date: '2026-12-01', time: null }],
    ['20261201', { date: '2026-12-01', time: null }],
    ['202612010830', { date: '2026-12-01', time: '08:30' }],
    ['000000000000', null],
    ['          ', null],
    ['0000-00-00', null],
    ['2026-02-30', undefined],
    ['202612012460', undefined],
    ['01-12-2026', undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseCprDate(value)).toEqual(expected);
  });
});
