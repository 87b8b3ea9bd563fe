/**
 * `npx tsx test/bench/cpr-extract.ts N FILE`: writes a CPR change extract of N persons (each with 001,
 * 002, 003, 008, 010, 012 and a 099 move) for measuring the ingest (README "Keeping the register
 * current", "Ingest throughput").
 */
import { writeFile } from 'node:fs/promises';
import { writeCprFile, type CprRecordInput } from '../../kernel/cpr/index.js';
import { cprNumber } from '../../kernel/identifiers.js';
import { personRecords } from '../support/cpr-files.js';

const [count = '100000', file = 'extract.cpr'] = process.argv.slice(2);
const n = Number(count);
const records: CprRecordInput[] = [];
const home = { komkod: '0101', street: 'Ægirsgade', house: '12', floor: '3', door: 'tv', postnr: '2200', district: 'København N', since: '2016-01-01' };
for (let i = 0; i < n; i++) {
  // 1000 serials per birth date: spread over days from 1940.
  const day = new Date(Date.UTC(1940, 0, 1) + Math.floor(i / 1000) * 86_400_000).toISOString().slice(0, 10);
  const pnr = cprNumber({ birthDate: day, serial: i % 1000, sex: i % 2 ? 'MALE' : 'FEMALE' });
  records.push(
    ...personRecords({
      pnr,
      birthDate: day,
      sex: i % 2 ? 'M' : 'K',
      address: home,
      citizenship: '5100',
      civil: { civst: 'U', since: day },
      events: [{ at: '202612010800', code: 'A01' }],
    }),
  );
}
await writeFile(file, writeCprFile({ start: { OPGAVENR: 1, PRODDTO: '2026-12-01' }, records }));
console.log(`${n} persons, ${records.length + 2} records → ${file}`);
